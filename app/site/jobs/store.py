"""Site jobs in SQLite: each job and each device's row, written as they change, so a crash loses nothing."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.core.models import VendorId
from app.core.paths import PRIVATE_DIR_MODE, data_dir, private_file
from app.site.jobs.model import JobKind, JobSettings, JobTarget, RowState, RowStatus, Verdict, VerdictKind

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    created TEXT NOT NULL,
    params TEXT NOT NULL,
    settings TEXT NOT NULL,
    finished INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS job_rows (
    job_id TEXT NOT NULL REFERENCES jobs(id),
    position INTEGER NOT NULL,
    key TEXT NOT NULL,
    target TEXT NOT NULL,
    state TEXT NOT NULL,
    step TEXT NOT NULL,
    step_index INTEGER NOT NULL,
    step_count INTEGER NOT NULL,
    percent INTEGER,
    message TEXT NOT NULL,
    verdict TEXT,
    reason TEXT NOT NULL,
    login_failed INTEGER NOT NULL,
    serial TEXT NOT NULL,
    detail TEXT NOT NULL,
    updated TEXT NOT NULL,
    PRIMARY KEY (job_id, key)
);
"""


def default_job_store_path() -> Path:
    """Where the app keeps its site jobs: the user's data folder."""
    return data_dir() / "site-jobs.sqlite3"


@dataclass(frozen=True, slots=True)
class StoredJob:
    """A job as the database holds it: what it was and each device's last known row."""

    job_id: str
    kind: JobKind
    created: datetime
    params: Mapping[str, Any]
    settings: JobSettings
    finished: bool
    rows: tuple[RowStatus, ...]

    def rows_in(self, *states: RowState) -> list[RowStatus]:
        """The rows in any of `states`."""
        return [row for row in self.rows if row.state in states]


class JobStore:
    """Jobs and rows in a WAL database only its owner can read; every write is committed at once."""

    def __init__(self, path: Path | str | None = None) -> None:
        self._path = str(path) if path is not None else str(default_job_store_path())
        if self._path != ":memory:":
            Path(self._path).parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
            private_file(Path(self._path))
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: a committed row survives the app's crash
        self._db.executescript(_SCHEMA)

    def create(self, kind: JobKind, params: Mapping[str, Any], settings: JobSettings,
               rows: list[RowStatus]) -> str:
        """Record a new job with its rows; returns its id."""
        job_id = uuid.uuid4().hex[:12]
        settings_json = {"concurrency": settings.concurrency,
                         "upload_concurrency": settings.upload_concurrency, "pilot": settings.pilot}
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT INTO jobs(id, kind, created, params, settings) VALUES (?, ?, ?, ?, ?)",
                (job_id, kind.value, _now(), json.dumps(dict(params), default=str),
                 json.dumps(settings_json)),
            )
            for position, row in enumerate(rows):
                self._db.execute(_UPSERT, _row_values(job_id, position, row))
            self._db.execute("COMMIT")
        return job_id

    def save_row(self, job_id: str, position: int, row: RowStatus) -> None:
        """Write one device's row as it is now (durable once this returns)."""
        with self._lock:
            self._db.execute(_UPSERT, _row_values(job_id, position, row))

    def finish(self, job_id: str) -> None:
        """Mark the job finished: nothing of it is left to resume."""
        with self._lock:
            self._db.execute("UPDATE jobs SET finished = 1 WHERE id = ?", (job_id,))

    def reopen(self, job_id: str) -> None:
        """Mark the job unfinished again (a retry or resume is running)."""
        with self._lock:
            self._db.execute("UPDATE jobs SET finished = 0 WHERE id = ?", (job_id,))

    def load(self, job_id: str) -> StoredJob:
        """One job with its rows; KeyError when there is none with that id."""
        with self._lock:
            job = self._db.execute(
                "SELECT id, kind, created, params, settings, finished FROM jobs WHERE id = ?", (job_id,)
            ).fetchone()
            if job is None:
                raise KeyError(job_id)
            rows = self._db.execute(
                "SELECT target, state, step, step_index, step_count, percent, message, verdict, reason, "
                "login_failed, serial, detail FROM job_rows WHERE job_id = ? ORDER BY position", (job_id,)
            ).fetchall()
        return _stored(job, [_row_from(values) for values in rows])

    def jobs(self, since: datetime | None = None) -> list[StoredJob]:
        """Every job (created at or after `since`, when given), oldest first."""
        with self._lock:
            found = [(job_id, created) for job_id, created in self._db.execute(
                "SELECT id, created FROM jobs ORDER BY created, rowid")]
        return [self.load(job_id) for job_id, created in found
                if since is None or datetime.fromisoformat(created) >= since]

    def unfinished(self) -> list[StoredJob]:
        """Every job not marked finished, oldest first."""
        with self._lock:
            ids = [job_id for (job_id,) in self._db.execute(
                "SELECT id FROM jobs WHERE finished = 0 ORDER BY created, rowid")]
        return [self.load(job_id) for job_id in ids]

    def recover(self) -> list[StoredJob]:
        """After a start: rows an app left running become INTERRUPTED (saying in which step), paused rows
        pending again; returns the unfinished jobs. Call before any job of this store runs."""
        for job in self.unfinished():
            for position, row in enumerate(job.rows):
                if row.state is RowState.RUNNING:
                    self.save_row(job.job_id, position, interrupted(row))
                elif row.state is RowState.PAUSED:
                    self.save_row(job.job_id, position, _replace(row, state=RowState.PENDING))
        return self.unfinished()

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


def interrupted(row: RowStatus) -> RowStatus:
    """`row` as left by an app that stopped while it ran: which step it was in, what that means."""
    where = f"step {row.step_index + 1}/{row.step_count} ({row.step})" if row.step else "its start"
    message = (f"Interrupted: the app stopped during {where}. The device may be left mid-way; "
               "it is checked again before anything more is written.")
    return _replace(row, state=RowState.INTERRUPTED, message=message, percent=None)


def _replace(row: RowStatus, **changes: Any) -> RowStatus:
    return dataclasses.replace(row, **changes)


_UPSERT = (
    "INSERT OR REPLACE INTO job_rows(job_id, position, key, target, state, step, step_index, step_count, "
    "percent, message, verdict, reason, login_failed, serial, detail, updated) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _row_values(job_id: str, position: int, row: RowStatus) -> tuple[Any, ...]:
    verdict = row.verdict
    return (
        job_id, position, row.target.key, json.dumps(row.target.public()), row.state.value, row.step,
        row.step_index, row.step_count, row.percent, row.message,
        verdict.kind.value if verdict else None, verdict.reason if verdict else "", int(row.login_failed),
        row.serial, json.dumps(dict(row.detail), default=str), _now(),
    )


def stored_target(fields: Mapping[str, Any]) -> JobTarget:
    """A device as `JobTarget.public()` kept it (without credentials)."""
    return JobTarget(**{**fields, "vendor": VendorId(str(fields["vendor"]))})


def _row_from(values: tuple[Any, ...]) -> RowStatus:
    (target, state, step, step_index, step_count, percent, message, verdict, reason, login_failed, serial,
     detail) = values
    return RowStatus(
        target=stored_target(json.loads(target)), state=RowState(state), step=step, step_index=step_index,
        step_count=step_count, percent=percent, message=message,
        verdict=Verdict(VerdictKind(verdict), reason) if verdict else None, login_failed=bool(login_failed),
        serial=serial, detail=json.loads(detail),
    )


def _stored(job: tuple[Any, ...], rows: list[RowStatus]) -> StoredJob:
    job_id, kind, created, params, settings, finished = job
    return StoredJob(job_id, JobKind(kind), datetime.fromisoformat(created), json.loads(params),
                     JobSettings(**json.loads(settings)), bool(finished), tuple(rows))


def _now() -> str:
    return datetime.now(UTC).isoformat()
