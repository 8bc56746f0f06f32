"""Shared plumbing of the 2N panel's tabs: operations and background work owned by the panel."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from app.core.errors import AppError
from app.core.progress import Operation, ProgressReporter
from app.ui.panel_context import PanelContext
from app.vendors.two_n.client import TwoNClient

T = TypeVar("T")


class PanelTools:
    """What every tab uses: the client, the context, and work started on behalf of the panel (`owner`)."""

    def __init__(self, context: PanelContext, owner: QWidget) -> None:
        self.context = context
        self.owner = owner
        self.client: TwoNClient = context.client

    @property
    def device_key(self) -> str:
        """The device's history key."""
        return self.context.identity.key

    def run(
        self, title: str, stages: tuple[str, ...], work: Callable[[ProgressReporter], Awaitable[T]]
    ) -> asyncio.Task[T]:
        """Run `work` as an Operation in the task area (progress, Cancel, history)."""
        operation = Operation(title, stages, work, device_key=self.device_key)
        return self.context.tasks.run(operation, owner=self.owner)

    def spawn(self, coro: Coroutine[Any, Any, T], name: str) -> asyncio.Task[T]:
        """Background work (reads, live streams) cancelled when the panel closes."""
        return self.context.tasks.spawn(coro, owner=self.owner, name=name)

    def report(self, status: QLabel, name: str, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Spawn `coro`, writing its failure into `status` as well as notifying."""
        async def reporting() -> None:
            try:
                await coro
            except AppError as err:
                status.setText(f"{name} failed: {err}")
                raise

        task = self.spawn(reporting(), name)
        # A task cancelled before it ran never awaited `coro`; close it so it is not reported as leaked.
        task.add_done_callback(lambda _: coro.close())
        return task


def pixmap_from_bytes(data: bytes) -> QPixmap:
    """A pixmap of encoded image bytes (JPEG, PNG, BMP, GIF); null if undecodable."""
    return QPixmap.fromImage(QImage.fromData(data))


def status_label(text: str = "") -> QLabel:
    """A word-wrapped status line."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label
