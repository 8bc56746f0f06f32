"""Starts the GUI: QApplication, the qasync loop, logging, services, main window, discovery and the demo."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

FIRST_PAINT_ENV = "COMMISSIONER_REPORT_FIRST_PAINT"
EXIT_AFTER_PAINT_ENV = "COMMISSIONER_EXIT_AFTER_FIRST_PAINT"
DEMO_INTERFACES = ["127.0.0.1"]
SIGNAL_CHECK_MS = 250
#: Exit code when Qt cannot start (no display, missing platform libraries).
CANNOT_START_EXIT = 3


def run_gui(args: argparse.Namespace) -> int:
    """Run the window until it closes; with --demo start the simulated site; --self-test exits 0/1."""
    os.environ["QT_API"] = "pyside6"
    # PySide6 before qasync (imported by event_loop), so qasync binds to it.
    from PySide6.QtWidgets import QApplication

    from app.ui.event_loop import AppEventLoop
    from app.ui.gui_thread_gc import GuiThreadCollector
    from app.ui.plain_text import install_plain_text_default

    app = QApplication.instance() or _start_qt(QApplication)
    assert isinstance(app, QApplication)
    # Made only once Qt runs: a Qt that cannot start ends the process, and would leave the folder behind.
    private_dir = _use_private_demo_data_dir() if args.demo else None
    install_plain_text_default(app)  # device text is never rendered as markup
    app.setApplicationName("Commissioner")
    app.setOrganizationName("Commissioner")
    # The loop ends on lastWindowClosed; app.quit() would stop qasync mid-run.
    app.setQuitOnLastWindowClosed(False)
    _apply_style(app)
    GuiThreadCollector(app).start()
    loop = AppEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        code: int = loop.run_until_complete(_main(app, args))
        return code
    finally:
        loop.close()
        if private_dir is not None:  # the demo's pins, history and logs go with it
            shutil.rmtree(private_dir, ignore_errors=True)


def _start_qt(application: Any) -> Any:
    """The QApplication; when Qt cannot start (its fatal error ends the process), one line says what to
    install instead of Qt's own advice to reinstall."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    from app.core.system_libraries import cannot_start_message

    def handler(kind: QtMsgType, context: Any, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            print(cannot_start_message(os.environ.get("QT_QPA_PLATFORM", "")), file=sys.stderr, flush=True)
            os._exit(CANNOT_START_EXIT)  # Qt would abort (a core dump) right after this handler
        if previous is not None:
            previous(kind, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        return application(sys.argv[:1])
    finally:
        qInstallMessageHandler(previous)


async def _main(app: Any, args: argparse.Namespace) -> int:
    from app.backend.logs import configure_logging
    from app.ui.main_window import MainWindow
    from app.ui.notifications import ErrorSink
    from app.ui.services import AppServices

    log_path = configure_logging(args.log_level.upper())
    services = AppServices.create(session_vault=bool(args.demo))
    window = MainWindow(services, demo=bool(args.demo))
    window.log_view.attach()
    window.log_view.show_location(log_path)
    sink = ErrorSink(window.notifications)
    sink.install(asyncio.get_running_loop())
    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)
    _close_on_termination(window, closed)
    _report_first_paint(window, app)
    window.show()
    log.info("Commissioner started; log file %s", log_path)
    if services.needs_passphrase and not args.demo:
        from app.ui.window_actions import unlock_credential_file

        window.tasks.spawn(unlock_credential_file(window), owner=window, name="Unlocking saved passwords")
    try:
        return await _run_until_closed(window, args, closed)
    finally:
        sink.uninstall(asyncio.get_running_loop())
        window.log_view.detach()


async def _run_until_closed(window: MainWindow, args: argparse.Namespace, closed: asyncio.Event) -> int:
    from app.discovery.service import DiscoveryService

    services = window.services
    services.discovery = DiscoveryService(inventory=services.inventory)
    demo = None
    try:
        if args.demo:
            from app.ui.demo import start_demo

            demo = await start_demo(window, getattr(args, "site", 0))
            interfaces = DEMO_INTERFACES
        else:
            interfaces = _interfaces(args, window)
        await window.start_discovery(interfaces)
        if args.self_test:
            from app.ui.self_test import run_self_test

            return await run_self_test(window, demo)
        await closed.wait()
        return 0
    finally:
        window.close()
        await window.workspace.wait_closed()  # log out and close every device before the loop ends
        await services.discovery.stop()
        if demo is not None:
            await demo.stop()
        await _settle_tasks()


async def _settle_tasks(timeout: float = 3.0) -> None:
    """Let cancelled work (panels' tasks, log-outs) run its cleanup before the loop closes."""
    current = asyncio.current_task()
    pending = [task for task in asyncio.all_tasks() if task is not current and not task.done()]
    if not pending:
        return
    _, still_running = await asyncio.wait(pending, timeout=timeout)
    for task in still_running:
        task.cancel()
    if still_running:
        await asyncio.wait(still_running, timeout=timeout)


def _interfaces(args: argparse.Namespace, window: MainWindow) -> list[str]:
    """--interface, else the saved choice, else every real interface."""
    from app.discovery.interfaces import default_browse_addresses

    return list(args.interface or window.services.settings.interfaces or default_browse_addresses())


def _close_on_termination(window: MainWindow, closed: asyncio.Event) -> None:
    """SIGTERM/SIGINT end the app like closing the window: panels log out, the demo site stops."""
    from PySide6.QtCore import QTimer

    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: loop.call_soon_threadsafe(closed.set))
    # Python runs signal handlers only between bytecodes: a light timer makes sure it gets the chance
    # while Qt waits in C++ for events.
    wake = QTimer(window)
    wake.setInterval(SIGNAL_CHECK_MS)
    wake.timeout.connect(lambda: None)
    wake.start()


def _use_private_demo_data_dir() -> Path | None:
    """The demo's devices get fresh certificates every run: keep their pins out of the technician's store.

    Returns the directory made for this run (removed when the app exits), or None when one was given.
    """
    if "COMMISSIONER_DATA_DIR" in os.environ:
        return None
    made = Path(tempfile.mkdtemp(prefix="commissioner-demo-"))
    os.environ["COMMISSIONER_DATA_DIR"] = str(made)
    return made


def _report_first_paint(window: MainWindow, app: Any) -> None:
    """With $COMMISSIONER_REPORT_FIRST_PAINT print the wall-clock time of the first paint (benchmark)."""
    if not os.environ.get(FIRST_PAINT_ENV):
        return

    def painted() -> None:
        print(f"first-paint {time.time():.6f}", flush=True)
        if os.environ.get(EXIT_AFTER_PAINT_ENV):
            window.close()

    window.first_painted.connect(painted)


def _apply_style(app: Any) -> None:
    from PySide6.QtGui import QIcon

    from app.core.paths import resource

    path = resource("styles", "commissioner.qss")
    if path.is_file():
        app.setStyleSheet(path.read_text(encoding="utf-8"))
    icon = resource("icons", "commissioner.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
