"""Non-modal notifications at the top of the window, and the top-level error sinks that feed them."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.backend.redact import REDACTOR

log = logging.getLogger(__name__)

LEVELS = ("info", "warning", "error")
_LOG_LEVELS = {"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}
#: Info notes fade on their own; warnings and errors stay until the technician dismisses them.
INFO_TIMEOUT_MS = 6000


class Notification(QFrame):
    """One message with its level's colour and a dismiss button."""

    dismissed = Signal(object)

    def __init__(self, level: str, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = level
        self.message = message
        self.setObjectName(f"notification_{level}")
        self.setProperty("level", level)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        icon = {"info": "ℹ", "warning": "⚠", "error": "✖"}[level]
        self.label = QLabel(f"{icon}  {message}")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton("Dismiss")
        close.setFlat(True)
        close.clicked.connect(lambda: self.dismissed.emit(self))
        layout.addWidget(self.label, 1)
        layout.addWidget(close)


class NotificationBar(QWidget):
    """A stack of notifications; `notify(level, message)` is the panels' Notify callable."""

    MAX_VISIBLE = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.setVisible(False)

    @property
    def messages(self) -> list[tuple[str, str]]:
        """(level, message) of every visible notification, oldest first."""
        return [(n.level, n.message) for n in self.findChildren(Notification) if n.parent() is self]

    def notify(self, level: str, message: str) -> None:
        """Show and log `message` (redacted); level is info, warning or error."""
        level = level if level in LEVELS else "error"
        message = REDACTOR.redact(message)
        log.log(_LOG_LEVELS[level], "notification: %s", message)
        note = Notification(level, message, self)
        note.dismissed.connect(self._remove)
        self._layout.addWidget(note)
        if level == "info":
            # The note is the timer's context: if it is gone first (dismissed, or the window closed),
            # Qt cancels the timer instead of calling back into a deleted widget.
            QTimer.singleShot(INFO_TIMEOUT_MS, note, lambda: self._remove(note))
        self._trim()
        self.setVisible(True)

    def _trim(self) -> None:
        notes = [n for n in self.findChildren(Notification) if n.parent() is self]
        for note in notes[: max(0, len(notes) - self.MAX_VISIBLE)]:
            self._remove(note)

    def _remove(self, note: Notification) -> None:
        if note.parent() is not self:
            return
        note.setParent(None)
        note.deleteLater()
        self.setVisible(bool(self.messages))


class ErrorSink(QObject):
    """Routes uncaught exceptions (Qt slots, asyncio callbacks, threads) to a log line and a notification."""

    error = Signal(str)

    def __init__(self, notify_bar: NotificationBar) -> None:
        super().__init__(notify_bar)
        self.error.connect(lambda text: notify_bar.notify("error", text))
        self._previous_hook = sys.excepthook

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        """Become sys.excepthook, threading.excepthook and the loop's exception handler."""
        sys.excepthook = self.excepthook
        threading.excepthook = self._thread_hook
        loop.set_exception_handler(self.loop_handler)

    def uninstall(self, loop: asyncio.AbstractEventLoop) -> None:
        """Restore the hooks replaced by install()."""
        sys.excepthook = self._previous_hook
        threading.excepthook = threading.__excepthook__
        loop.set_exception_handler(None)

    def excepthook(
        self, kind: type[BaseException], value: BaseException, traceback: TracebackType | None
    ) -> None:
        """Log the exception with its traceback and show a notification; never exits the app."""
        log.error("unexpected error", exc_info=(kind, value, traceback))
        self.error.emit(f"Unexpected error: {type(value).__name__}: {value}. The details are in the log.")

    def loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """asyncio's exception handler: same treatment as excepthook."""
        error = context.get("exception")
        message = str(context.get("message", "asyncio error"))
        if isinstance(error, BaseException):
            self.excepthook(type(error), error, error.__traceback__)
        else:
            log.error("asyncio: %s", message)
            self.error.emit(f"Unexpected error: {message}")

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.excepthook(args.exc_type, args.exc_value, args.exc_traceback)
