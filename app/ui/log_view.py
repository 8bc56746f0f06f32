"""A log dock fed by a logging.Handler; records cross threads through a queued Qt signal, redacted."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFontDatabase
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
        self._file: Path | None = None
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
        self.location = QLabel("Log file: not written (no log file configured)")
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location.setAccessibleName("Log file location")
        self.open_folder = QPushButton("Open folder")
        self.open_folder.setEnabled(False)
        self.open_folder.clicked.connect(self._open_folder)
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.level_box)
        bar.addWidget(self.location, 1)
        bar.addWidget(self.open_folder)
        bar.addWidget(clear)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setMaximumBlockCount(self.MAX_LINES)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setAccessibleName("Log")
        clear.clicked.connect(self.text.clear)
        layout.addLayout(bar)
        layout.addWidget(self.text)

    @property
    def log_file(self) -> Path | None:
        """The file the app logs to, once shown."""
        return self._file

    def show_location(self, path: Path) -> None:
        """Say where the full log (with earlier sessions' rotated files) is kept on disk."""
        self._file = path
        self.location.setText(f"Log file: {path}")
        self.location.setToolTip(f"Older lines are in {path.name}.1 … beside it (rotated at 2 MB).")
        self.open_folder.setEnabled(True)

    def _open_folder(self) -> None:
        if self._file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._file.parent)))

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
