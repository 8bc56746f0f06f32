"""GUI tests run asyncio on Qt's loop through qasync, as the app does."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.core.models import DeviceIdentity, Endpoint
from app.discovery.inventory import DeviceEntry
from app.discovery.service import DiscoveryService
from app.ui.event_loop import AppEventLoop
from app.ui.gui_thread_gc import GuiThreadCollector
from app.ui.main_window import MainWindow
from app.ui.panel_context import PanelContext
from app.ui.plain_text import install_plain_text_default
from app.ui.services import AppServices
from app.ui.tasks import QWidget, TaskRunner
from tests.waiting import wait_until

__all__ = ["wait_until"]  # GUI tests import it from here

T = TypeVar("T")
D = TypeVar("D", bound=QDialog)
W = TypeVar("W", bound=QWidget)


@pytest.fixture(autouse=True)
def plain_text_default(qapp: QApplication) -> None:
    """As in the app: labels, message boxes, tooltips and wizard headers show plain text by default."""
    install_plain_text_default(qapp)


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """A qasync event loop on the test QApplication; drive coroutines with `run_async`."""
    loop = AppEventLoop(qapp)
    asyncio.set_event_loop(loop)
    collector = GuiThreadCollector(qapp)
    collector.start()
    yield loop
    _finish_tasks(loop)
    collector.stop()
    collector.deleteLater()
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def window(qtbot: QtBot, qloop: qasync.QEventLoop) -> Iterator[MainWindow]:
    """The main window with real services and a discovery service that is not browsing (manual add only)."""
    services = AppServices.create()
    services.discovery = DiscoveryService(inventory=services.inventory)
    main = MainWindow(services)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()
    run_async(qloop, services.discovery.stop())


#: Clean-up may start more work (a log-out after a cancelled request); it gets this many rounds to end.
_FINISH_ROUNDS = 5


def _finish_tasks(loop: qasync.QEventLoop) -> None:
    """Cancel what is still running and wait until it (and what its clean-up started) ended, then run the
    callbacks those left behind: closing transports close their sockets in one, dropped by a closed loop."""
    # Every task first takes a step: a close (log-out, then the pool) cancelled before it would never run.
    loop.run_until_complete(asyncio.sleep(0))
    for _ in range(_FINISH_ROUNDS):
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        if not pending:
            break
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(asyncio.sleep(0))


def run_async(loop: qasync.QEventLoop, coro: Coroutine[Any, Any, T], timeout: float = 20.0) -> T:
    """Run `coro` on the qasync loop (Qt events keep flowing) and return its result."""
    return loop.run_until_complete(asyncio.wait_for(coro, timeout))


def show_panel(qtbot: QtBot, panel: W, width: int, height: int) -> W:
    """Register `panel` with qtbot, show it at `width` x `height` and wait until it is exposed."""
    qtbot.addWidget(panel)
    panel.resize(width, height)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


@dataclass
class PanelServices:
    """A vendor panel's context on a real TaskRunner, with every notification kept in `notes`."""

    context: PanelContext
    tasks: TaskRunner
    notes: list[tuple[str, str]]


def panel_services(
    identity: DeviceIdentity,
    endpoint: Endpoint,
    client: Any,
    history: DeviceHistory,
    *,
    runner_records_history: bool = False,
) -> PanelServices:
    """The PanelContext a panel under test gets; `runner_records_history`: the runner writes history."""
    notes: list[tuple[str, str]] = []

    def notify(level: str, text: str) -> None:
        notes.append((level, text))

    tasks = TaskRunner(notify, history if runner_records_history else None)
    return PanelServices(PanelContext(identity, endpoint, client, tasks, history, notify), tasks, notes)


class DialogWatcher:
    """Collects the dialogs the main window opens."""

    def __init__(self, window: MainWindow) -> None:
        self.dialogs: list[QDialog] = []
        window.dialog_opened.connect(self.dialogs.append)

    def visible(self, kind: type[D]) -> D | None:
        """The newest dialog of `kind` on screen, if any."""
        return next((d for d in reversed(self.dialogs) if isinstance(d, kind) and d.isVisible()), None)

    async def shown(self, kind: type[D]) -> D:
        """Await until a dialog of `kind` is on screen and return it."""
        await wait_until(lambda: self.visible(kind) is not None)
        dialog = self.visible(kind)
        assert dialog is not None
        return dialog


async def add_by_address(window: MainWindow, endpoint: Endpoint) -> DeviceEntry:
    """Manual add by address (a real identification probe), then wait until the list shows the row."""
    entry = await window.services.discovery.manual_add(f"{endpoint.host}:{endpoint.port}")
    await wait_until(lambda: window.model.row(entry.key) is not None)
    return entry
