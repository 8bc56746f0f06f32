"""Per-device history of what was done, when and with what result, in SQLite (crash-safe)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.backend.redact import REDACTOR
from app.core.paths import PRIVATE_DIR_MODE, private_file

_SCHEMA = """
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    device_key TEXT NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    result TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS history_device ON history(device_key, id);
"""


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One recorded action on one device."""

    device_key: str
    at: datetime
    action: str
    result: str
    detail: Mapping[str, Any]


class DeviceHistory:
    """Append-only history (only a start the app never saw end is later marked interrupted); each record
    is its own committed transaction in a WAL database whose files only their owner can read."""

    def __init__(self, path: Path | str) -> None:
        self._path = str(path)
        if self._path != ":memory:":
            Path(self._path).parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
            private_file(Path(self._path))  # SQLite gives the WAL and SHM files the database's mode
        self._lock = threading.Lock()
        self._listeners: list[Callable[[str], None]] = []
        self._db = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        if self._path != ":memory:":
            for companion in (Path(self._path + "-wal"), Path(self._path + "-shm")):
                if companion.exists():  # left by an older version with the default mode
                    private_file(companion)

    def record(
        self, device_key: str, action: str, result: str, detail: Mapping[str, Any] | None = None
    ) -> None:
        """Append one entry, durable once this returns; secrets in `detail` are redacted."""
        clean = REDACTOR.redact_value(dict(detail or {}))
        text = REDACTOR.redact(json.dumps(clean, default=_redacted_text, ensure_ascii=False, sort_keys=True))
        with self._lock:
            self._db.execute(
                "INSERT INTO history(device_key, at, action, result, detail) VALUES (?, ?, ?, ?, ?)",
                (device_key, datetime.now(UTC).isoformat(), action, result, text),
            )
        for listener in list(self._listeners):
            listener(device_key)

    def subscribe(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """Call `listener(device_key)` after each new entry, on the recording thread; returns unsubscribe."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def entries(self, device_key: str, limit: int = 200) -> list[HistoryEntry]:
        """The device's newest entries first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT device_key, at, action, result, detail FROM history "
                "WHERE device_key = ? ORDER BY id DESC LIMIT ?",
                (device_key, limit),
            ).fetchall()
        return [
            HistoryEntry(key, datetime.fromisoformat(at), action, result, json.loads(detail))
            for key, at, action, result, detail in rows
        ]

    def import_entries(self, entries: list[HistoryEntry]) -> int:
        """Add entries recorded elsewhere (a colleague's visit file) with their own times, skipping any
        already here (same device, time, action and result); returns how many were added."""
        added = 0
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            for entry in entries:
                row = (entry.device_key, entry.at.astimezone(UTC).isoformat(), entry.action, entry.result)
                exists = self._db.execute(
                    "SELECT 1 FROM history WHERE device_key = ? AND at = ? AND action = ? AND result = ?", row
                ).fetchone()
                if exists is None:
                    detail = json.dumps(REDACTOR.redact_value(dict(entry.detail)), default=_redacted_text,
                                        ensure_ascii=False, sort_keys=True)
                    self._db.execute(
                        "INSERT INTO history(device_key, at, action, result, detail) VALUES (?, ?, ?, ?, ?)",
                        (*row, detail),
                    )
                    added += 1
            self._db.execute("COMMIT")
        return added

    def device_keys(self, since: datetime) -> list[str]:
        """Devices with entries recorded at or after `since` (aware), in the order they were first touched."""
        with self._lock:
            rows = self._db.execute(
                "SELECT device_key FROM history WHERE at >= ? GROUP BY device_key ORDER BY MIN(id)",
                (since.astimezone(UTC).isoformat(),),
            ).fetchall()
        return [key for (key,) in rows]

    def mark_interrupted(self) -> int:
        """Turn every "started" entry that no outcome settles into INTERRUPTED_RESULT; returns how many.

        Call once when the app starts, before it runs any operation: a start still unsettled then was
        left by an app that stopped (crashed, killed, powered off) while the operation ran.
        """
        with self._lock:
            rows = self._db.execute(
                "SELECT id, device_key, action, result FROM history "
                "WHERE result IN (?, ?, ?, ?, ?) ORDER BY id",
                ("started", *sorted(OUTCOMES)),
            ).fetchall()
            open_starts: dict[tuple[str, str], int] = {}
            unsettled: list[int] = []
            for row_id, key, action, result in rows:
                earlier = open_starts.pop((key, action), None)
                if earlier is not None and result == "started":
                    unsettled.append(earlier)
                if result == "started":
                    open_starts[(key, action)] = row_id
            unsettled.extend(open_starts.values())
            self._db.execute("BEGIN IMMEDIATE")
            marks = [(INTERRUPTED_RESULT, row_id) for row_id in unsettled]
            self._db.executemany("UPDATE history SET result = ? WHERE id = ?", marks)
            self._db.execute("COMMIT")
        return len(unsettled)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


def _redacted_text(value: object) -> str:
    """A value JSON cannot write, as its redacted text."""
    return str(REDACTOR.redact_value(str(value)))


#: What an operation's "started" entry becomes when the app stopped before the operation ended.
INTERRUPTED_RESULT = "interrupted"
#: Results that end an operation recorded by `run_operation` (its "started" entry is then redundant).
OUTCOMES = frozenset({"succeeded", "failed", "cancelled", INTERRUPTED_RESULT})


def without_settled_starts(oldest_first: list[HistoryEntry]) -> list[HistoryEntry]:
    """The entries minus each "started" that a later outcome of the same action settles; a "started"
    left in the result had no outcome recorded (still running, or the app stopped while it ran)."""
    return [
        entry
        for index, entry in enumerate(oldest_first)
        if entry.result != "started" or not _settled(entry, oldest_first[index + 1 :])
    ]


def _settled(started: HistoryEntry, later: list[HistoryEntry]) -> bool:
    """Whether one of the `later` entries is the outcome of `started` (before the action started again)."""
    for entry in later:
        if entry.action != started.action:
            continue
        if entry.result in OUTCOMES:
            return True
        if entry.result == "started":
            return False
    return False

