"""What was done to the selected device, when and with what result (from DeviceHistory)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.backend.history import DeviceHistory

_COLUMNS = ("When", "Action", "Result", "Detail")


class HistoryView(QWidget):
    """A read-only table of the newest history entries of one device."""

    LIMIT = 200

    def __init__(self, history: DeviceHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._history = history
        self._key: str | None = None
        self._build_ui()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.caption = QLabel("Select a device to see its history.")
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels(_COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
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

    def refresh(self) -> None:
        """Re-read the shown device's entries."""
        entries = self._history.entries(self._key, self.LIMIT) if self._key else []
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            detail = ", ".join(f"{k}: {v}" for k, v in entry.detail.items())
            values = (entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), entry.action, entry.result, detail)
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
