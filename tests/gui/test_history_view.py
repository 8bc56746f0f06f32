"""The history dock: one row per operation, its start shown only until an outcome is recorded."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.backend.history import INTERRUPTED_RESULT, DeviceHistory
from app.ui.history_view import INTERRUPTED_LABEL, UNSETTLED, HistoryView
from app.ui.services import AppServices


def test_history_view_shows_one_row_per_operation(qtbot: QtBot, tmp_path: Path) -> None:
    history = DeviceHistory(tmp_path / "h.sqlite")
    history.record("axis:A", "Apply stitching offsets", "started")
    history.record("axis:A", "Apply stitching offsets", "succeeded", {"nudges": 3})
    history.record("axis:A", "Firmware upgrade", "started")
    view = HistoryView(history)
    qtbot.addWidget(view)
    view.show_device("axis:A", "AXIS Q3819-PVE")
    rows = [
        tuple(view.table.item(row, column).text() for column in (1, 2, 3))  # type: ignore[union-attr]
        for row in range(view.table.rowCount())
    ]
    assert rows == [
        ("Firmware upgrade", UNSETTLED, ""),
        ("Apply stitching offsets", "succeeded", "nudges: 3"),
    ]
    history.close()


def test_an_operation_a_crash_left_open_is_shown_interrupted_after_a_restart(
    qtbot: QtBot, data_dir: Path
) -> None:
    crashed = DeviceHistory(data_dir / "history.sqlite3")
    crashed.record("two_n:54-1", "Firmware upgrade", "started")  # the app died during the upload
    crashed.close()
    services = AppServices.create(session_vault=True)  # the next start
    view = HistoryView(services.history)
    qtbot.addWidget(view)
    view.show_device("two_n:54-1", "2N IP Verso")
    assert view.table.item(0, 2).text() == INTERRUPTED_LABEL  # type: ignore[union-attr]
    assert services.history.entries("two_n:54-1")[0].result == INTERRUPTED_RESULT  # in the database itself
    services.history.close()
