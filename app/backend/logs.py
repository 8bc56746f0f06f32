"""Logging set-up: every record is redacted (secrets, secret URL parameters) before any handler sees it."""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.backend.redact import REDACTOR, redact_url
from app.core.paths import data_dir, private_dir, private_file

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
_URL = re.compile(r"https?://[^\s\"'<>]+")
_MAX_BYTES = 2_000_000
_BACKUPS = 5


def redact_text(text: str) -> str:
    """`text` with remembered secrets, auth headers and secret URL parameters/user info masked."""
    return REDACTOR.redact(_URL.sub(lambda match: redact_url(match.group(0)), text))


class RedactingFilter(logging.Filter):
    """Replaces a record's message (args merged in) and exception text by their redacted forms."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact `record` in place; always keeps it."""
        redact_record(record)
        return True


def redact_record(record: logging.LogRecord) -> None:
    """Redact the args' values, merge them into the message, redact the text, and pre-format the
    exception text redacted."""
    if getattr(record, "_redacted", False):
        return
    record.msg = REDACTOR.redact_value(record.msg)
    if isinstance(record.args, Mapping):
        record.args = REDACTOR.redact_value(record.args)
    elif isinstance(record.args, tuple):
        record.args = tuple(REDACTOR.redact_value(arg) for arg in record.args)
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a malformed call must not break the caller; keep what we can
        message = f"{record.msg} {record.args!r}"
    record.msg = redact_text(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact_text(record.exc_text)
    if record.stack_info:
        record.stack_info = redact_text(record.stack_info)
    record._redacted = True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file readable by its owner only, the first file and every one after a rollover."""

    def _open(self) -> Any:
        private_file(Path(self.baseFilename))
        return super()._open()


_base_factory = logging.getLogRecordFactory()
_installed: list[logging.Handler] = []


def _redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    redact_record(record)
    return record


def install_record_redaction() -> None:
    """Redact every record at creation: no handler (file, stderr, the UI's log view, pytest) sees secrets."""
    logging.setLogRecordFactory(_redacting_factory)


def configure_logging(level: int | str = logging.INFO, path: Path | None = None) -> Path:
    """Log redacted records at `level` to stderr and a rotating file (default data_dir()/logs/)."""
    log_path = path if path is not None else data_dir() / "logs" / "commissioner.log"
    private_dir(log_path.parent)
    install_record_redaction()
    formatter = logging.Formatter(LOG_FORMAT)
    file_handler = PrivateRotatingFileHandler(
        log_path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8"
    )
    stderr_handler = logging.StreamHandler(sys.stderr)
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed[:] = [file_handler, stderr_handler]
    for handler in _installed:
        handler.setFormatter(formatter)
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request at INFO too: the transport already does (a firmware upload would log each
    # chunk twice). Its lines are kept when debugging.
    debugging = root.getEffectiveLevel() <= logging.DEBUG
    logging.getLogger("httpx").setLevel(logging.NOTSET if debugging else logging.WARNING)
    return log_path
