"""What every tab of the Mediant panel shares: running device work, level gating, the busy/retry bar."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.core.errors import DeviceBusyError
from app.core.progress import Operation, ProgressReporter
from app.ui.panel_context import PanelContext
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.permissions import Action, UserLevel, permission

Work = Callable[[ProgressReporter], Awaitable[Any]]
Done = Callable[[Any], None]


class BusyBar(QWidget):
    """Shown when the device answered 409 (busy, e.g. HA synchronisation): the reason and a Retry button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audiocodesBusyBar")
        self.setStyleSheet("#audiocodesBusyBar { background: #fff4ce; border: 1px solid #e0b000; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.retry_button = QPushButton("Retry")
        self.dismiss_button = QPushButton("Dismiss")
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry_button)
        layout.addWidget(self.dismiss_button)
        self.dismiss_button.clicked.connect(self.hide)
        self.retry_button.clicked.connect(self._retry)
        self._again: Callable[[], None] | None = None
        self.hide()

    def offer(self, title: str, message: str, again: Callable[[], None]) -> None:
        """Show why `title` could not run now, and retry it on request."""
        self.label.setText(f"<b>{title}</b>: the device is busy and refused it for now. {message}")
        self._again = again
        self.show()

    def _retry(self) -> None:
        self.hide()
        if self._again is not None:
            self._again()


class DeviceWork(QObject):
    """Runs device work as Operations owned by the panel; a 409 answer offers a retry in the busy bar."""

    finished = Signal(str)  # title of the work that completed successfully
    level_changed = Signal()

    def __init__(self, context: PanelContext, owner: QWidget, busy_bar: BusyBar) -> None:
        super().__init__(owner)
        self.context = context
        self.owner = owner
        self.busy_bar = busy_bar
        self.level = UserLevel.MONITOR
        self._gated: list[tuple[QWidget, Action]] = []
        self._stopped = False

    @property
    def client(self) -> AudioCodesClient:
        """The logged-in Mediant client."""
        client: AudioCodesClient = self.context.client
        return client

    def run(
        self,
        title: str,
        work: Work,
        *,
        stages: tuple[str, ...] = (),
        done: Done | None = None,
        record: bool = True,
    ) -> None:
        """Start `work` in the task area; `done(result)` on success; `record`: keep it in the history."""
        if self._stopped:
            return
        key = self.context.identity.key if record else None
        operation = Operation(title, stages or (title,), work, device_key=key)
        task = self.context.tasks.run(operation, owner=self.owner)
        again = lambda: self.run(title, work, stages=stages, done=done, record=record)  # noqa: E731
        task.add_done_callback(lambda t: self._finished(t, title, again, done))

    @property
    def stopped(self) -> bool:
        """True once the panel is closing: nothing new may start."""
        return self._stopped

    def stop(self) -> None:
        """The panel is closing: start nothing new and cancel what runs."""
        self._stopped = True
        self.context.tasks.cancel_owned(self.owner)

    def _finished(
        self, task: asyncio.Task[Any], title: str, again: Callable[[], None], done: Done | None
    ) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if isinstance(error, DeviceBusyError):
            self.busy_bar.offer(title, error.detail or "", again)
            return
        if error is not None:
            return
        if done is not None:
            done(task.result())
        self.finished.emit(title)

    def gate(self, widget: QWidget, action: Action) -> None:
        """Offer `widget` only while the user's level allows `action`; otherwise its tooltip says why."""
        self._gated.append((widget, action))
        self._apply(widget, action)

    def allows(self, action: Action) -> bool:
        """True when the logged-in user's level allows `action`."""
        return permission(self.level, action).allowed

    def set_level(self, level: UserLevel) -> None:
        """The user's level became known: re-gate every registered widget."""
        self.level = level
        for widget, action in self._gated:
            self._apply(widget, action)
        self.level_changed.emit()

    def _apply(self, widget: QWidget, action: Action) -> None:
        allowed = permission(self.level, action)
        widget.setEnabled(allowed.allowed)
        widget.setToolTip("" if allowed.allowed else allowed.reason)


class LevelNotice(QLabel):
    """A line at the top of a tab saying which level is needed when the user's level falls short."""

    def __init__(self, work: DeviceWork, action: Action, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("background: #eef3fb; padding: 6px;")
        self.hide()
        work.level_changed.connect(lambda: self._update(work, action))

    def _update(self, work: DeviceWork, action: Action) -> None:
        allowed = permission(work.level, action)
        self.setText(allowed.reason)
        self.setVisible(not allowed.allowed)


def mac_with_colons(raw: str) -> str:
    """A MAC as the device writes it ("00908f100002") in the usual aa:bb:cc:dd:ee:ff form."""
    compact = raw.replace(":", "").replace("-", "").lower()
    return ":".join(compact[i : i + 2] for i in range(0, 12, 2)) if len(compact) == 12 else raw


def escape(text: str) -> str:
    """Text made safe for a rich-text QLabel."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
