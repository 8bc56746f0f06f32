"""TwoNPanel: commission a 2N IP intercom: device, display, firmware, configuration, door, events, camera."""

from __future__ import annotations

import logging

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.panel_context import PanelContext
from app.ui.panel_work import PanelWork
from app.ui.panels.two_n.calls_tab import CallsTab
from app.ui.panels.two_n.camera_tab import CameraTab
from app.ui.panels.two_n.common import PanelTabs
from app.ui.panels.two_n.directory_tab import DirectoryTab
from app.ui.panels.two_n.display_tab import DisplayTab
from app.ui.panels.two_n.io_tab import IoTab
from app.ui.panels.two_n.live_tabs import DoorTab, EventsTab
from app.ui.panels.two_n.maintenance_tabs import ConfigTab, DeviceTab, FirmwareTab
from app.ui.plain_text import escaped, rich
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.event_stream import EventStream
from app.vendors.two_n.models import SystemInfo

log = logging.getLogger(__name__)


class TwoNPanel(QWidget):
    """One tab per commissioning job; one live event channel feeds the event log and the door tab."""

    def __init__(self, context: PanelContext[TwoNClient], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.client: TwoNClient = context.client
        self.work = PanelWork(context, self)
        self.events = EventStream(self.client)
        self._closed = False
        self._build_ui()
        self._connect_signals()
        read = self.work.op("Reading the intercom", lambda _: self.client.system_info()).in_background()
        read.success(self._show).failure_in(self.device_tab.status).run()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        identity = self.context.identity
        self.title = rich(QLabel(f"<h2>{escaped(identity.model)} — {escaped(identity.serial)}</h2>"))
        self.wizard_button = QPushButton("Commissioning wizard…")
        header.addWidget(self.title, 1)
        header.addWidget(self.wizard_button)
        layout.addLayout(header)
        self.tabs = PanelTabs()
        self.device_tab = DeviceTab(self.work, self.client)
        self.display_tab = DisplayTab(self.work, self.client)
        self.firmware_tab = FirmwareTab(self.work, self.client)
        self.config_tab = ConfigTab(self.work, self.client)
        self.door_tab = DoorTab(self.work, self.client)
        self.events_tab = EventsTab(self.work, self.client)
        self.camera_tab = CameraTab(self.work, self.client)
        self.calls_tab = CallsTab(self.work, self.client)
        self.io_tab = IoTab(self.work, self.client)
        self.directory_tab = DirectoryTab(self.work, self.client)
        for tab, name in ((self.device_tab, "Device"), (self.display_tab, "Display"),
                          (self.firmware_tab, "Firmware"), (self.config_tab, "Configuration"),
                          (self.door_tab, "Door && switches"), (self.events_tab, "Events"),
                          (self.camera_tab, "Camera"), (self.calls_tab, "Calls"),
                          (self.io_tab, "Relays && inputs"), (self.directory_tab, "Directory")):
            self.tabs.addTab(tab, name)
        layout.addWidget(self.tabs, 1)

    def _connect_signals(self) -> None:
        self.wizard_button.clicked.connect(self.open_wizard)
        self.events.subscribe(self.events_tab.on_event)
        self.events.subscribe(self.door_tab.on_event)
        self.events.subscribe(self.calls_tab.on_event)
        self.events.subscribe(self.io_tab.on_event)
        self.events.on_status(self.events_tab.on_status)

    def _show(self, info: SystemInfo) -> None:
        self.device_tab.show_info(info)
        self.firmware_tab.show_version(info.sw_version)
        self.display_tab.load(info.variant)
        self.door_tab.load()
        self.camera_tab.load()
        self.calls_tab.load()
        self.io_tab.load()
        self.directory_tab.load()
        self.device_tab.refresh()
        self.work.op("Live events", lambda _: self.events.run()).in_background().run()

    def open_wizard(self) -> None:
        """Open the commissioning wizard for this intercom (non-modal)."""
        from app.ui.panels.two_n.wizard import CommissioningWizard

        wizard = CommissioningWizard(self.work, self.client, self.display_tab, parent=self)
        wizard.show()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  (Qt API)
        """Cancel every operation and the event stream (which unsubscribes its channel)."""
        self.close_panel()
        super().closeEvent(event)

    def close_panel(self) -> None:
        """Cancel everything this panel started; idempotent."""
        if self._closed:
            return
        self._closed = True
        self.work.close()
