"""The history dock: one row per operation, its start shown only until an outcome is recorded."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.ui.history_view import UNSETTLED, HistoryView


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
