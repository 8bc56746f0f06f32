"""The panel's Devices tab: live table plus firmware, rename, remove and ISAPI checks through the cloud."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.ui.panels.hikvision.time_dialog import DeviceTimeDialog
from app.ui.panels.hikvision.widgets import BAD, DeviceTable
from app.ui.plain_text import escaped, rich
from app.vendors.hikvision.client import HikPartnerClient, UpgradeCredentials, upgrade_credentials
from app.vendors.hikvision.isapi import DeviceDetails, pulse_relay, read_device_details
from app.vendors.hikvision.models import CloudDevice
from app.vendors.hikvision.panel_reads import check_upgrades
from app.vendors.hikvision.upgrades import UPGRADE_STAGE, DeviceUpgrade, upgrade_devices

#: Device categories with a door relay on output 1 (intercom, access control, doorbell).
RELAY_CATEGORIES = frozenset({4, 5, 8})


class DevicesTab(QWidget):
    """Acts on the selected devices; its work is the panel's (`work`), so closing the panel cancels it."""

    def __init__(
        self,
        work: PanelWork,
        client: HikPartnerClient,
        status: Callable[[str], None],
        poll_seconds: Callable[[], float],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.work = work
        self.context = work.context
        self.client = client
        self._status = status
        self._poll_seconds = poll_seconds
        self.devices: list[CloudDevice] = []
        #: The chosen site's A.2 time-zone number (offered as the device's time zone).
        self.site_time_zone: int | None = None
        self.time_dialog: DeviceTimeDialog | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.table = DeviceTable()
        layout.addWidget(self.table, 1)
        self.details = rich(QLabel())
        self.details.setWordWrap(True)
        self.details.setAccessibleName("Device details")
        layout.addWidget(self.details)
        self.check_button = QPushButton("Check for newer firmware")
        self.upgrade_button = QPushButton("Upgrade selected")
        self.details_button = QPushButton("Ask the device (ISAPI)")
        self.relay_button = QPushButton("Test door relay")
        self.time_button = QPushButton("Device time…")
        self.rename_button = QPushButton("Rename…")
        self.remove_button = QPushButton("Remove from account…")
        rows = (
            (self.check_button, self.upgrade_button, self.rename_button, self.remove_button),
            (self.details_button, self.relay_button, self.time_button),
        )
        for row in rows:  # two short rows: the tab fits a 1366-pixel screen beside the site list
            buttons = QHBoxLayout()
            for button in row:
                buttons.addWidget(button)
            buttons.addStretch(1)
            layout.addLayout(buttons)
        layout.addWidget(self._build_panel_login())

    def _build_panel_login(self) -> QWidget:
        """Username and password a first-generation alarm panel's cloud upgrade needs (§3.28)."""
        self.panel_login = QWidget()
        row = QHBoxLayout(self.panel_login)
        row.setContentsMargins(0, 0, 0, 0)
        self.panel_username, self.panel_password = QLineEdit(), QLineEdit()
        self.panel_username.setPlaceholderText("Alarm panel username")
        self.panel_password.setPlaceholderText("Alarm panel password")
        self.panel_password.setEchoMode(QLineEdit.EchoMode.Password)
        row.addWidget(QLabel("First-generation alarm panels are upgraded with their login:"))
        row.addWidget(self.panel_username)
        row.addWidget(self.panel_password)
        self.panel_login.setVisible(False)
        return self.panel_login

    def _connect_signals(self) -> None:
        self.check_button.clicked.connect(self.check_firmware)
        self.upgrade_button.clicked.connect(self.upgrade_selected)
        self.details_button.clicked.connect(self.ask_device)
        self.relay_button.clicked.connect(self.test_relay)
        self.time_button.clicked.connect(self.open_time)
        self.rename_button.clicked.connect(self.rename_selected)
        self.remove_button.clicked.connect(self.remove_selected)

    def show_devices(self, devices: Sequence[CloudDevice]) -> None:
        """The latest device list of the site."""
        self.devices = list(devices)
        self.table.show_devices(self.devices)
        needs_login = UpgradeCredentials.USERNAME_PASSWORD
        self.panel_login.setVisible(any(upgrade_credentials(d) is needs_login for d in self.devices))

    def _one_selected(self, what: str) -> CloudDevice | None:
        chosen = self.table.selected_devices()
        if len(chosen) != 1:
            self._status(f"Select one device {what}.")
            return None
        return chosen[0]

    # --- firmware ----------------------------------------------------------------------------
    def check_firmware(self) -> None:
        """Ask the cloud whether newer firmware exists for each listed device."""
        serials = [device.serial for device in self.devices]
        check = self.work.op("Checking firmware", lambda _: check_upgrades(self.client, serials))
        check.in_background().success(self._show_upgrades).run()

    def _show_upgrades(self, newer: dict[str, bool]) -> None:
        for serial, available in newer.items():
            self.table.set_upgrade(serial, "newer firmware available" if available else "up to date")

    def upgrade_selected(self) -> None:
        """Upgrade the selected devices through the cloud, one after another, with progress."""
        chosen = self.table.selected_devices()
        if not chosen:
            self._status("Select the devices to upgrade in the table first.")
            return
        username, password = self.panel_username.text().strip(), self.panel_password.text()
        login = UpgradeCredentials.USERNAME_PASSWORD
        if any(upgrade_credentials(d) is login for d in chosen) and not (username and password):
            self._status("Type the alarm panel's username and password: its cloud upgrade needs them.")
            return

        show = self.work.while_open(self._show_upgrade)

        async def run(reporter: ProgressReporter) -> None:
            await upgrade_devices(
                self.client, chosen, reporter, self.context.history, show=show,
                poll_seconds=self._poll_seconds, username=username, password=password,
            )

        # Each device's outcome is recorded under its own key; the op adds only a failure of its own.
        self.work.op("Upgrade firmware", run, stages=(UPGRADE_STAGE,)).records_own_history().run()

    def _show_upgrade(self, upgrade: DeviceUpgrade) -> None:
        if upgrade.progress is not None:
            self.table.show_progress(upgrade.progress)
        else:
            self.table.set_upgrade(upgrade.serial, f"not started: {upgrade.refused}", BAD)

    # --- ISAPI checks ------------------------------------------------------------------------
    def ask_device(self) -> None:
        """Read name, model, firmware and clock from the device itself through the cloud."""
        device = self._one_selected("to ask")
        if device is None:
            return

        def show(found: DeviceDetails) -> None:
            facts = f"{found.model} · firmware {found.firmware} · MAC {found.mac}"
            clock = f"Device clock {found.local_time} ({found.time_zone})"
            self.details.setText(f"<b>{escaped(found.name)}</b> · {escaped(facts)}<br>{escaped(clock)}")

        client, serial = self.client, device.serial
        ask = self.work.op(f"Asking {serial}", lambda _: read_device_details(client, serial))
        ask.in_background().success(show).run()

    def open_time(self) -> None:
        """Open the selected device's clock (time zone, NTP or manual time) beside the panel."""
        device = self._one_selected("to set its time")
        if device is None:
            return
        if self.time_dialog is not None:
            self.time_dialog.close()
        self.time_dialog = DeviceTimeDialog(self.work, self.client, device, self.site_time_zone, self)
        self.time_dialog.open()
        self.time_dialog.read()

    def test_relay(self) -> None:
        """Switch the door relay on and off and report what the device says."""
        device = self._one_selected("to test")
        if device is None:
            return
        if device.category not in RELAY_CATEGORIES:
            self._status(f"{device.name} is a {device.kind}; it has no door relay.")
            return

        def show(states: tuple[str, str]) -> None:
            on, off = states
            ok = (on, off) == ("active", "inactive")
            relay = f"Door relay of {device.name}: switched on ({on}), then off ({off})."
            self.details.setText(escaped(relay))
            self.context.history.record(
                f"hikvision:{device.serial}",
                "Door relay test",
                "done" if ok else "failed",
                {"on": on, "off": off},
            )

        client, serial = self.client, device.serial
        pulse = self.work.op(f"Testing the relay of {serial}", lambda _: pulse_relay(client, serial))
        pulse.in_background().success(show).run()

    # --- rename, remove ----------------------------------------------------------------------
    def rename_selected(self) -> None:
        """Ask for a new name (the one the customer will see) for the selected device."""
        device = self._one_selected("to rename")
        if device is None:
            return
        name, ok = QInputDialog.getText(
            self, "Rename device", f"New name for {device.serial}:", text=device.name
        )
        name = name.strip()
        if not ok or not name:
            return

        def renamed(_: None) -> None:
            self.context.history.record(f"hikvision:{device.serial}", "Renamed", "done", {"name": name})
            self._status(f"{device.serial} is now called “{name}”.")

        client = self.client
        rename = self.work.op(f"Renaming {device.serial}", lambda _: client.rename_device(device.id, name))
        rename.in_background().success(renamed).run()

    def remove_selected(self) -> None:
        """Remove the selected devices from the account after confirmation (undo of a wrong registration)."""
        chosen = self.table.selected_devices()
        if not chosen:
            self._status("Select the devices to remove first.")
            return
        serials = ", ".join(d.serial for d in chosen)
        answer = QMessageBox.question(
            self,
            "Remove devices",
            f"Remove {serials} from the Hik-Partner Pro account? They can be registered again with their "
            "verification codes.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        async def remove(_: ProgressReporter) -> None:
            for device in chosen:
                await self.client.delete_device(device.id)
                self.context.history.record(f"hikvision:{device.serial}", "Removed from account", "done", {})

        removal = self.work.op("Removing devices", remove).in_background()
        removal.success(lambda _: self._status(f"Removed {serials}.")).run()
