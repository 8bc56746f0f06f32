"""The TaskRunner of panel_context: runs Operations as asyncio tasks with a progress row and Cancel."""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.backend.history import DeviceHistory
from app.backend.operations import run_operation
from app.core.errors import AppError
from app.core.progress import Operation, Progress
from app.ui.panel_context import Notify
from app.ui.plain_text import escaped, rich

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Told of every failed task before the runner notifies; True means it has told the technician itself.
ErrorHandler = Callable[[BaseException], bool]

#: Anki's QueryOp: quick work never flashes a progress row; longer work shows one after this delay.
SHOW_DELAY_MS = 500


@dataclass(slots=True)
class TaskInfo:
    """One operation the runner is running: what the task area shows about it."""

    title: str
    task: asyncio.Task[Any]
    stages: tuple[str, ...]
    device_key: str | None
    started: float = field(default_factory=time.monotonic)
    progress: Progress | None = None


class TaskRunner(QObject):
    """Runs operations (history recorded by run_operation) and background coroutines; cancels by owner."""

    task_added = Signal(object)  # TaskInfo, emitted once the row should become visible
    task_progress = Signal(object)  # TaskInfo
    task_finished = Signal(object, str, str)  # TaskInfo, outcome ("done"/"cancelled"/"failed"), message

    def __init__(
        self,
        notify: Notify,
        history: DeviceHistory | None = None,
        parent: QObject | None = None,
        *,
        on_error: ErrorHandler | None = None,
    ) -> None:
        super().__init__(parent)
        self._notify = notify
        self._history = history
        self._on_error = on_error
        self._owned: dict[int, set[asyncio.Task[Any]]] = {}
        self._infos: dict[asyncio.Task[Any], TaskInfo] = {}

    @property
    def running(self) -> list[TaskInfo]:
        """Operations still running, oldest first."""
        return list(self._infos.values())

    def run(self, operation: Operation[T], *, owner: object | None = None) -> asyncio.Task[T]:
        """Start `operation`; its row appears after SHOW_DELAY_MS; errors are notified and logged."""
        info_box: list[TaskInfo] = []

        def on_progress(progress: Progress) -> None:
            if info_box:
                info_box[0].progress = progress
                self.task_progress.emit(info_box[0])

        task = asyncio.ensure_future(run_operation(operation, on_progress, history=self._history))
        first = Progress(operation.stages[0] if operation.stages else "", 0, len(operation.stages))
        info = TaskInfo(operation.title, task, operation.stages, operation.device_key, progress=first)
        info_box.append(info)
        self._infos[task] = info
        self._track(task, owner)
        task.add_done_callback(lambda t: self._operation_done(info))
        QTimer.singleShot(SHOW_DELAY_MS, lambda: self._reveal(info))
        return task

    def spawn(
        self, coro: Coroutine[Any, Any, T], *, owner: object | None = None, name: str = ""
    ) -> asyncio.Task[T]:
        """Start background work with no progress row; an error is logged and notified."""
        task = asyncio.ensure_future(coro)
        if name:
            task.set_name(name)
        self._track(task, owner)
        task.add_done_callback(lambda t: self._background_done(t, name or "Background work"))
        return task

    def cancel_owned(self, owner: object) -> None:
        """Cancel every task started with this owner."""
        for task in list(self._owned.pop(id(owner), ())):
            self._cancel(task)

    def cancel_all(self) -> None:
        """Cancel everything (the window is closing)."""
        for tasks in list(self._owned.values()):
            for task in list(tasks):
                self._cancel(task)
        for task in list(self._infos):
            task.cancel()

    def _cancel(self, task: asyncio.Task[Any]) -> None:
        """Cancel `task`; one not started yet is cancelled right after its first step."""
        coro = task.get_coro()
        if inspect.iscoroutine(coro) and inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
            # Cancelled before its first step, a wrapper coroutine would drop the coroutine it was
            # given unawaited ("coroutine ... was never awaited" when a panel closes at once).
            task.get_loop().call_soon(task.cancel)
        else:
            task.cancel()

    def _track(self, task: asyncio.Task[Any], owner: object | None) -> None:
        if owner is None:
            return
        key = id(owner)
        self._owned.setdefault(key, set()).add(task)
        task.add_done_callback(lambda t: self._untrack(key, t))

    def _untrack(self, key: int, task: asyncio.Task[Any]) -> None:
        tasks = self._owned.get(key)
        if tasks is not None:
            tasks.discard(task)
            if not tasks:
                del self._owned[key]

    def _reveal(self, info: TaskInfo) -> None:
        if info.task in self._infos:
            self.task_added.emit(info)

    def _operation_done(self, info: TaskInfo) -> None:
        self._infos.pop(info.task, None)
        outcome, message = _outcome(info.task)
        elapsed = time.monotonic() - info.started
        if outcome == "failed":
            error = info.task.exception()
            log.error("%s failed: %s", info.title, message, exc_info=_unexpected(error))
        else:
            log.info("%s %s after %.1f s", info.title, outcome, elapsed)
        if not shiboken6.isValid(self):
            return  # the window is gone (shutdown): nobody is left to show the outcome to
        if outcome == "failed":
            self._report_failure(info.task, f"{info.title} failed: {message}")
        self.task_finished.emit(info, outcome, message)

    def _background_done(self, task: asyncio.Task[Any], name: str) -> None:
        outcome, message = _outcome(task)
        if outcome == "failed":
            log.error("%s failed: %s", name, message, exc_info=_unexpected(task.exception()))
            if shiboken6.isValid(self):
                self._report_failure(task, f"{name} failed: {message}")

    def _report_failure(self, task: asyncio.Task[Any], notification: str) -> None:
        """Let the error handler react first (a changed certificate); otherwise notify the failure."""
        error = task.exception()
        if error is not None and self._on_error is not None and self._on_error(error):
            return
        self._notify("error", notification)


def _outcome(task: asyncio.Task[Any]) -> tuple[str, str]:
    """("done"|"cancelled"|"failed", technician-readable message); marks the exception retrieved."""
    if task.cancelled():
        return "cancelled", "cancelled"
    error = task.exception()
    if error is None:
        return "done", "done"
    if isinstance(error, AppError):
        return "failed", str(error)
    return "failed", f"unexpected error ({type(error).__name__}: {error})"


def _unexpected(error: BaseException | None) -> BaseException | None:
    """Traceback only for programming errors; device errors are expected and explained by their message."""
    return None if isinstance(error, AppError) else error


class TaskRow(QWidget):
    """One running operation: title, stage, a progress bar (busy when the total is unknown), Cancel."""

    def __init__(self, info: TaskInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self._build_ui()
        self.update_progress()

    def _build_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        self.title_label = rich(QLabel(f"<b>{escaped(self.info.title)}</b>"))
        self.title_label.setWordWrap(True)  # a long device label wraps instead of widening the window
        self.stage_label = QLabel()
        self.stage_label.setMinimumWidth(160)
        self.bar = QProgressBar()
        self.bar.setMinimumWidth(160)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName(f"Cancel {self.info.title}")
        self.cancel_button.clicked.connect(self._cancel)
        self.bar.setMaximumWidth(360)
        layout.addWidget(self.title_label, 3)
        layout.addWidget(self.stage_label, 2)
        layout.addWidget(self.bar, 2)
        layout.addWidget(self.cancel_button)

    def update_progress(self) -> None:
        """Show the latest stage and count."""
        progress = self.info.progress
        if progress is None:
            return
        step = f"{progress.stage_index + 1}/{progress.stage_count} " if progress.stage_count > 1 else ""
        text = f"{step}{progress.stage}"
        if progress.message:
            text += f" — {progress.message}"
        self.stage_label.setText(text)
        fraction = progress.fraction
        if fraction is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(fraction * 1000))

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self.info.task.cancel()


class TaskArea(QWidget):
    """The dockable task area: one summary line (running work, else the last outcome) with a Details
    toggle; expanded, the running rows with Cancel and a short record of finished work."""

    RECENT_LIMIT = 50
    #: True when the details (rows and finished list) are shown, False when folded to one line.
    expanded_changed = Signal(bool)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._rows: dict[int, TaskRow] = {}
        self._last_outcome = ""
        self._build_ui()
        self._connect_signals()
        self.set_expanded(False)

    def _build_ui(self) -> None:
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        line = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("taskSummary")
        self.summary.setAccessibleName("Task summary")
        self.summary.setMinimumWidth(1)  # a long title is clipped, never widens the window
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setMaximumHeight(14)
        self.busy.setTextVisible(False)
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toggle.setAccessibleName("Show task details")
        self.toggle.toggled.connect(self.set_expanded)
        line.addWidget(self.summary, 1)
        line.addWidget(self.busy)
        line.addWidget(self.toggle)
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        self._rows_layout = QVBoxLayout()
        self.idle_label = QLabel("No work running.")
        self.idle_label.setObjectName("taskIdle")
        self.recent = QListWidget()
        self.recent.setAccessibleName("Finished tasks")
        self.recent.setMaximumHeight(90)
        details.addWidget(self.idle_label)
        details.addLayout(self._rows_layout)
        details.addWidget(QLabel("Finished:"))
        details.addWidget(self.recent)
        layout.addLayout(line)
        layout.addWidget(self.details, 1)
        self._update_summary()

    def _connect_signals(self) -> None:
        self._runner.task_added.connect(self._add_row)
        self._runner.task_progress.connect(self._update_row)
        self._runner.task_finished.connect(self._finish_row)

    @property
    def expanded(self) -> bool:
        """Whether the details are shown."""
        return not self.details.isHidden()

    def set_expanded(self, expanded: bool) -> None:
        """Show the rows and finished work, or fold the area to its summary line."""
        self.details.setVisible(expanded)
        self.toggle.setChecked(expanded)
        self.toggle.setText("Hide details ▾" if expanded else "Details ▴")
        self.setMaximumHeight(16777215 if expanded else self.collapsed_height())
        self.expanded_changed.emit(expanded)

    def collapsed_height(self) -> int:
        """The height of the summary line with the area's margins."""
        margins = self._layout.contentsMargins()
        line = max(self.summary.sizeHint().height(), self.toggle.sizeHint().height())
        return line + margins.top() + margins.bottom()

    def row_for(self, title: str) -> TaskRow | None:
        """The visible row of a running operation with this title."""
        return next((row for row in self._rows.values() if row.info.title == title), None)

    def _update_summary(self) -> None:
        rows = list(self._rows.values())
        self.busy.setVisible(bool(rows))
        if rows:
            first = rows[0]
            stage = first.stage_label.text()
            more = f"  (+{len(rows) - 1} more)" if len(rows) > 1 else ""
            text = f"Running: {first.info.title}{' — ' + stage if stage else ''}{more}"
        else:
            text = "No work running." + (f"  Last: {self._last_outcome}" if self._last_outcome else "")
        self.summary.setText(text)
        self.summary.setToolTip(text)

    def _add_row(self, info: TaskInfo) -> None:
        row = TaskRow(info, self)
        self._rows[id(info)] = row
        self._rows_layout.addWidget(row)
        self.idle_label.setVisible(False)
        self._update_summary()

    def _update_row(self, info: TaskInfo) -> None:
        row = self._rows.get(id(info))
        if row is not None:
            row.update_progress()
            if row is next(iter(self._rows.values())):
                self._update_summary()

    def _finish_row(self, info: TaskInfo, outcome: str, message: str) -> None:
        row = self._rows.pop(id(info), None)
        if row is not None:
            row.setParent(None)
            row.deleteLater()
        self.idle_label.setVisible(not self._rows)
        mark = {"done": "✓", "cancelled": "⨯", "failed": "✗"}.get(outcome, "•")
        stamp = time.strftime("%H:%M:%S")
        said = f"{mark} {info.title} — {message if outcome == 'failed' else outcome}"
        self.recent.insertItem(0, f"{stamp}  {said}")
        if outcome == "failed":
            self.recent.item(0).setForeground(Qt.GlobalColor.darkRed)
        while self.recent.count() > self.RECENT_LIMIT:
            self.recent.takeItem(self.recent.count() - 1)
        self._last_outcome = f"{stamp} {said}"
        self._update_summary()
