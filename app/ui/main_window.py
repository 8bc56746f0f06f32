"""The main window: device list, panels in tabs, task area, log, history, notifications, toolbar."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.backend.credentials import CredentialStore
from app.core.errors import CertificateChangedError
from app.core.models import DeviceState
from app.core.progress import Operation
from app.discovery.inventory import DeviceEntry, InventoryChange, InventoryChangeKind
from app.site.connection import OPEN_STAGES, DeviceConnection
from app.site.connections import DeviceMoved, OpenRefused, SiteConnections
from app.site.connector import SiteConnector
from app.site.naming import device_label
from app.site.opened import OpenedDevice
from app.ui.device_list import DeviceFilterModel, DeviceListModel, DeviceTableView
from app.ui.device_prompts import DialogPrompts
from app.ui.history_view import HistoryView
from app.ui.log_view import LogView
from app.ui.menus import build_menus
from app.ui.notifications import NotificationBar
from app.ui.plain_text import rich
from app.ui.services import AppServices
from app.ui.site_job_action import build_site_job_menu, recover_interrupted_jobs
from app.ui.tasks import TaskArea, TaskRunner
from app.ui.visit.controller import install_visit
from app.ui.workspace import PanelWorkspace

log = logging.getLogger(__name__)

#: Devices found are re-probed this often, so one that vanished shows OFFLINE and one that came back returns.
REPROBE_INTERVAL_MS = 30_000
#: Room left for the window manager's frame and title bar when sizing to the screen.
FRAME_ALLOWANCE = 40
#: Height of the expanded task dock: enough for two running tasks and a few finished ones.
TASK_DOCK_HEIGHT = 150
#: Height of the log dock when it is shown.
LOG_DOCK_HEIGHT = 160
#: Width of the device-history dock on the right.
HISTORY_DOCK_WIDTH = 300
#: Narrower windows (a 1366-pixel laptop) start with the device-history dock closed: panels need the width.
ROOM_FOR_HISTORY_WIDTH = 1600
#: The window's preferred size; it shrinks to the screen's available area (a 1366x768 laptop).
PREFERRED_SIZE = (1280, 820)


class MainWindow(QMainWindow):
    """The technician's one window; long work runs through `tasks`, questions through non-modal dialogs."""

    first_painted = Signal()
    dialog_opened = Signal(object)

    def __init__(self, services: AppServices, *, demo: bool = False) -> None:
        super().__init__()
        self.services = services
        #: True on the simulated demo site: the title, the panels (demo CA) and the report say so.
        self.demo = demo
        self._painted = False
        self.notifications = NotificationBar()
        self.tasks = TaskRunner(self.notify, services.history, self, on_error=self._task_failed)
        self.model = DeviceListModel(self)
        self.proxy = DeviceFilterModel(self)
        self.proxy.setSourceModel(self.model)
        #: How the connections ask the technician (non-modal dialogs over this window).
        self.prompts = DialogPrompts(self, lambda: services.credentials_kept, self.dialog_opened.emit)
        self.connector = SiteConnector(
            services.trust, services.credentials, prompts=self.prompts, inventory=services.inventory,
            history=services.history,
        )
        self.connections = SiteConnections(self.connector, moved=self._device_moved)
        self.opened_at = datetime.now(UTC)
        self._reprobe: asyncio.Task[Any] | None = None
        self.reprobe_timer = QTimer(self)
        self.reprobe_timer.setInterval(REPROBE_INTERVAL_MS)
        self._build_ui()
        #: Site jobs the last run left unfinished (announced, offered for resuming in the Site job menu).
        self.interrupted_jobs = recover_interrupted_jobs(self)
        self._build_actions()
        self._connect_signals()
        self.visit = install_visit(self)  # the site plan, its checklist dock and the Visit menu
        for entry in services.inventory.entries():
            self.model.upsert(entry)
        self._unsubscribe = services.inventory.subscribe(self._inventory_changed)

    # ---- construction -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.setWindowTitle("Commissioner" + (" — DEMO" if self.demo else ""))
        self._fit_to_screen()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        self.banner_slot = QVBoxLayout()
        layout.addLayout(self.banner_slot)
        self.workspace = PanelWorkspace(
            self.tasks, self.services.history, self.notify, demo=self.demo
        )
        self.workspace.add_home(self._device_page(), "Devices")
        layout.addWidget(self.workspace, 1)
        # Below the panels, above the task area: a note that comes or goes (info notes time out) moves
        # only the bottom edge of the panel, never the tabs and buttons under the technician's pointer.
        layout.addWidget(self.notifications)
        self.setCentralWidget(central)
        self.task_area = TaskArea(self.tasks)
        self.log_view = LogView()
        self.history_view = HistoryView(self.services.history)
        self.history_view.setMinimumWidth(220)
        self.task_dock = self._dock("Tasks", self.task_area, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.log_dock = self._dock("Log", self.log_view, Qt.DockWidgetArea.BottomDockWidgetArea)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.history_dock = self._dock("Device history", self.history_view, right)
        # The task area is one line until asked for more; the log is below it, shown from the View menu.
        self.splitDockWidget(self.task_dock, self.log_dock, Qt.Orientation.Vertical)
        self.log_dock.hide()
        self.resizeDocks([self.log_dock], [LOG_DOCK_HEIGHT], Qt.Orientation.Vertical)
        self.resizeDocks([self.history_dock], [HISTORY_DOCK_WIDTH], Qt.Orientation.Horizontal)
        if self.width() < ROOM_FOR_HISTORY_WIDTH:  # a laptop: panels need the width (View > Device history)
            self.history_dock.hide()
        self.count_label = QLabel()
        self.discovery_label = QLabel()
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.discovery_label)
        self._update_counts()

    def _fit_to_screen(self) -> None:
        """The preferred size, or the screen's available area when that is smaller (frame included)."""
        width, height = PREFERRED_SIZE
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width() - FRAME_ALLOWANCE)
            height = min(height, available.height() - FRAME_ALLOWANCE)
            self.move(available.topLeft())
        self.resize(width, height)

    def _device_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("Filter devices (vendor, model, address, serial, state…)  Ctrl+F")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setAccessibleName("Filter devices")
        self.table = DeviceTableView()
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        for column, width in enumerate((90, 150, 0, 130, 150, 130, 140)):
            if width:
                self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.empty_hint = rich(QLabel(
            "Looking for devices… Devices that don't announce themselves can be added with "
            "<b>Add device</b> or <b>Scan range</b>."
        ))
        self.empty_hint.setObjectName("emptyHint")
        self.empty_hint.setWordWrap(True)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.table, 1)
        return page

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.replace(" ", "_"))
        dock.setWidget(widget)
        feature = QDockWidget.DockWidgetFeature
        dock.setFeatures(
            feature.DockWidgetMovable | feature.DockWidgetClosable | feature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_actions(self) -> None:
        toolbar = QToolBar("Toolbar")
        self.toolbar = toolbar
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)
        self.open_action = self._action(toolbar, "&Open", "Return", self._open_selected)
        toolbar.addSeparator()
        self.add_action = self._action(toolbar, "&Add device…", "Ctrl+N", lambda: self.show_add_dialog(""))
        self.scan_action = self._action(
            toolbar, "&Scan range…", "Ctrl+R", lambda: self.show_add_dialog(scan=True)
        )
        self.cloud_action = self._action(toolbar, "&Cloud account…", "Ctrl+K", self.show_cloud_dialog)
        toolbar.addSeparator()
        self.site_job_menu = build_site_job_menu(self)
        self.site_job_action = self._action(toolbar, "Site &job", "Ctrl+B", self._show_site_job_menu)
        self.report_action = self._action(toolbar, "&Report…", "Ctrl+P", self.export_site_report)
        self.settings_action = self._action(toolbar, "Se&ttings…", QKeySequence.StandardKey.Preferences,
                                            self.show_settings)
        self.open_action.setShortcut(QKeySequence())  # Enter is handled by the table, not a window shortcut
        self.quit_action = QAction("&Quit", self, shortcut=QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        self.task_details_action = QAction("Task &details", self, shortcut=QKeySequence("Ctrl+J"))
        self.task_details_action.setCheckable(True)
        self.task_details_action.toggled.connect(self.task_area.set_expanded)
        self.select_model_action = QAction("Select all of this &model", self,
                                           shortcut=QKeySequence("Ctrl+Shift+A"))
        self.select_model_action.triggered.connect(self.table.select_same_model)
        self.file_menu = build_menus(self)
        focus_filter = QAction("Filter", self, shortcut=QKeySequence(QKeySequence.StandardKey.Find))
        focus_filter.triggered.connect(self._focus_filter)
        self.addAction(focus_filter)

    def _focus_filter(self) -> None:
        self.workspace.setCurrentIndex(0)
        self.filter_box.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _action(self, toolbar: QToolBar, text: str, shortcut: Any, slot: Any) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        toolbar.addAction(action)
        return action

    def _connect_signals(self) -> None:
        self.filter_box.textChanged.connect(self.proxy.setFilterFixedString)
        self.table.open_requested.connect(self.open_device)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.counts_changed.connect(self._update_counts)
        self.reprobe_timer.timeout.connect(self.reprobe_devices)
        self.workspace.currentChanged.connect(self._tab_changed)
        self.task_area.expanded_changed.connect(self._task_area_expanded)
        self.workspace.firmware_read.connect(self.services.inventory.note_firmware)

    # ---- discovery ---------------------------------------------------------------------------
    async def start_discovery(self, interfaces: Sequence[str]) -> None:
        """Browse mDNS on `interfaces`; failure is shown, never fatal (manual add still works)."""
        discovery = self.services.discovery
        if discovery is None:
            return
        try:
            await discovery.start(list(interfaces))
        except (OSError, ValueError) as err:
            self.discovery_label.setText("mDNS browsing stopped")
            self.notify("error", f"Cannot browse for devices on {', '.join(interfaces)}: {err}. "
                                 "Add devices by address, or choose other interfaces in Settings.")
            return
        self.discovery_label.setText(f"Browsing mDNS on {', '.join(interfaces)}")
        self.reprobe_timer.start()

    def reprobe_devices(self) -> asyncio.Task[Any] | None:
        """Re-probe every identified device in the background (unless a re-probe is still running)."""
        discovery = self.services.discovery
        if discovery is None or (self._reprobe is not None and not self._reprobe.done()):
            return None
        self._reprobe = self.tasks.spawn(discovery.refresh(), owner=self, name="Re-checking devices")
        return self._reprobe

    def restart_discovery(self, interfaces: Sequence[str]) -> None:
        """Browse on other interfaces (settings changed); empty means every real interface."""
        from app.discovery.interfaces import default_browse_addresses

        chosen = list(interfaces) or default_browse_addresses()
        self.tasks.spawn(self.start_discovery(chosen), owner=self, name="Restart discovery")

    # ---- notifications and painting -----------------------------------------------------------
    def notify(self, level: str, message: str) -> None:
        """Show a non-modal notification (and log it)."""
        self.notifications.notify(level, message)

    def set_banner(self, widget: QWidget) -> None:
        """Put a banner (the demo's) above everything else."""
        self.banner_slot.addWidget(widget)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802  (Qt API)
        """Announce the first paint once (start-up measurement and self-test use it)."""
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  (Qt API)
        """Cancel running work, then close panels: the log-outs they start are not cancelled with it."""
        self._unsubscribe()
        self.connections.close()
        self.reprobe_timer.stop()
        self.tasks.cancel_all()
        self.workspace.close_all()
        self.log_view.detach()
        self.history_view.detach()
        super().closeEvent(event)

    # ---- the device list ----------------------------------------------------------------------
    def _inventory_changed(self, change: InventoryChange) -> None:
        if change.kind is InventoryChangeKind.REMOVED:
            self.model.remove(change.entry.key)
        else:
            self.model.upsert(change.entry)

    def _task_failed(self, error: BaseException) -> bool:
        """A certificate swapped mid-session is explained once; True when handled."""
        if not isinstance(error, CertificateChangedError):
            return False
        message = self.connections.certificate_changed(error)
        if message is not None:
            self.notify("error", message)
        return True

    def _update_counts(self) -> None:
        counts = self.model.count_by_state()
        total = sum(counts.values())
        parts = [f"{total} device{'s' if total != 1 else ''}"]
        for state in DeviceState:
            if counts.get(state):
                parts.append(f"{counts[state]} {state.value}")
        self.count_label.setText(" · ".join(parts))
        self.empty_hint.setVisible(total == 0)

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._show_history()

    def _tab_changed(self, index: int) -> None:
        self._show_history()

    def _show_history(self) -> None:
        """The history of the device whose panel is in front; on the device list, of the selected row."""
        key = self.workspace.current_panel_key()
        device = self.workspace.opened_device(key) if key else None
        if device is not None:
            self.history_view.show_device(key, device_label(device.identity, device.endpoint))
            return
        key = self.table.current_key()
        row = self.model.row(key) if key else None
        label = device_label(row.candidate.identity, row.candidate.endpoint) if row else ""
        self.history_view.show_device(key, label)

    def _task_area_expanded(self, expanded: bool) -> None:
        """Keep the View menu's tick in step; an expanded area gets room for its rows."""
        self.task_details_action.setChecked(expanded)
        if expanded:
            self.task_dock.show()
            self.resizeDocks([self.task_dock], [TASK_DOCK_HEIGHT], Qt.Orientation.Vertical)

    def selected_entries(self) -> list[DeviceEntry]:
        """The device list's selected rows (what a site job runs on)."""
        entries = (self.model.row(key) for key in self.table.selected_keys())
        return [entry for entry in entries if entry is not None]

    def _show_site_job_menu(self) -> None:
        if not self.selected_entries():
            self.notify("info", "Select the devices first (Shift/Ctrl-click; Ctrl+A selects all shown, "
                                "Ctrl+Shift+A all of the current row's model).")
            return
        self.site_job_menu.popup(self.mapToGlobal(self.table.geometry().topLeft()))

    def _open_selected(self) -> None:
        key = self.table.current_key()
        if key is None:
            self.notify("info", "Select a device in the list first.")
            return
        self.open_device(key)

    # ---- opening a device ---------------------------------------------------------------------
    def open_device(self, key: str) -> asyncio.Task[OpenedDevice | None] | None:
        """Trust, log in and open the device's panel; returns the task (None if already open or opening)."""
        if self.workspace.focus_panel(key):
            return None
        started = self.connections.start(key)
        if isinstance(started, OpenRefused):
            self.notify(started.level, started.message)
            return None
        return self._start_open(started)

    def _device_moved(self, move: DeviceMoved) -> None:
        """Close the moved device's panel (its session there) and open it again where it answers now."""
        self.notify("info", move.message)
        self.workspace.close_panel(move.key)
        self._start_open(move.connection)

    def _start_open(self, connection: DeviceConnection) -> asyncio.Task[OpenedDevice | None]:
        """Run `connection.open` as a task; the device's panel opens when it succeeds."""
        operation: Operation[OpenedDevice | None] = Operation(
            f"Open {connection.label}", OPEN_STAGES, connection.open, device_key=connection.row_key,
        )
        task = self.tasks.run(operation, owner=self)
        task.add_done_callback(lambda done: self._device_opened(connection, done))
        return task

    def _device_opened(self, connection: DeviceConnection, task: asyncio.Task[OpenedDevice | None]) -> None:
        if task.cancelled() or task.exception() is not None:
            return  # the task runner has already notified and logged
        device = task.result()
        if device is not None:
            self.workspace.show_panel(device, connection.row_key)

    # ---- credentials ---------------------------------------------------------------------------
    def use_credentials(self, store: CredentialStore) -> None:
        """Look credentials up in, and remember them to, `store` from now on (the unlocked file)."""
        self.services.use_credentials(store)
        self.connector.credentials = store

    # ---- toolbar dialogs (flows in window_actions) ---------------------------------------------
    def show_add_dialog(self, address: str = "", *, scan: bool = False) -> None:
        """Open the add-device dialog (prefilled with `address`)."""
        from app.ui.window_actions import show_add_dialog

        show_add_dialog(self, address, scan=scan)

    def show_cloud_dialog(self) -> None:
        """Open the Hik-Partner Pro cloud account dialog."""
        from app.ui.window_actions import show_cloud_dialog

        show_cloud_dialog(self)

    def export_site_report(self) -> None:
        """Save the commissioning report of this visit."""
        from app.ui.site_report_action import export_site_report

        export_site_report(self)

    def show_settings(self) -> None:
        """Open the settings dialog."""
        from app.ui.window_actions import show_settings

        show_settings(self)
