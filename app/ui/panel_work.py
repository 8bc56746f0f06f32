"""The one way a panel runs device work (Anki's QueryOp): a titled Qt-free coroutine with stages, its result
handed to the panel on the GUI thread, its failure shown and recorded, all of it cancelled with the panel."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtWidgets import QLabel, QWidget

from app.backend.operations import run_operation
from app.core.progress import Operation, ProgressReporter
from app.ui.panel_context import PanelContext
from app.vendors.base import DeviceClient

T = TypeVar("T")
P = TypeVar("P")

#: The Qt-free part: given a reporter for its stages, does the device work and returns what the panel shows.
Work = Callable[[ProgressReporter], Awaitable[T]]


class PanelWork:
    """A panel's runner: builds its ops, owns their tasks and cancels them all when the panel closes."""

    def __init__(self, context: PanelContext[DeviceClient], owner: QWidget) -> None:
        self.context = context
        self.owner = owner
        self._closed = False
        self._succeeded: list[Callable[[PanelOp[Any]], None]] = []
        self._failed: list[Callable[[PanelOp[Any], Exception], None]] = []

    @property
    def closed(self) -> bool:
        """True once the panel closed: ops started now are cancelled before they run."""
        return self._closed

    def op(self, title: str, work: Work[T], *, stages: tuple[str, ...] = ()) -> PanelOp[T]:
        """An op titled `title` running `work` through `stages` (default: one stage named like the title)."""
        return PanelOp(self, title, work, stages or (title,))

    def while_open(self, show: Callable[[P], None]) -> Callable[[P], None]:
        """`show`, called only while the panel is open: how Qt-free work tells the panel of its progress."""

        def shown(value: P) -> None:
            if not self._closed and shiboken6.isValid(self.owner):
                show(value)

        return shown

    def on_outcome(
        self,
        *,
        succeeded: Callable[[PanelOp[Any]], None] | None = None,
        failed: Callable[[PanelOp[Any], Exception], None] | None = None,
    ) -> None:
        """React to every op's outcome, after its own callbacks (refresh after an install, offer a retry)."""
        if succeeded is not None:
            self._succeeded.append(succeeded)
        if failed is not None:
            self._failed.append(failed)

    def _tell_succeeded(self, op: PanelOp[Any]) -> None:
        for listener in self._succeeded:
            listener(op)

    def _tell_failed(self, op: PanelOp[Any], error: Exception) -> None:
        for listener in self._failed:
            listener(op, error)

    def close(self) -> None:
        """The panel is closing: cancel every op it started and start nothing new."""
        self._closed = True
        self.context.tasks.cancel_owned(self.owner)


class PanelOp(Generic[T]):
    """One piece of panel work, configured by chaining and started by `run()`; it may run again (a retry)."""

    def __init__(self, work: PanelWork, title: str, run: Work[T], stages: tuple[str, ...]) -> None:
        self._panel = work
        self.title = title
        self.stages = stages
        self._run = run
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[Exception], None] | None = None
        self._record_success = True
        self._in_task_area = True

    def success(self, on_success: Callable[[T], None]) -> PanelOp[T]:
        """Hand the result to `on_success` on the GUI thread, unless the panel closed meanwhile."""
        self._on_success = on_success
        return self

    def failure(self, on_failure: Callable[[Exception], None]) -> PanelOp[T]:
        """Also tell `on_failure` of an error (a status line, a retry offer); it is shown and recorded too."""
        self._on_failure = on_failure
        return self

    def failure_in(self, status: QLabel) -> PanelOp[T]:
        """Also write "<title> failed: <reason>" into `status`."""
        return self.failure(lambda error: status.setText(f"{self.title} failed: {error}"))

    def read_only(self) -> PanelOp[T]:
        """A read or check that changes nothing: the history keeps only its failure."""
        self._record_success = False
        return self

    def records_own_history(self) -> PanelOp[T]:
        """Work that writes its own, more detailed entries (one per device): the op adds only its failure."""
        self._record_success = False
        return self

    def in_background(self) -> PanelOp[T]:
        """Polling, streams and quick refreshes: no row in the task area (implies read_only)."""
        self._in_task_area = False
        return self.read_only()

    def run(self) -> asyncio.Task[T]:
        """Start the op; awaiting the task gives its result or re-raises its error (already shown)."""
        if self._panel.closed:
            return _cancelled_task()
        context = self._panel.context
        operation = Operation(
            self.title, self.stages, self._guarded, context.identity.key, record_success=self._record_success
        )
        owner = self._panel.owner
        if self._in_task_area:
            return context.tasks.run(operation, owner=owner)
        coro = run_operation(operation, history=context.history)
        return context.tasks.spawn(coro, owner=owner, name=self.title)

    async def _guarded(self, reporter: ProgressReporter) -> T:
        """The work, then the success callback (this loop is Qt's: the GUI thread) while the panel is open."""
        try:
            result = await self._run(reporter)
        except Exception as err:  # told to the failure callbacks, then shown and recorded by the runner
            if self._alive():
                if self._on_failure is not None:
                    self._on_failure(err)
                self._panel._tell_failed(self, err)
            raise
        if self._alive():
            if self._on_success is not None:
                self._on_success(result)
            self._panel._tell_succeeded(self)
        return result

    def _alive(self) -> bool:
        return not self._panel.closed and shiboken6.isValid(self._panel.owner)


def _cancelled_task() -> asyncio.Task[Any]:
    """A task cancelled before its first step: what starting work on a closed panel gives."""
    task = asyncio.ensure_future(asyncio.sleep(0))
    task.cancel()
    return task
