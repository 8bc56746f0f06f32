"""Crash-safe file writes: a reader sees the old content or the new, never a torn file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a private temporary file beside `path`, fsync it, then os.replace it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp_name).replace(path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def write_json_atomically(path: Path, payload: Any) -> None:
    """Write `payload` as indented JSON with write_bytes_atomically."""
    write_bytes_atomically(path, json.dumps(payload, indent=2, sort_keys=True).encode("utf-8"))
