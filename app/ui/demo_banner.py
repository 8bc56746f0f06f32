"""The banner of `--demo`: says it is a simulated site and shows the demo credentials."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.device_list import VENDOR_NAMES

#: How many registerable cloud devices (serial + verification code) the banner lists.
CLOUD_DEVICES_SHOWN = 3


class DemoBanner(QFrame):
    """One line per simulated device with its credentials; devices without mDNS get an Add button."""

    add_requested = Signal(str)  # "host:port" of a device to add by address
    cloud_requested = Signal()

    def __init__(self, devices: Sequence[Mapping[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demoBanner")
        self.devices = list(devices)
        self._build_ui()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        title = QLabel(
            "<b>DEMO</b> — a simulated site on this computer (127.0.0.1). Nothing here is a real device."
        )
        title.setObjectName("demoTitle")
        layout.addWidget(title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        for row, device in enumerate(self.devices):
            self._add_device_row(grid, row, device)
        layout.addLayout(grid)

    def _add_device_row(self, grid: QGridLayout, row: int, device: Mapping[str, Any]) -> None:
        vendor = str(device.get("vendor", ""))
        address = f"{device.get('host', '')}:{device.get('port', '')}"
        name = f"{VENDOR_NAMES.get(vendor, vendor)} {device.get('model', '')}"
        is_cloud = vendor == "hikvision"
        user_label = "API key" if is_cloud else "user"
        secret_label = "secret" if is_cloud else "password"
        creds = f"{user_label} <b>{device.get('username', '')}</b>, {secret_label} <b>{device.get('password', '')}</b>"
        grid.addWidget(QLabel(name), row, 0)
        grid.addWidget(_selectable(creds), row, 1)
        if is_cloud:
            grid.addWidget(_selectable(_cloud_devices_text(device)), row, 2)
            button = QPushButton("Cloud account…")
            button.clicked.connect(self.cloud_requested.emit)
            grid.addWidget(button, row, 3)
        elif "service_type" not in device:  # not announced over mDNS (AudioCodes SBCs): add by address
            grid.addWidget(QLabel(f"no mDNS — at {address}"), row, 2)
            button = QPushButton("Add")
            button.setAccessibleName(f"Add {name} at {address}")
            button.clicked.connect(lambda: self.add_requested.emit(address))
            grid.addWidget(button, row, 3)

    def cloud_device(self) -> Mapping[str, Any] | None:
        """The cloud simulator's line, if the demo has one."""
        return next((d for d in self.devices if d.get("vendor") == "hikvision"), None)


def _cloud_devices_text(device: Mapping[str, Any]) -> str:
    registerable = list(device.get("devices", []))[:CLOUD_DEVICES_SHOWN]
    if not registerable:
        return ""
    parts = [f"{d.get('serial', '')} / code {d.get('validateCode', '')}" for d in registerable]
    return "register: " + "; ".join(parts)


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
