"""What the Inxpect panel's tabs share: the host they run work through, confirmations, small widgets."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol, TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.progress import ProgressReporter
from app.ui.panel_context import PanelContext
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.live_feed import LiveFeed

T = TypeVar("T")


class PanelHost(Protocol):
    """The panel as its tabs see it: the device's client and a way to run work owned by the panel."""

    context: PanelContext
    client: InxpectClient

    def run(
        self,
        title: str,
        work: Callable[[ProgressReporter], Awaitable[T]],
        stages: tuple[str, ...] = ("Working",),
        *,
        record: bool = True,
    ) -> asyncio.Task[T]:
        """Run `work` as an Operation in the task area, owned by the panel (Cancel, progress); `record`:
        keep it in the device's history (off for reads and checks that change nothing)."""
        ...

    def spawn(self, coro: Coroutine[Any, Any, T], name: str) -> asyncio.Task[T]:
        """Run background work (polling) owned by the panel."""
        ...

    async def poll_live(self, feed: LiveFeed) -> None:
        """Fill `feed` with the sensor's frames and alarms until cancelled."""
        ...


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask the technician Yes/No (from a slot, never from inside a coroutine); tests replace this."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def metres(mm: int) -> str:
    """Millimetres as metres with one decimal, as technicians read distances."""
    return f"{mm / 1000:.1f} m"
