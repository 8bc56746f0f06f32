"""The visit in the window: the plan opened, kept and resumed, its checklist dock kept current, and the
visit file exported or opened; `install_visit(window)` is the one hook the main window calls."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMenu

from app.core.errors import AppError
from app.site.plan_file import plan_text
from app.site.plan_match import FoundDevice
from app.site.visit import (
    Visit,
    VisitDetails,
    VisitStore,
    default_visit_path,
    export_visit,
    import_visit,
)
from app.site.visit_state import (
    VisitState,
    history_only_devices,
    matchable_devices,
    rows_from_devices,
    visit_state,
)
from app.ui.visit.checklist_view import VisitChecklistView
from app.ui.visit.details_dialog import VisitDetailsDialog
from app.ui.visit.plan_dialog import OpenPlanDialog

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

#: How often the open checklist reads the history again (entries are also written outside operations).
REFRESH_INTERVAL_MS = 3000
#: How far back the history is searched for devices only the history knows (a cloud's devices).
HISTORY_WINDOW = timedelta(days=30)
PLAN_FILTER = "Device schedule (*.csv *.txt *.xlsx *.xlsm)"
VISIT_FILTER = "Commissioner visit (*.visit.json *.json)"


class VisitController(QObject):
    """Holds the current visit (saved in the data folder at every change) and keeps its view current."""

    #: The visit's state was computed again.
    state_changed = Signal(object)

    def __init__(self, window: MainWindow, store: VisitStore) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.visit = store.load()
        self.state: VisitState | None = None
        self._refreshing: asyncio.Task[None] | None = None
        self._again = False
        self.dock: QDockWidget | None = None
        self._dock_shown = False
        self.open_plan_action: QAction | None = None
        self.view = VisitChecklistView()
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_INTERVAL_MS)
        self.timer.timeout.connect(self.refresh)

    # ---- the plan and the details ---------------------------------------------------------------
    def open_plan(self, path: Path | None = None) -> OpenPlanDialog | None:
        """Ask for a schedule (unless given), then show the column mapping; the plan is used on accept."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self.window, "Open the site plan", "", PLAN_FILTER)
            if not chosen:
                return None
            path = Path(chosen)
        try:
            text = plan_text(path.name, path.read_bytes())
            dialog = OpenPlanDialog(text, path.name, self.visit.mapping, self.window)
        except (OSError, AppError) as err:
            self.window.notify("error", f"The plan {path.name} cannot be read: {err}")
            return None
        dialog.accepted.connect(lambda: self._use_plan(dialog, path))
        dialog.open()
        return dialog

    def _use_plan(self, dialog: OpenPlanDialog, path: Path) -> None:
        result = dialog.result_import
        if result is None:
            return
        started = self.visit.details.started or datetime.now(UTC).isoformat()
        details = replace(self.visit.details, plan_file=path.name, started=started)
        self._dock_shown = False
        self.save(Visit(details, result.rows, dialog.mapping()))
        refused = f"; {len(result.problems)} row(s) not taken (see the dialog)" if result.problems else ""
        self.window.notify("info", f"Site plan {path.name}: {len(result.rows)} planned device(s){refused}.")

    def edit_details(self) -> VisitDetailsDialog:
        """The details dialog (non-modal); saved on OK."""
        dialog = VisitDetailsDialog(self.visit.details, self.window)
        dialog.accepted.connect(lambda: self.save(replace(self.visit, details=dialog.details())))
        dialog.open()
        return dialog

    def save_details(self, details: VisitDetails) -> None:
        """Keep new details for the current visit."""
        self.save(replace(self.visit, details=details))

    def report_state(self) -> Callable[[], VisitState]:
        """What the report shows, as a computation to run off the Qt thread (the devices are read now):
        without a plan, every device found or worked on is listed as if planned, named as found."""
        listed, extra = self._devices()
        rows = self.visit.rows or rows_from_devices([*listed, *extra])
        history = self.window.services.history
        return lambda: visit_state(rows, listed, history, extra)

    def save(self, visit: Visit) -> None:
        """Keep `visit` as the current one (in the data folder) and show it."""
        self.visit = visit
        self.store.save(visit)
        self.refresh()

    # ---- export and import --------------------------------------------------------------------
    def export_to(self, path: Path) -> Path:
        """Write the visit and its devices' history to `path` for another laptop."""
        keys = [c.device.key for c in (self.state.checklists if self.state else ()) if c.device]
        return export_visit(self.visit, self.window.services.history, keys, path)

    def import_from(self, path: Path) -> int:
        """Make the visit in `path` the current one, its history merged; returns new history entries."""
        visit, added = import_visit(path, self.window.services.history)
        self.save(visit)
        return added

    def ask_export(self) -> None:
        """Ask where, then export."""
        suggested = "visit.visit.json"
        chosen, _ = QFileDialog.getSaveFileName(self.window, "Export the visit", suggested, VISIT_FILTER)
        if chosen:
            self._tell(lambda: f"Visit exported to {self.export_to(Path(chosen))}.")

    def ask_import(self) -> None:
        """Ask for a visit file, then open it."""
        chosen, _ = QFileDialog.getOpenFileName(self.window, "Open a visit file", "", VISIT_FILTER)
        if chosen:
            self._tell(lambda: f"Visit opened; {self.import_from(Path(chosen))} history entries added.")

    def _tell(self, work: Callable[[], str]) -> None:
        try:
            message = work()
        except (OSError, AppError) as err:
            self.window.notify("error", str(err))
            return
        self.window.notify("info", message)

    # ---- the state ----------------------------------------------------------------------------
    def _devices(self) -> tuple[list[FoundDevice], list[FoundDevice]]:
        """The identified devices listed, and those only the recent history knows (a cloud's devices)."""
        services = self.window.services
        listed = matchable_devices(services.inventory.entries())
        since = datetime.now(UTC) - HISTORY_WINDOW
        return listed, history_only_devices(services.history.device_keys(since), listed)

    def compute_state(self) -> Callable[[], VisitState]:
        """The visit's state, as a computation to run off the Qt thread (the devices are read now)."""
        listed, extra = self._devices()
        rows, history = self.visit.rows, self.window.services.history
        return lambda: visit_state(rows, listed, history, extra)

    def refresh(self) -> None:
        """Compute the state in a worker thread and show it (one refresh at a time)."""
        if not self.visit.rows:
            self._show_nothing()
            return
        if self._refreshing is not None and not self._refreshing.done():
            self._again = True  # what changed meanwhile is shown by one more refresh after this one
            return
        self._again = False
        self._refreshing = self.window.tasks.spawn(self._refresh(), owner=self, name="Visit checklist")

    async def _refresh(self) -> None:
        state = await asyncio.to_thread(self.compute_state())
        self.state = state
        self.view.show_state(state, self.visit.details.site)
        if self.dock is not None and not self._dock_shown:
            self._dock_shown = True  # shown once per plan; the technician may close it after that
            self.dock.show()
            self.dock.raise_()
        self.window.model.set_plan(lambda key: _labels(state, key))
        self.window.model.set_missing(state.matching.missing)
        self.state_changed.emit(state)
        if self._again:
            QTimer.singleShot(0, self.refresh)

    def _show_nothing(self) -> None:
        self.state = None
        self.window.model.set_plan(None)
        self.window.model.set_missing(())


def _labels(state: VisitState, key: str) -> tuple[str, str] | None:
    row = state.matching.row_for(key)
    return None if row is None else (row.name, row.location)


def _add_to_menus(window: MainWindow, actions: list[QAction], dock: QDockWidget) -> None:
    """The visit's actions before the File menu's first entry (Report…), the dock's toggle in View."""
    bar = window.menuBar()
    menus = {action.text(): action.menu() for action in bar.actions() if isinstance(action.menu(), QMenu)}
    file_menu, view_menu = menus.get("&File"), menus.get("&View")
    if not isinstance(file_menu, QMenu):
        file_menu = bar.addMenu("&File")
    first = file_menu.actions()[0] if file_menu.actions() else None
    file_menu.insertActions(first, actions)  # type: ignore[arg-type]
    file_menu.insertSeparator(first)  # type: ignore[arg-type]
    if isinstance(view_menu, QMenu):
        view_menu.addAction(dock.toggleViewAction())


def install_visit(window: MainWindow, store: VisitStore | None = None) -> VisitController:
    """`window`'s visit: the checklist dock (shown once a plan is open), the visit's actions at the top of
    the File menu, and the visit resumed from the data folder."""
    controller = VisitController(window, store or VisitStore(default_visit_path()))
    dock = QDockWidget("Visit checklist", window)
    dock.setObjectName("Visit_checklist")
    dock.setWidget(controller.view)
    window.addDockWidget(window.dockWidgetArea(window.history_dock), dock)
    window.tabifyDockWidget(window.history_dock, dock)
    dock.hide()
    controller.dock = dock
    controller.view.device_chosen.connect(window.open_device)
    actions = []
    for text, shortcut, slot in (
        ("&Open plan…", "Ctrl+O", controller.open_plan),
        ("Visit &details…", "", controller.edit_details),
        ("&Export visit…", "", controller.ask_export),
        ("Open visit &file…", "", controller.ask_import),
    ):
        action = QAction(text, window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False, s=slot: s())
        actions.append(action)
    controller.open_plan_action = actions[0]
    _add_to_menus(window, actions, dock)
    window.model.counts_changed.connect(controller.refresh)
    window.tasks.task_finished.connect(lambda *_: controller.refresh())
    controller.timer.start()
    controller.refresh()
    return controller


__all__ = ["VisitController", "VisitDetails", "install_visit"]
