"""The window's frame on a laptop: menus, a one-line task area, history that follows the panel in front."""

from __future__ import annotations

import asyncio

import pytest
import qasync
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.core.about import app_version
from app.core.models import DeviceIdentity, Endpoint
from app.core.progress import Operation, ProgressReporter
from app.site.opened import OpenedDevice
from app.ui import tasks as tasks_module
from app.ui.main_window import MainWindow
from app.ui.menus import ShortcutsDialog, show_about, show_shortcuts
from tests.gui.conftest import run_async, wait_until

PANEL_KEY = "acme:ACCC8E000001"
LISTED_KEY = "two_n:54-0001"


class _Client:
    """A logged-in client with nothing to log out of."""

    async def aclose(self) -> None:
        """Nothing to close."""


@pytest.fixture
def fast_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks_module, "SHOW_DELAY_MS", 0)


def open_generic_panel(window: MainWindow) -> OpenedDevice:
    """A device panel (the generic identity panel: no vendor registers "acme") open under PANEL_KEY."""
    identity = DeviceIdentity("acme", "Q3819-PVE", serial="ACCC8E000001")
    client = _Client()
    device = OpenedDevice(identity, Endpoint("127.0.0.1", 8443), client, client)  # type: ignore[arg-type]
    window.workspace.show_panel(device, PANEL_KEY)
    return device


async def close_panels(window: MainWindow) -> None:
    """Close every panel and let the log-outs run on the loop."""
    window.workspace.close_all()
    await asyncio.sleep(0.05)


def _menu_items(window: MainWindow, title: str) -> dict[str, str]:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == title)
    return {a.text(): a.shortcut().toString() for a in menu.actions() if not a.isSeparator()}


def test_file_view_and_help_menus_hold_what_a_desktop_user_expects(window: MainWindow) -> None:
    assert _menu_items(window, "&File") == {
        "&Open plan…": "Ctrl+O", "Visit &details…": "", "&Export visit…": "", "Open visit &file…": "",
        "&Report…": "Ctrl+P", "&Quit": "Ctrl+Q",
    }
    view = _menu_items(window, "&View")
    assert view["Task &details"] == "Ctrl+J"
    assert {"Tasks", "Log", "Device history", "Toolbar", "Visit checklist"} <= set(view)
    assert set(_menu_items(window, "&Help")) == {"&Keyboard shortcuts…", "&About Commissioner"}


def test_quit_closes_the_window(window: MainWindow) -> None:
    window.quit_action.trigger()
    assert not window.isVisible()


def test_help_lists_shortcuts_and_about_says_the_installed_version(window: MainWindow, qtbot: QtBot) -> None:
    dialog = show_shortcuts(window)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ShortcutsDialog)
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()  # type: ignore[union-attr]
            for r in range(dialog.table.rowCount())}
    assert rows["Ctrl+Q"] == "Quit"
    assert rows["Ctrl+P"] == "Report"
    assert rows["Ctrl+N"] == "Add device"
    assert rows["Return"].startswith("Open the selected device")
    about = show_about(window)
    assert isinstance(about, QMessageBox)
    assert app_version() != "unknown"
    assert f"Commissioner {app_version()}" in about.text()
    about.close()
    dialog.close()


def test_the_task_area_is_one_line_until_expanded(
    window: MainWindow, qloop: qasync.QEventLoop, fast_rows: None
) -> None:
    area = window.task_area
    assert not area.expanded
    assert area.height() <= area.collapsed_height()
    assert area.summary.text() == "No work running."
    release = asyncio.Event()

    async def upload(reporter: ProgressReporter) -> None:
        reporter.stage("Uploading", total=10)
        await release.wait()

    async def scenario() -> None:
        task = window.tasks.run(Operation("Upload firmware", ("Uploading",), upload), owner=window)
        await wait_until(lambda: area.summary.text().startswith("Running: Upload firmware"))
        assert area.height() <= area.collapsed_height()
        window.task_details_action.trigger()  # View > Task details
        await wait_until(lambda: area.height() > 2 * area.collapsed_height())
        assert area.expanded
        assert area.toggle.isChecked()
        row = area.row_for("Upload firmware")
        assert row is not None
        assert row.cancel_button.isVisible()
        release.set()
        await task
        await wait_until(lambda: "Last:" in area.summary.text())
        assert "✓ Upload firmware — done" in area.summary.text()
        area.toggle.click()
        await wait_until(lambda: area.height() <= area.collapsed_height())
        assert not window.task_details_action.isChecked()

    run_async(qloop, scenario())


def test_history_follows_the_panel_in_front_and_each_new_entry(
    window: MainWindow, qloop: qasync.QEventLoop
) -> None:
    window.history_dock.show()  # closed at start on a screen narrower than ROOM_FOR_HISTORY_WIDTH
    open_generic_panel(window)
    view = window.history_view
    assert view.device_key == PANEL_KEY
    assert "Q3819-PVE" in view.caption.text()
    history = window.services.history
    history.record(PANEL_KEY, "Stitching offsets applied", "done", {"offsets": "x " * 80})
    run_async(qloop, wait_until(lambda: view.table.rowCount() == 1))
    assert view.table.item(0, 1).text() == "Stitching offsets applied"  # type: ignore[union-attr]
    detail_row_height = view.table.rowHeight(0)
    assert detail_row_height > view.table.fontMetrics().lineSpacing() * 2  # the long detail wraps
    assert view.table.horizontalScrollBar().maximum() == 0
    history.record(LISTED_KEY, "Door test", "done")  # another device's entry: this view stays
    window.workspace.setCurrentIndex(0)  # back to the device list, nothing selected
    assert view.device_key is None
    window.workspace.focus_panel(PANEL_KEY)
    assert view.device_key == PANEL_KEY
    history.record(PANEL_KEY, "Firmware upgrade", "started")
    run_async(qloop, wait_until(lambda: view.table.rowCount() == 2))
    run_async(qloop, close_panels(window))
