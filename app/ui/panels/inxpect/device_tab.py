"""Network settings, device name, password, resets and the event log of an MSK-101-POE."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.models import Credentials
from app.ui.panel_work import PanelWork
from app.ui.panels.inxpect.backup_box import ConfigurationBackupBox
from app.ui.panels.inxpect.common import confirm
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.live import AlarmEvent
from app.vendors.inxpect.models import NetFlag, NetSettings, describe_net_flags
from app.vendors.inxpect.panel_reads import DeviceSettings, read_device_settings, store_net_settings

SENSOR_RESET_TEXT = (
    "Reset the SENSOR configuration to factory defaults?\n\nThis erases the alarm and pre-alarm "
    "distances, sensitivity, mounting, calibration coefficient and every other detection "
    "setting. Network settings, password and device name are kept. Calibrate again afterwards."
)
COMBOARD_RESET_TEXT = (
    "Reset the NETWORK BOARD to factory defaults?\n\nThis erases the network settings (back to "
    "their factory defaults), the password (back to the factory password, which must be changed "
    "again) and the device name. The sensor configuration is kept. The device may move to a "
    "new address."
)


class NetworkBox(QGroupBox):
    """DHCP / static / auto IP and name resolution, with the warning that the device will move."""

    def __init__(self, work: PanelWork, client: InxpectClient, parent: QWidget | None = None) -> None:
        super().__init__("Network", parent)
        self.work = work
        self.client = client
        self.settings: NetSettings | None = None
        form = QFormLayout(self)
        self.current_label = QLabel("—")
        self.dhcp = QRadioButton("DHCP")
        self.auto_ip = QRadioButton("Auto IP only (169.254.x.x)")
        self.static = QRadioButton("Static address")
        self.auto_fallback = QCheckBox("Fall back to auto IP (169.254.x.x) when DHCP fails")
        self.name_resolution = QCheckBox()
        self.show_name("msk101poe-…")
        self.address, self.subnet, self.gateway = QLineEdit(), QLineEdit(), QLineEdit()
        self.warning = QLabel(
            "⚠ A new address moves the device: the connection drops, the app finds the sensor again "
            "by its serial number and reopens this panel at the new address (keep name resolution on, "
            "or add the new address by hand)."
        )
        self.warning.setWordWrap(True)
        self.save_button = QPushButton("Save network settings…")
        self.save_button.clicked.connect(self._save)
        form.addRow("In use now:", self.current_label)
        form.addRow(self.dhcp)
        form.addRow(self.auto_fallback)
        form.addRow(self.auto_ip)
        form.addRow(self.static)
        form.addRow("Address:", self.address)
        form.addRow("Subnet mask:", self.subnet)
        form.addRow("Gateway:", self.gateway)
        form.addRow(self.name_resolution)
        form.addRow(self.warning)
        form.addRow(self.save_button)
        self.dhcp.toggled.connect(self._enable_fields)
        self.static.toggled.connect(self._enable_fields)
        self.auto_ip.toggled.connect(self._enable_fields)
        self._enable_fields()

    def _enable_fields(self) -> None:
        """Static address fields only for a static address; the auto IP fallback only with DHCP."""
        static = self.static.isChecked()
        for line in (self.address, self.subnet, self.gateway):
            line.setEnabled(static)
        self.auto_fallback.setEnabled(self.dhcp.isChecked())

    def show_name(self, name: str) -> None:
        """Name the host name that name resolution announces."""
        self.name_resolution.setText(f"Name resolution (mDNS / NetBIOS: {name}.local)")

    def show_settings(self, settings: NetSettings) -> None:
        """Fill the box from the device's settings."""
        self.settings = settings
        flags = settings.net_configuration
        dhcp, auto_ip = NetFlag.DHCP in flags, NetFlag.AUTO_IP in flags
        self.dhcp.setChecked(dhcp)
        self.auto_ip.setChecked(auto_ip and not dhcp)
        self.static.setChecked(not (dhcp or auto_ip))
        self.auto_fallback.setChecked(dhcp and auto_ip)
        self.name_resolution.setChecked(NetFlag.NAME_RESOLUTION in flags)
        self.address.setText(settings.static_address)
        self.subnet.setText(settings.subnet)
        self.gateway.setText(settings.gateway)
        self.current_label.setText(
            f"{settings.cur_host_address} / {settings.cur_subnet} via "
            f"{settings.cur_gateway} ({describe_net_flags(settings.cur_net_configuration)})"
        )

    def edited(self) -> NetSettings:
        """The settings as the box shows them (the `cur*` fields are never sent); bits it has no control for
        are kept as the device reported them."""
        assert self.settings is not None
        shown = NetFlag.DHCP | NetFlag.AUTO_IP | NetFlag.NAME_RESOLUTION
        flags = NetFlag(int(self.settings.net_configuration) & ~int(shown))
        if self.dhcp.isChecked():
            flags |= NetFlag.DHCP
            if self.auto_fallback.isChecked():
                flags |= NetFlag.AUTO_IP
        if self.auto_ip.isChecked():
            flags |= NetFlag.AUTO_IP
        if self.name_resolution.isChecked():
            flags |= NetFlag.NAME_RESOLUTION
        return replace(
            self.settings,
            net_configuration=flags,
            static_address=self.address.text().strip(),
            subnet=self.subnet.text().strip(),
            gateway=self.gateway.text().strip(),
        )

    def _save(self) -> None:
        if self.settings is None:
            return
        edited = self.edited()
        text = (
            f"Store: {describe_net_flags(edited.net_configuration)}"
            + (
                f", {edited.static_address}/{edited.subnet} via {edited.gateway}"
                if not edited.net_configuration & (NetFlag.DHCP | NetFlag.AUTO_IP)
                else ""
            )
            + ".\n\nThe device may move to a new address and drop this connection; the app will look for "
            "it again by name and serial. Continue?"
        )
        if confirm(self, "Change network settings", text):
            store = self.work.op("Saving network settings", lambda _: store_net_settings(self.client, edited))
            store.success(self._stored).run()

    def _stored(self, settings: NetSettings) -> None:
        self.work.context.notify(
            "warning",
            "Network settings stored: the sensor restarts its network; the app reopens it at its new "
            "address as soon as it is announced there.",
        )
        self.show_settings(settings)


class DeviceTab(QWidget):
    """Network, name, password, resets and the event log."""

    sensor_reset = Signal()  # the sensor configuration went back to factory: views must reload it

    def __init__(self, work: PanelWork, client: InxpectClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self._build_ui()

    def _build_ui(self) -> None:
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.network = NetworkBox(self.work, self.client)
        left.addWidget(self.network)
        left.addWidget(self._identity_box())
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self._event_box(), 1)
        self.backup = ConfigurationBackupBox(self.work, self.client)
        right.addWidget(self.backup)
        right.addWidget(self._reset_box())
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)

    def _identity_box(self) -> QGroupBox:
        box = QGroupBox("Name and password")
        form = QFormLayout(box)
        self.name_edit = QLineEdit()
        self.name_button = QPushButton("Save name")
        self.name_button.clicked.connect(self._save_name)
        self.name_note = QLabel()
        self.name_note.setWordWrap(True)
        self.new_password = QLineEdit()
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_password = QLineEdit()
        self.repeat_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_button = QPushButton("Change password")
        self.password_button.clicked.connect(self._change_password)
        self.password_note = QLabel()
        self.password_note.setWordWrap(True)
        form.addRow("Network name:", self.name_edit)
        form.addRow(self.name_button)
        form.addRow(self.name_note)
        form.addRow("New password:", self.new_password)
        form.addRow("Repeat:", self.repeat_password)
        form.addRow(self.password_button)
        form.addRow(self.password_note)
        return box

    def _event_box(self) -> QGroupBox:
        box = QGroupBox("Event log (latest alarms)")
        layout = QVBoxLayout(box)
        self.events = QTableWidget(0, 4)
        self.events.setHorizontalHeaderLabels(["Started", "What", "Lasted", "Size (rcs)"])
        self.events.horizontalHeader().setStretchLastSection(True)
        self.events.verticalHeader().setVisible(False)
        self.events.setWordWrap(False)
        refresh = QPushButton("Refresh event log")
        refresh.clicked.connect(self._reload_events)
        layout.addWidget(self.events)
        layout.addWidget(refresh)
        return box

    def _reset_box(self) -> QGroupBox:
        box = QGroupBox("Factory resets")
        layout = QHBoxLayout(box)
        sensor = QPushButton("Reset sensor configuration…")
        board = QPushButton("Reset network board…")
        sensor.clicked.connect(self._reset_sensor)
        board.clicked.connect(self._reset_board)
        layout.addWidget(sensor)
        layout.addWidget(board)
        return box

    def reload(self) -> None:
        """Read network settings, name and event log."""
        read = self.work.op("Reading device settings", lambda _: read_device_settings(self.client))
        read.read_only().success(self._show_settings).run()

    def _show_settings(self, settings: DeviceSettings) -> None:
        self.network.show_settings(settings.network)
        self.name_edit.setText(settings.name)
        self.network.show_name(settings.name)
        self._show_events(settings.events)

    def _reload_events(self) -> None:
        read = self.work.op("Reading the event log", lambda _: self.client.read_event_log())
        read.read_only().success(self._show_events).run()

    def _show_events(self, events: tuple[AlarmEvent, ...]) -> None:
        now = datetime.now()
        self.events.setRowCount(len(events))
        for row, event in enumerate(events):
            size = f"{event.min_rcs}-{event.max_rcs}" if event.min_rcs is not None else ""
            for column, text in enumerate(
                (started_at(now, event.elapsed_time), event.description, duration_text(event.duration), size)
            ):
                self.events.setItem(row, column, QTableWidgetItem(text))
        self.events.resizeColumnsToContents()

    def _save_name(self) -> None:
        name = self.name_edit.text().strip()
        self.name_note.clear()
        store = self.work.op("Saving the device name", lambda _: self.client.write_name(name))
        store.success(lambda _: self._name_stored(name)).run()

    def _name_stored(self, name: str) -> None:
        self.name_note.setText(f"Saved: the device is now called {name}.")
        self.network.show_name(name)

    def _change_password(self) -> None:
        new, repeat = self.new_password.text(), self.repeat_password.text()
        problem = password_problem(new, repeat)
        if problem:
            self.password_note.setText(problem)
            return
        change = self.work.op("Changing the password", lambda _: self.client.change_password(new))
        change.success(lambda _: self._password_changed(new)).run()

    def _password_changed(self, new: str) -> None:
        self.new_password.clear()
        self.repeat_password.clear()
        remember = self.work.context.remember_credentials
        if remember is not None:
            remember(Credentials("", new))
            self.password_note.setText("Password changed and stored for this device.")
        else:
            self.password_note.setText(
                "Password changed. Update the site's password record: it is not shown again."
            )

    def _reset_sensor(self) -> None:
        if confirm(self, "Reset sensor configuration", SENSOR_RESET_TEXT):
            reset = self.work.op("Resetting the sensor configuration", lambda _: self.client.reset_sensor())
            reset.success(lambda _: self._sensor_was_reset()).run()

    def _sensor_was_reset(self) -> None:
        context = self.work.context
        context.history.record(context.identity.key, "Sensor configuration reset", "done")
        context.notify(
            "warning",
            "Sensor configuration is back to factory defaults: set the alarm areas again and calibrate.",
        )
        self.sensor_reset.emit()

    def _reset_board(self) -> None:
        if confirm(self, "Reset network board", COMBOARD_RESET_TEXT):
            reset = self.work.op("Resetting the network board", lambda _: self.client.reset_comboard())
            reset.success(lambda _: self._board_was_reset()).run()

    def _board_was_reset(self) -> None:
        context = self.work.context
        context.history.record(context.identity.key, "Network board reset", "done")
        context.notify(
            "warning",
            "Network board reset: the device uses the factory password and factory network "
            "settings again and may move. Close this panel and log in again with the "
            "factory password; the app asks for a new one.",
        )


def started_at(now: datetime, elapsed_s: int) -> str:
    """When an event began, as a clock time (with the date when not today), from its age in seconds."""
    start = now - timedelta(seconds=elapsed_s)
    return start.strftime("%H:%M:%S" if start.date() == now.date() else "%Y-%m-%d %H:%M")


def duration_text(seconds: int) -> str:
    """A duration as "45 s", "3 min 20 s" or "2 h 5 min"."""
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def password_problem(new: str, repeat: str) -> str:
    """Why a new password cannot be used, or "" when it can."""
    # Assumed: the document gives no password rule (§3.10); 8 characters is this app's own minimum.
    if len(new) < 8:
        return "Use at least 8 characters (this app's minimum; the sensor's own rule is not documented)."
    if new != repeat:
        return "The two passwords differ."
    return ""
