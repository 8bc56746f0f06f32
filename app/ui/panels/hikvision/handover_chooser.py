"""Which devices the customer gets, and which permissions on each (only those the document allows)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from app.vendors.hikvision.handover import HandoverChoice, default_permissions, offered_permissions
from app.vendors.hikvision.models import CloudDevice

_ROLE = Qt.ItemDataRole.UserRole
_CHECKED, _UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


class HandoverChooser(QTreeWidget):
    """A device per row (ticked: handed over) with its permissions below; a switch shows it shares none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(["Device and permissions"])
        self.setAccessibleName("Devices and permissions to hand over")
        self._shown: tuple[str, ...] = ()

    def show_devices(self, devices: Sequence[CloudDevice]) -> None:
        """List `devices` with their documented permissions (defaults ticked); kept as is if unchanged."""
        serials = tuple(d.serial for d in devices)
        if serials == self._shown:
            return
        self._shown = serials
        self.clear()
        for device in devices:
            offered = offered_permissions(device)
            row = QTreeWidgetItem(self, [f"{device.name or device.serial} ({device.kind}, {device.serial})"])
            row.setData(0, _ROLE, device.serial)
            if not offered:
                row.setText(0, row.text(0) + " — nothing can be shared")
                row.setDisabled(True)
                continue
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
            defaults = set(default_permissions(device))
            for number, words in offered.items():
                child = QTreeWidgetItem(row, [words])
                child.setData(0, _ROLE, number)
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(0, _CHECKED if number in defaults else _UNCHECKED)
        self.expandAll()

    def _rows(self) -> list[QTreeWidgetItem]:
        items = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item for item in items if item is not None]

    def device_item(self, serial: str) -> QTreeWidgetItem | None:
        """The row of a device, or None."""
        return next((row for row in self._rows() if row.data(0, _ROLE) == serial), None)

    def permission_item(self, serial: str, permission: int) -> QTreeWidgetItem | None:
        """The row of one permission of one device, or None."""
        row = self.device_item(serial)
        children = [] if row is None else _children(row)
        return next((child for child in children if child.data(0, _ROLE) == permission), None)

    def choice(self) -> HandoverChoice:
        """The ticked devices with their ticked permissions."""
        chosen: dict[str, tuple[int, ...]] = {}
        for row in self._rows():
            ticked = tuple(int(c.data(0, _ROLE)) for c in _children(row) if c.checkState(0) == _CHECKED)
            if ticked:
                chosen[str(row.data(0, _ROLE))] = ticked
        return HandoverChoice(chosen)


def _children(row: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    items = (row.child(i) for i in range(row.childCount()))
    return [item for item in items if item is not None]
