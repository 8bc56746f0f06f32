"""The tabs of the main window: the device list first, then one closable tab per opened device panel."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget

from app.backend.history import DeviceHistory
from app.site.opened import OpenedDevice
from app.ui.device_list import display_name
from app.ui.panel_context import Notify, PanelContext
from app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

#: At exit, how long the sessions of closed panels may take to log out before their log-out is cut short.
LOGOUT_WAIT_S = 3.0


@dataclass(slots=True)
class OpenPanel:
    """A panel on screen and the logged-in device behind it."""

    key: str
    widget: QWidget
    device: OpenedDevice
    #: The tab's page: the panel in a scroll area, so a tall panel never pushes the window off the screen.
    page: QScrollArea


class PanelWorkspace(QTabWidget):
    """Hosts the device list tab and the panels; closing a panel cancels its tasks and logs out."""

    panel_opened = Signal(str)
    panel_closed = Signal(str)
    #: (device key, firmware version) read by an open panel from the device itself.
    firmware_read = Signal(str, str)

    def __init__(
        self,
        tasks: TaskRunner,
        history: DeviceHistory,
        notify: Notify,
        parent: QWidget | None = None,
        *,
        demo: bool = False,
    ) -> None:
        super().__init__(parent)
        self._demo = demo
        self._tasks = tasks
        self._history = history
        self._notify = notify
        self._panels: dict[str, OpenPanel] = {}
        self._closing: set[asyncio.Task[None]] = set()
        self.setTabsClosable(True)
        self.setMovable(True)
        self.setDocumentMode(True)
        self.tabCloseRequested.connect(self._close_tab)

    @property
    def demo(self) -> bool:
        """True on the simulated demo site (panels then offer demo-only help, e.g. the demo CA)."""
        return self._demo

    def panel(self, key: str) -> QWidget | None:
        """The open panel of a device."""
        entry = self._panels.get(key)
        return entry.widget if entry else None

    def add_home(self, widget: QWidget, title: str) -> None:
        """The first, unclosable tab (the device list)."""
        self.insertTab(0, widget, title)
        bar = self.tabBar()
        for side in (bar.ButtonPosition.RightSide, bar.ButtonPosition.LeftSide):
            button = bar.tabButton(0, side)
            if button is not None:
                button.resize(0, 0)
                button.hide()

    def opened_device(self, key: str) -> OpenedDevice | None:
        """The logged-in device behind a device's open panel, if it has one."""
        entry = self._panels.get(key)
        return entry.device if entry else None

    def current_panel_key(self) -> str | None:
        """The device key of the panel in front; None while the device list is in front."""
        page = self.currentWidget()
        return next((key for key, entry in self._panels.items() if entry.page is page), None)

    def focus_panel(self, key: str) -> bool:
        """Bring an already open panel to the front; False when the device has none."""
        entry = self._panels.get(key)
        if entry is None:
            return False
        self.setCurrentWidget(entry.page)
        return True

    def show_panel(self, device: OpenedDevice, key: str = "") -> QWidget:
        """Build the vendor's panel (registry imported on first use) and show it in a new tab under `key`
        (the device's row; its identity key when not given)."""
        from app.ui.panels.registry import panel_factory

        identity = device.identity
        key = key or identity.key
        context = PanelContext(
            identity, device.endpoint, device.client, self._tasks, self._history, self._notify,
            remember_credentials=device.remember_credentials, open_http=device.open_http,
            firmware_read=lambda version: self.firmware_read.emit(key, version), demo=self._demo,
        )
        widget = panel_factory(identity.vendor)(context)
        page = QScrollArea()
        page.setWidgetResizable(True)
        page.setFrameShape(QFrame.Shape.NoFrame)
        page.setWidget(widget)
        self._panels[key] = OpenPanel(key, widget, device, page)
        index = self.addTab(page, display_name(identity.vendor, identity.model))
        self.setTabToolTip(index, f"{identity.model} {identity.serial} at {device.endpoint.base_url}")
        self.setCurrentIndex(index)
        self.panel_opened.emit(key)
        return widget

    def close_panel(self, key: str) -> None:
        """Close a device's panel: its tasks are cancelled and its session is closed in the background."""
        entry = self._panels.pop(key, None)
        if entry is None:
            return
        entry.widget.close()
        self._tasks.cancel_owned(entry.widget)
        self.removeTab(self.indexOf(entry.page))
        entry.page.deleteLater()
        name = f"Logging out of {entry.device.identity.model}"
        closing = self._tasks.spawn(entry.device.aclose(), name=name)
        self._closing.add(closing)
        closing.add_done_callback(self._closing.discard)
        self.panel_closed.emit(key)

    async def wait_closed(self, limit: float = LOGOUT_WAIT_S) -> None:
        """Wait until the sessions of closed panels are closed; a log-out still running after `limit`
        seconds is cancelled, which closes its connections all the same."""
        if not self._closing:
            return
        _, late = await asyncio.wait(set(self._closing), timeout=limit)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    def close_all(self) -> None:
        """Close every panel (the window is closing)."""
        for key in list(self._panels):
            self.close_panel(key)

    def _close_tab(self, index: int) -> None:
        widget = self.widget(index)
        key = next((k for k, entry in self._panels.items() if entry.page is widget), None)
        if key is not None:
            self.close_panel(key)
