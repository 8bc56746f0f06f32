"""The semi-static manual zones editor: one row per zone, from and to in metres to the millimetre."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.vendors.inxpect.models import ManualZone

#: Any distance a zone may be given in (m); the document sets no range for ssManualZones (§3.3).
ZONE_LIMIT_M: Final = 10_000.0


class ZonesEditor(QWidget):
    """Manual zones as rows of (from, to) metres; `changed` when the technician edits, adds or removes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["From (m)", "To (m)"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setMaximumHeight(120)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add zone")
        self.remove_button = QPushButton("Remove zone")
        self.remove_button.setToolTip("Removes the selected zone, or the last one when none is selected.")
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self._remove_clicked)

    def zones(self) -> tuple[ManualZone, ...]:
        """The zones as shown, in millimetres."""
        return tuple(ManualZone(self._mm(row, 0), self._mm(row, 1)) for row in range(self.table.rowCount()))

    def set_zones(self, zones: tuple[ManualZone, ...]) -> None:
        """Show `zones` (no `changed`: this is the device's value, not an edit)."""
        self.blockSignals(True)
        self.table.setRowCount(0)
        for zone in zones:
            self._append(zone)
        self.blockSignals(False)

    def _append(self, zone: ManualZone) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, mm in enumerate((zone.min, zone.max)):
            spin = QDoubleSpinBox()
            spin.setDecimals(3)
            spin.setRange(-ZONE_LIMIT_M, ZONE_LIMIT_M)
            spin.setSingleStep(0.1)
            spin.setValue(mm / 1000)
            spin.valueChanged.connect(self.changed)
            self.table.setCellWidget(row, column, spin)

    def _mm(self, row: int, column: int) -> int:
        spin = self.table.cellWidget(row, column)
        assert isinstance(spin, QDoubleSpinBox)
        return round(spin.value() * 1000)

    def _add_clicked(self) -> None:
        last = self.zones()[-1].max if self.table.rowCount() else 1000
        self._append(ManualZone(last + 500, last + 1500))
        self.changed.emit()

    def _remove_clicked(self) -> None:
        row = self.table.currentRow() if self.table.currentRow() >= 0 else self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()
