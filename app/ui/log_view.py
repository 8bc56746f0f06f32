"""A log dock fed by a logging.Handler; records cross threads through a queued Qt signal, redacted."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.backend.redact import REDACTOR

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
_LEVEL_CHOICES = (("Info", logging.INFO), ("Debug", logging.DEBUG), ("Warnings", logging.WARNING))


class _Emitter(QObject):
    record = Signal(int, str)


class QtLogHandler(logging.Handler):
    """Formats and redacts each record, then hands it to the GUI thread through a signal."""

    def __init__(self, level: int = logging.DEBUG) -> None:
        super().__init__(level)
        self.setFormatter(logging.Formatter(_FORMAT, "%H:%M:%S"))
        self.emitter = _Emitter()

    def emit(self, record: logging.LogRecord) -> None:
        """Queue one redacted line for the view (safe from any thread)."""
        try:
            text = REDACTOR.redact(self.format(record))
        except (TypeError, ValueError):
            self.handleError(record)
            return
        self.emitter.record.emit(record.levelno, text)


class LogView(QWidget):
    """Read-only, bounded log text with a level filter; attach() adds its handler to the root logger."""

    MAX_LINES = 5000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.handler = QtLogHandler()
        self._min_level = logging.INFO
        self._build_ui()
        self.handler.emitter.record.connect(self.append)

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.level_box = QComboBox()
        for label, level in _LEVEL_CHOICES:
            self.level_box.addItem(label, level)
        self.level_box.currentIndexChanged.connect(self._level_changed)
        clear = QPushButton("Clear")
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.level_box)
        bar.addStretch(1)
        bar.addWidget(clear)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setMaximumBlockCount(self.MAX_LINES)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setAccessibleName("Log")
        clear.clicked.connect(self.text.clear)
        layout.addLayout(bar)
        layout.addWidget(self.text)

    def attach(self, logger: logging.Logger | None = None) -> None:
        """Start receiving records from `logger` (the root logger by default)."""
        (logger or logging.getLogger()).addHandler(self.handler)

    def detach(self, logger: logging.Logger | None = None) -> None:
        """Stop receiving records."""
        (logger or logging.getLogger()).removeHandler(self.handler)

    def append(self, level: int, text: str) -> None:
        """Add one line if it passes the level filter."""
        if level >= self._min_level:
            self.text.appendPlainText(text)

    def _level_changed(self) -> None:
        self._min_level = int(self.level_box.currentData())
