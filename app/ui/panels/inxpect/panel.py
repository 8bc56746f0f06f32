"""InxpectPanel: commissioning an MSK-101-POE — password first, then live targets, mounting, configuration,
calibration, firmware, network and device settings."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.models import Credentials
from app.ui.panel_context import PanelContext
from app.ui.panel_work import PanelWork
from app.ui.panels.inxpect.calibration_wizard import CalibrationWizard
from app.ui.panels.inxpect.config_tab import ConfigurationTab
from app.ui.panels.inxpect.device_tab import DeviceTab, password_problem
from app.ui.panels.inxpect.firmware_tab import FirmwareTab
from app.ui.panels.inxpect.live_view import LiveTargetsView
from app.ui.panels.inxpect.mounting_tab import MountingTab
from app.ui.panels.tab_pages import scrolled, show_tab, shown_in
from app.ui.plain_text import escaped, rich
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.firmware import describe_firmware, short_firmware
from app.vendors.inxpect.live_feed import LiveFeed
from app.vendors.inxpect.live_thread import LiveFeedThread, sibling_source
from app.vendors.inxpect.models import DeviceInfo, SensorConfiguration
from app.vendors.inxpect.panel_reads import FieldOfView, read_field_of_view

#: §3.5: the com board's pinResetRequired flag, in words.
PIN_RESET_NOTE = "⚠ The network board reports pinResetRequired: its password must be changed."


class PasswordGate(QWidget):
    """Shown instead of everything else while the sensor still has its factory password (§3.12, code 100)."""

    def __init__(self, panel: InxpectPanel) -> None:
        super().__init__()
        self.panel = panel
        layout = QVBoxLayout(self)
        title = rich(QLabel("<h3>Change the factory password first</h3>"))
        text = QLabel(
            "This sensor still uses its factory password. It refuses every other request until the "
            "password is changed. Choose a new password (this app asks for at least 8 characters) and "
            "keep it in the site's records."
        )
        text.setWordWrap(True)
        form = QFormLayout()
        self.new_password = QLineEdit()
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("New password:", self.new_password)
        form.addRow("Repeat:", self.repeat)
        self.problem = QLabel()
        self.problem.setStyleSheet("color:#b71c1c;")
        self.button = QPushButton("Change password and continue")
        self.button.clicked.connect(self._change)
        self.new_password.returnPressed.connect(self.repeat.setFocus)
        self.repeat.returnPressed.connect(self._change)
        for item in (title, text):
            layout.addWidget(item)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.button)
        layout.addStretch(1)

    def _change(self) -> None:
        new = self.new_password.text()
        problem = password_problem(new, self.repeat.text())
        self.problem.setText(problem)
        if not problem:
            change = self.panel.work.op("Changing the factory password", lambda _: self._store(new))
            change.success(lambda _: self._changed(new)).run()

    async def _store(self, new: str) -> None:
        await self.panel.client.change_password(new)

    def _changed(self, new: str) -> None:
        self.new_password.clear()
        self.repeat.clear()
        context = self.panel.context
        context.history.record(context.identity.key, "Factory password changed", "done")
        if context.remember_credentials is not None:
            context.remember_credentials(Credentials("", new))
            context.notify("info", "Password changed and stored for this device: the next login uses it.")
        else:
            context.notify("info", "Password changed. Store the new password in the site's records: "
                                   "the next login needs it.")
        self.panel.open_tabs()


class InxpectPanel(QWidget):
    """The MSK-101-POE panel; every slow step runs through its PanelWork and is cancelled on close."""

    def __init__(self, context: PanelContext[InxpectClient], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.client: InxpectClient = context.client
        self.work = PanelWork(context, self)
        self.feed = LiveFeed(self.client)
        self._feed_task: asyncio.Task[None] | None = None
        self.wizard: CalibrationWizard | None = None
        self._info: DeviceInfo | None = None
        self._build_ui()
        self._connect_signals()
        if self.client.password_is_default:
            self.stack.setCurrentWidget(self.gate)
            QTimer.singleShot(0, self.gate.new_password.setFocus)  # once the tab is on screen
        else:
            self.open_tabs()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.header = rich(QLabel())
        self.header.setWordWrap(True)
        self.show_device_info(None)
        layout.addWidget(self.header)
        self.stack = QStackedWidget()
        self.gate = PasswordGate(self)
        self.tabs = QTabWidget()
        self.live = LiveTargetsView()
        self.mounting = MountingTab(self.work, self.client)
        self.configuration = ConfigurationTab(self.work, self.client)
        calibration = QWidget()
        calibration_layout = QVBoxLayout(calibration)
        intro = QLabel(
            "Calibration teaches the sensor the size of the calibration object in this place. It needs "
            "a static scene and about a minute. A walk test then checks the alarm distance."
        )
        intro.setWordWrap(True)
        self.calibrate_button = QPushButton("Start the calibration wizard…")
        calibration_layout.addWidget(intro)
        calibration_layout.addWidget(self.calibrate_button)
        calibration_layout.addStretch(1)
        self.firmware = FirmwareTab(self.work, self.client)
        self.device = DeviceTab(self.work, self.client)
        for widget, title in (
            (self.live, "Live targets"),
            (self.mounting, "Mounting"),
            (self.configuration, "Configuration"),
            (calibration, "Calibration"),
            (self.firmware, "Firmware"),
            (self.device, "Network and device"),
        ):
            self.tabs.addTab(widget if widget is self.live else scrolled(widget), title)
        self.stack.addWidget(self.gate)
        self.stack.addWidget(self.tabs)
        layout.addWidget(self.stack, 1)

    def _connect_signals(self) -> None:
        self.calibrate_button.clicked.connect(self.open_calibration_wizard)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.configuration.saved.connect(self._configuration_saved)
        self.device.sensor_reset.connect(self.configuration.reload)
        self.device.backup.restored.connect(self.configuration.reload)
        self.firmware.firmware_changed.connect(self.show_device_info)

    def open_tabs(self) -> None:
        """Leave the password gate: load the device's data and start the live view."""
        self.stack.setCurrentWidget(self.tabs)
        self.configuration.reload()
        self.device.reload()
        read = self.work.op("Reading the field of view", lambda _: read_field_of_view(self.client))
        read.read_only().success(self._show_field_of_view).run()
        self._tab_changed(self.tabs.currentIndex())

    def show_tab(self, tab: QWidget) -> None:
        """Bring `tab` (one of the panel's tabs, scrolled or not) to the front."""
        show_tab(self.tabs, tab)

    def show_device_info(self, info: DeviceInfo | None) -> None:
        """The header: model, name, address and the firmware read from the sensor (once it was read)."""
        identity = self.context.identity
        firmware = describe_firmware(info) if info is not None else f"firmware {identity.firmware or '…'}"
        if info is not None and self.context.firmware_read is not None:
            self.context.firmware_read(short_firmware(info))
        text = (
            f"<h2>Inxpect {escaped(identity.model)}</h2> {escaped(identity.name or identity.serial)} — "
            f"{escaped(self.context.endpoint.base_url)} — {escaped(firmware)}"
        )
        if info is not None and info.comboard.pin_reset_required:
            text += f"<br>{escaped(PIN_RESET_NOTE)}"
        self.header.setText(text)

    def _show_field_of_view(self, view: FieldOfView) -> None:
        self._info = view.info
        self.show_device_info(view.info)
        self._configuration_saved(view.configuration)

    def _configuration_saved(self, configuration: SensorConfiguration) -> None:
        info = self._info
        if info is None:
            return
        self.live.set_geometry(
            info.sensor.min_angle,
            info.sensor.max_angle,
            info.sensor.max_distance,
            configuration.alarm_distance,
            configuration.pre_alarm_distance,
        )
        self.mounting.configuration = configuration

    def _tab_changed(self, index: int) -> None:
        """Poll only what the visible tab shows: the sensor also serves updates and calibrations."""
        widget = shown_in(self.tabs.widget(index))
        if widget is self.mounting:
            self.mounting.start()
        else:
            self.mounting.stop()
        if widget is self.live:
            self.start_live()
        else:
            self.stop_live()

    def start_live(self) -> None:
        """Poll detections and repaint the live view (idempotent)."""
        if self._feed_task is None or self._feed_task.done():
            poll = self.work.op("Live targets", lambda _: self.poll_live(self.feed)).in_background()
            self._feed_task = poll.run()
            self.live.attach(self.feed)

    async def poll_live(self, feed: LiveFeed) -> None:
        """Fill `feed` until cancelled: on a worker thread with its own session when the context can open
        one (painting and polling then never wait for each other), else on the Qt thread's loop."""
        open_http = self.context.open_http
        if open_http is None:
            await feed.run()
            return
        await LiveFeedThread(feed, sibling_source(self.client, open_http)).run()

    def stop_live(self) -> None:
        """Stop polling detections and repainting."""
        if self._feed_task is not None:
            self._feed_task.cancel()
            self._feed_task = None
        self.live.detach()

    def open_calibration_wizard(self) -> CalibrationWizard:
        """Open (or raise) the non-modal calibration wizard."""
        if self.wizard is None or not self.wizard.isVisible():
            info = self._info
            field = (info.sensor.min_angle, info.sensor.max_angle, info.sensor.max_distance) if info else None
            self.wizard = CalibrationWizard(self.work, self.client, self.poll_live, self, field)
            self.wizard.calibration_saved.connect(lambda _coefficient: self.configuration.reload())
        self.wizard.show()
        self.wizard.raise_()
        return self.wizard

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802  (Qt API)
        """Another tab (or a minimised window) hides the panel: stop polling until it is shown again."""
        self.mounting.stop()
        self.stop_live()
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802  (Qt API)
        """Shown again: resume polling what the visible tab shows (not while the password gate is up)."""
        super().showEvent(event)
        if self.stack.currentWidget() is self.tabs:
            self._tab_changed(self.tabs.currentIndex())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  (Qt API)
        """Cancel everything this panel started: live feed, polling, operations, the wizard."""
        self.live.detach()
        if self.wizard is not None:
            self.wizard.close()
        self.work.close()
        super().closeEvent(event)
