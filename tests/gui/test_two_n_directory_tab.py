"""The 2N Directory tab and the residents-list import on a simulated intercom."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QMessageBox, QTableWidget
from pytestqt.qtbot import QtBot

from app.core.paths import resource
from app.ui.panels.two_n.directory_import_dialog import NOT_IMPORTED, DirectoryImportDialog
from app.ui.panels.two_n.panel import TwoNPanel
from tests.gui.conftest import run_async, wait_until
from tests.gui.test_two_n_panel import Harness, harness  # noqa: F401  (fixture)

SAMPLE = resource("two_n", "residents.csv")


@pytest.fixture
def intercom(harness: Harness) -> Harness:  # noqa: F811  (the imported fixture)
    return harness


def column(table: QTableWidget, index: int) -> list[str]:
    return [table.item(row, index).text() for row in range(table.rowCount())]


def preview(dialog: DirectoryImportDialog) -> dict[str, str]:
    return dict(zip(column(dialog.preview, 2), column(dialog.preview, 0), strict=True))


def test_the_sample_list_is_previewed_applied_and_checked(
    qtbot: QtBot, qloop: qasync.QEventLoop, intercom: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    panel = TwoNPanel(intercom.context)
    qtbot.addWidget(panel)
    tab = panel.directory_tab
    assert panel.tabs.tabText(panel.tabs.indexOf(tab)) == "Directory"

    async def scenario() -> DirectoryImportDialog:
        await wait_until(lambda: tab.table.rowCount() == 6)
        dialog = tab.open_import(SAMPLE)
        await wait_until(lambda: dialog.preview.rowCount() == 8)
        assert {key: box.currentText() for key, box in dialog.column_boxes.items()} == {
            "name": "Name", "buttons": "Button", "callPos[0].peer": "Phone", "callPos[1].peer": NOT_IMPORTED,
            "email": "E-mail", "virtNumber": "Virtual number", "treepath": "Folder", "uuid": NOT_IMPORTED}
        assert dialog.problems.toPlainText() == "Every line can be imported."
        assert preview(dialog)["Martin Cerny"] == "kept (not in the list)"
        dialog.delete_missing.setChecked(True)
        assert preview(dialog)["Martin Cerny"] == "delete"
        assert dialog.summary.text() == "2 to add, 1 to update, 1 to delete, 4 unchanged"
        dialog.apply_button.click()
        await wait_until(lambda: "Check:" in dialog.outcome.toPlainText())
        await wait_until(lambda: tab.table.rowCount() == 7)
        return dialog

    dialog = run_async(qloop, scenario())
    assert asked == ["Change the intercom's directory: 2 to add, 1 to update, 1 to delete, 4 unchanged?\n\n"
                     "Deleted because they are not in the list: Martin Cerny."]
    assert dialog.outcome.toPlainText() == (
        "4 of 4 changes made.\nCheck: the directory read back matches the list.")
    assert set(preview(dialog).values()) == {"unchanged"}
    assert not dialog.apply_button.isEnabled()
    assert "Tomas Kral" in column(tab.table, 0)
    assert "Martin Cerny" not in column(tab.table, 0)
    assert tab.count.text() == "7 entries in the intercom's directory."
    panel.close_panel()


def test_bad_lines_are_listed_and_a_list_without_names_cannot_be_applied(
    qtbot: QtBot, qloop: qasync.QEventLoop, intercom: Harness, tmp_path: Path
) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text("Resident;Button;Mail\nNew One;8;new@example.invalid\n;9;\nBad;x;\nNew One;10;\n",
                       encoding="utf-8")
    panel = TwoNPanel(intercom.context)
    qtbot.addWidget(panel)
    dialog = panel.directory_tab.open_import(listing)
    run_async(qloop, wait_until(lambda: dialog.preview.rowCount() > 0))
    assert dialog.problems.toPlainText().splitlines() == [
        "line 3: no name",
        "line 4: Buttons 'x' is not a comma-separated list of button numbers (1, 2, …)",
        "line 5: the same name as line 2"]
    assert dialog.problems_title.text() == "Lines not imported (3)"
    assert preview(dialog)["New One"] == "add"
    assert dialog.apply_button.isEnabled()
    dialog.column_boxes["name"].setCurrentIndex(0)
    assert dialog.summary.text() == "Choose the column that holds the residents' names."
    assert dialog.preview.rowCount() == 0
    assert not dialog.apply_button.isEnabled()
    panel.close_panel()


def test_device_text_is_plain_and_the_export_neutralises_formulas(
    qtbot: QtBot, qloop: qasync.QEventLoop, intercom: Harness, tmp_path: Path
) -> None:
    intercom.sim.directory.write(intercom.sim.directory.new_uuid(), {"name": "<b>=1+1</b>", "buttons": "9"},
                                reset=True)
    panel = TwoNPanel(intercom.context)
    qtbot.addWidget(panel)
    tab = panel.directory_tab
    run_async(qloop, wait_until(lambda: tab.table.rowCount() == 7))
    assert "<b>=1+1</b>" in column(tab.table, 0)
    target = tmp_path / "out.csv"
    run_async(qloop, tab.export_to(target))
    with target.open(encoding="utf-8", newline="") as exported:
        names = [row[0] for row in csv.reader(exported)]
    assert "<b>=1+1</b>" in names  # no formula character first: left as it is
    intercom.sim.directory.write(intercom.sim.directory.new_uuid(), {"name": "=HYPERLINK(1)"}, reset=True)
    tab.refresh_button.click()
    run_async(qloop, wait_until(lambda: tab.table.rowCount() == 8))
    run_async(qloop, tab.export_to(target))
    with target.open(encoding="utf-8", newline="") as exported:
        assert "'=HYPERLINK(1)" in [row[0] for row in csv.reader(exported)]
    assert tab.status.text() == "8 entries exported to out.csv."
    panel.close_panel()


def test_cancel_stops_the_import_and_the_preview_shows_what_is_left(
    qtbot: QtBot, qloop: qasync.QEventLoop, intercom: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Yes)
    panel = TwoNPanel(intercom.context)
    qtbot.addWidget(panel)
    dialog = panel.directory_tab.open_import(SAMPLE)

    async def scenario() -> None:
        await wait_until(dialog.apply_button.isEnabled)
        intercom.sim.scenarios.enable("timeout")
        dialog.apply_button.click()
        await wait_until(lambda: intercom.sim.requests.for_path("/api/dir/create") != [])
        intercom.sim.scenarios.disable("timeout")
        assert dialog.import_task is not None
        dialog.import_task.cancel()
        await wait_until(lambda: "cancelled" in dialog.outcome.toPlainText())
        await wait_until(dialog.apply_button.isEnabled)

    run_async(qloop, scenario())
    assert dialog.outcome.toPlainText() == (
        "The import stopped: cancelled\nThe preview now shows what is left to do.")
    assert dialog.summary.text() == (
        "2 to add, 1 to update, 0 to delete, 4 unchanged, 1 not in the list and kept")
    assert len(list(intercom.sim.directory.live)) == 6
    panel.close_panel()
