"""A device's clock through the cloud: read time, time zone and NTP server; set them; show the read-back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.device_time import (
    ClockSetting,
    DeviceClock,
    NtpServer,
    posix_zone,
    read_clock,
    set_clock,
    zone_offset,
)
from app.vendors.hikvision.models import CloudDevice

#: (timeMode, words) the technician chooses from.
MODES = (("NTP", "Synchronise with an NTP server"), ("manual", "Set to this computer's time"))


class DeviceTimeDialog(QDialog):
    """Reads the device's clock when opened; Apply sets it and shows what the device reads back."""

    def __init__(
        self,
        work: PanelWork,
        client: HikPartnerClient,
        device: CloudDevice,
        site_time_zone: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.work, self.client, self.device = work, client, device
        self._site_zone = posix_zone(site_time_zone) if site_time_zone is not None else ""
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setWindowTitle(f"Device time — {self.device.name or self.device.serial}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.current = QLabel("Reading the device's clock…")
        self.current.setTextFormat(Qt.TextFormat.PlainText)  # the device's own text
        self.current.setWordWrap(True)
        self.current.setAccessibleName("Device clock")
        layout.addWidget(self.current)
        form = QFormLayout()
        self.mode = QComboBox()
        for value, words in MODES:
            self.mode.addItem(words, value)
        self.zone = QLineEdit(self._site_zone)
        self.zone.setPlaceholderText("POSIX time zone, e.g. CST-1:00:00")
        self.site_zone_button = QPushButton("Use the site's time zone")
        self.site_zone_button.setEnabled(bool(self._site_zone))
        self.ntp_address, self.ntp_port, self.ntp_interval = QLineEdit(), QSpinBox(), QSpinBox()
        self.ntp_address.setPlaceholderText("NTP server host name or IPv4 address")
        self.ntp_port.setRange(1, 65535)
        self.ntp_port.setValue(123)
        self.ntp_interval.setRange(1, 10080)
        self.ntp_interval.setValue(60)
        self.ntp_interval.setSuffix(" min")
        form.addRow("&Mode:", self.mode)
        form.addRow("Time &zone:", self.zone)
        form.addRow("", self.site_zone_button)
        form.addRow("NTP &server:", self.ntp_address)
        form.addRow("NTP &port:", self.ntp_port)
        form.addRow("&Interval:", self.ntp_interval)
        layout.addLayout(form)
        self.read_back = QLabel()
        self.read_back.setTextFormat(Qt.TextFormat.PlainText)
        self.read_back.setWordWrap(True)
        self.read_back.setAccessibleName("Read back")
        layout.addWidget(self.read_back)
        choice = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(choice.Apply | choice.Close)
        self.apply_button = self.buttons.button(choice.Apply)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        self.site_zone_button.clicked.connect(lambda: self.zone.setText(self._site_zone))
        self.mode.currentIndexChanged.connect(self._mode_changed)

    def _mode_changed(self) -> None:
        ntp = self.mode.currentData() == "NTP"
        for field in (self.ntp_address, self.ntp_port, self.ntp_interval):
            field.setEnabled(ntp)

    def read(self) -> None:
        """Read the device's clock and fill the form from it."""
        serial = self.device.serial
        op = self.work.op(f"Reading the clock of {serial}", lambda _: read_clock(self.client, serial))
        op.in_background().success(self.show_clock).run()

    def show_clock(self, clock: DeviceClock) -> None:
        """Show what the device says and start the form from it."""
        self.current.setText(f"The device says: {clock.words}")
        self.mode.setCurrentIndex(max(0, self.mode.findData(clock.time.mode)))
        self._mode_changed()
        self.zone.setText(clock.time.time_zone or self._site_zone)
        if clock.ntp is not None:
            self.ntp_address.setText(clock.ntp.address)
            self.ntp_port.setValue(clock.ntp.port)
            self.ntp_interval.setValue(clock.ntp.interval_minutes)

    def setting(self) -> ClockSetting:
        """What the form asks for (a manual time is this computer's, in the chosen zone's standard time)."""
        mode, zone = str(self.mode.currentData()), self.zone.text()
        if mode == "NTP":
            server = NtpServer(self.ntp_address.text(), self.ntp_port.value(), self.ntp_interval.value())
            return ClockSetting(mode, zone, ntp=server)
        offset = zone_offset(zone) or timedelta(0)
        return ClockSetting(mode, zone, local_time=datetime.now(timezone(offset)).replace(tzinfo=None))

    def apply(self) -> None:
        """Set the device's clock as the form says, then show what it reads back."""
        serial, setting = self.device.serial, self.setting()

        async def run(_: ProgressReporter) -> DeviceClock:
            return await set_clock(self.client, serial, setting)

        def done(clock: DeviceClock) -> None:
            self.read_back.setText(f"Set. Read back: {clock.words}")
            self.work.context.history.record(
                f"hikvision:{serial}", "Device time set", "done", {"read back": clock.words}
            )

        def failed(error: Exception) -> None:
            self.read_back.setText(f"Not set: {error}")

        op = self.work.op(f"Setting the clock of {serial}", run).records_own_history()
        op.success(done).failure(failed).run()

