"""The banner of `--demo`: says it is a simulated site and shows the demo credentials."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.device_list import display_name
from app.ui.plain_text import escaped, rich
from app.vendors.registry import is_cloud_service

#: Above this many devices the banner groups the announced ones by model (a site of many devices).
BANNER_DEVICE_ROWS = 8
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
        title = rich(QLabel(
            "<b>DEMO</b> — a simulated site on this computer (127.0.0.1). Nothing here is a real device."
        ))
        title.setObjectName("demoTitle")
        self.toggle = QPushButton("Hide credentials")
        self.toggle.setFlat(True)
        self.toggle.clicked.connect(self._toggle_details)
        heading = QHBoxLayout()
        heading.addWidget(title, 1)
        heading.addWidget(self.toggle)
        layout.addLayout(heading)
        self.details = QWidget()
        grid = QGridLayout(self.details)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(18)
        grouped = len(self.devices) > BANNER_DEVICE_ROWS
        for device in self.devices:
            if not (grouped and _announced_device(device)):
                self._add_device_row(grid, grid.rowCount(), device)
        if grouped:
            self._add_model_rows(grid, [device for device in self.devices if _announced_device(device)])
        grid.setColumnStretch(2, 1)
        layout.addWidget(self.details)

    def _toggle_details(self) -> None:
        self.show_details(self.details.isHidden())

    def show_details(self, shown: bool) -> None:
        """Show the credential lines, or fold them away to leave room for a panel on a small screen."""
        self.details.setVisible(shown)
        self.toggle.setText("Hide credentials" if shown else "Show demo credentials")

    def _add_device_row(self, grid: QGridLayout, row: int, device: Mapping[str, Any]) -> None:
        vendor = str(device.get("vendor", ""))
        address = f"{device.get('host', '')}:{device.get('port', '')}"
        name = display_name(vendor, str(device.get("model", "")))
        simulates = "; ".join(str(what) for what in device.get("simulates") or [])
        is_cloud = is_cloud_service(vendor)
        # e.g. "AudioCodes Mediant 800" and below it "(the device is one unit of an HA pair)"
        grid.addWidget(QLabel(f"{name}\n({simulates})" if simulates else name), row, 0)
        grid.addWidget(rich(_selectable(_credentials_text(device, is_cloud))), row, 1)
        if is_cloud:
            button = QPushButton("Cloud account…")
            button.clicked.connect(self.cloud_requested.emit)
            grid.addWidget(button, row, 3)
            lines = cloud_device_lines(device)
            if lines:
                # Below, not beside (the list would widen the window past the screen), one device a line
                # exactly as the Register box reads them.
                grid.addWidget(QLabel("Devices to register:"), row + 1, 0)
                grid.addWidget(_selectable(lines), row + 1, 1, 1, 2)
                copy_devices = QPushButton("Copy devices")
                copy_devices.setToolTip("Puts these lines on the clipboard for the Register box.")
                copy_devices.clicked.connect(lambda: _copy_to_clipboard(lines))
                grid.addWidget(copy_devices, row + 1, 3)
            partners = ", ".join(str(email) for email in device.get("partners") or [])
            if partners:  # another company's employee the simulated cloud lets a site be shared with
                grid.addWidget(QLabel("Partner to share a site with:"), grid.rowCount(), 0)
                grid.addWidget(_selectable(partners), grid.rowCount() - 1, 1, 1, 2)
        elif "service_type" not in device:  # not announced over mDNS (AudioCodes SBCs): add by address
            grid.addWidget(QLabel(f"no mDNS — at {address}"), row, 2)
            button = QPushButton("Add")
            button.setAccessibleName(f"Add {name} at {address}")
            button.clicked.connect(lambda: self.add_requested.emit(address))
            grid.addWidget(button, row, 3)
        license_key = str(device.get("license_key", ""))
        if license_key:  # the demo SBC's valid key, so the License tab can be tried for real
            copy = QPushButton("Copy license key")
            copy.setToolTip(f"Puts the license key of {name} on the clipboard, for its License tab.")
            copy.clicked.connect(lambda: _copy_to_clipboard(license_key))
            grid.addWidget(copy, row + 1, 3)

    def _add_model_rows(self, grid: QGridLayout, devices: Sequence[Mapping[str, Any]]) -> None:
        """One line per model: how many, and their credentials when they share them."""
        models: dict[str, list[Mapping[str, Any]]] = {}
        for device in devices:
            name = display_name(str(device.get("vendor", "")), str(device.get("model", "")))
            models.setdefault(name, []).append(device)
        for name, group in models.items():
            row = grid.rowCount()
            grid.addWidget(QLabel(f"{len(group)} × {name}"), row, 0)
            shared = {(str(d.get("username", "")), str(d.get("password", ""))) for d in group}
            text = (_credentials_text(group[0], False) if len(shared) == 1
                    else "each its own password, taken from the site's device list")
            grid.addWidget(rich(_selectable(text)), row, 1)
        note = QLabel("Certificates and passwords of these devices come from the site's device list "
                      "(kept for this demo session only).")
        note.setWordWrap(True)
        grid.addWidget(note, grid.rowCount(), 0, 1, 3)

    def cloud_device(self) -> Mapping[str, Any] | None:
        """The cloud simulator's line, if the demo has one."""
        return next((d for d in self.devices if is_cloud_service(str(d.get("vendor", "")))), None)


def _announced_device(device: Mapping[str, Any]) -> bool:
    """A LAN device that discovery finds by itself (announced over mDNS)."""
    return "service_type" in device and not is_cloud_service(str(device.get("vendor", "")))


def _credentials_text(device: Mapping[str, Any], is_cloud: bool) -> str:
    """"user <b>root</b>, password <b>pass</b>"; devices with a password only (Inxpect) show just that."""
    username = str(device.get("username", ""))
    password = str(device.get("password", ""))
    secret = f"{'secret' if is_cloud else 'password'} <b>{escaped(password)}</b>"
    if not username:
        return secret
    if is_cloud:  # the service address, then two long hex strings: one per line
        return (f"service <b>{escaped(cloud_url(device))}</b><br>API key <b>{escaped(username)}</b><br>"
                f"{secret}")
    return f"user <b>{escaped(username)}</b>, {secret}"


def cloud_url(device: Mapping[str, Any]) -> str:
    """The cloud simulator's service address (its token host), from its JSON line."""
    for key in ("token_url", "base_url", "url"):
        if device.get(key):
            return str(device[key])
    return f"{device.get('scheme', 'https')}://{device.get('host')}:{device.get('port')}"


def _copy_to_clipboard(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


def cloud_device_lines(device: Mapping[str, Any]) -> str:
    """"Q01728482 ABCDEF" lines, one registerable cloud device each, as the Register box reads them."""
    registerable = list(device.get("devices", []))[:CLOUD_DEVICES_SHOWN]
    return "\n".join(f"{d.get('serial', '')} {d.get('validateCode', '')}" for d in registerable)


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
