"""What was done to the selected device, when and with what result (from DeviceHistory)."""

from __future__ import annotations

from datetime import datetime

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.backend.history import INTERRUPTED_RESULT, DeviceHistory, without_settled_starts

_COLUMNS = ("When", "Action", "Result", "Detail")
#: An operation with no outcome recorded: still running, or the app stopped while it ran.
UNSETTLED = "started, no outcome yet"
#: An operation the app was running when it last stopped (marked when the app started again).
INTERRUPTED_LABEL = "interrupted: the app stopped before it ended"
_SHOWN_RESULTS = {"started": UNSETTLED, INTERRUPTED_RESULT: INTERRUPTED_LABEL}
ACTION_COLUMN_WIDTH = 150


class HistoryView(QWidget):
    """A read-only table of the newest history entries of one device, an operation's start shown only
    until its outcome is recorded; it re-reads whenever an entry of the shown device is recorded."""

    LIMIT = 200
    #: A device's entry was recorded (emitted on the recording thread, delivered on the GUI thread).
    recorded = Signal(str)

    def __init__(self, history: DeviceHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._history = history
        self._key: str | None = None
        self._build_ui()
        self.recorded.connect(self._entry_recorded)
        unsubscribe = history.subscribe(self._announce)
        self._unsubscribe = unsubscribe
        self.destroyed.connect(lambda *_: unsubscribe())

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.caption = QLabel("Select a device to see its history.")
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels(_COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)  # long titles elide (tooltip)
        header.resizeSection(1, ACTION_COLUMN_WIDTH)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # details wrap in the dock's width
        self.table.setWordWrap(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.caption.setWordWrap(True)
        self.table.setAccessibleName("Device history")
        layout.addWidget(self.caption)
        layout.addWidget(self.table)

    @property
    def device_key(self) -> str | None:
        """The device shown."""
        return self._key

    def show_device(self, key: str | None, label: str = "") -> None:
        """Show the history of `key` (None clears)."""
        self._key = key
        self.caption.setText(f"History of {label or key}" if key else "Select a device to see its history.")
        self.refresh()

    def detach(self) -> None:
        """Stop following the history (the window closes)."""
        self._unsubscribe()

    def _announce(self, key: str) -> None:
        """From any thread: queue a refresh onto the GUI thread while this view exists."""
        if shiboken6.isValid(self):
            self.recorded.emit(key)

    def _entry_recorded(self, key: str) -> None:
        if key == self._key:
            self.refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802  (Qt API)
        """A narrower or wider dock re-wraps the details."""
        super().resizeEvent(event)
        self.table.resizeRowsToContents()

    def refresh(self) -> None:
        """Re-read the shown device's entries."""
        newest_first = self._history.entries(self._key, self.LIMIT) if self._key else []
        entries = list(reversed(without_settled_starts(list(reversed(newest_first)))))
        today = datetime.now().astimezone().date()
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            at = entry.at.astimezone()
            detail = ", ".join(f"{k}: {v}" for k, v in entry.detail.items())
            result = _SHOWN_RESULTS.get(entry.result, entry.result)
            when = at.strftime("%H:%M:%S" if at.date() == today else "%Y-%m-%d %H:%M")
            values = (when, entry.action, result, detail)
            tips = (at.strftime("%Y-%m-%d %H:%M:%S"), entry.action, result, detail)
            for column, (value, tip) in enumerate(zip(values, tips, strict=True)):
                item = QTableWidgetItem(value)
                item.setToolTip(tip)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
