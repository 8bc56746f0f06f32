"""The visit: its site details and plan, kept in SQLite in the user's data folder so it resumes after a
restart, and written to (or read from) one file a colleague can open on another laptop (Qt-free)."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from app.backend.history import DeviceHistory, HistoryEntry
from app.core.errors import AppError
from app.core.paths import PRIVATE_DIR_MODE, data_dir, private_file
from app.site.plan import PlanField, PlanRow

#: The visit database's file name in the data folder.
VISIT_DB_NAME = "visit.sqlite3"
#: The export file's format marker and version.
EXPORT_FORMAT = "commissioner-visit"
EXPORT_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS visit (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS plan_row (position INTEGER PRIMARY KEY, row TEXT NOT NULL);
"""


class VisitFileError(AppError):
    """A visit file that is not one this app wrote, or that is damaged."""


@dataclass(frozen=True, slots=True)
class VisitDetails:
    """Who, where and for whom: what the report's first page and sign-off name."""

    site: str = ""
    customer: str = ""
    technician: str = ""
    company: str = ""
    plan_file: str = ""
    #: When the plan was first opened (ISO 8601, UTC).
    started: str = ""


@dataclass(frozen=True, slots=True)
class Visit:
    """The visit as saved: its details, the plan rows and the column mapping they were read with."""

    details: VisitDetails = field(default_factory=VisitDetails)
    rows: tuple[PlanRow, ...] = ()
    mapping: dict[PlanField, str] = field(default_factory=dict)


def default_visit_path() -> Path:
    """Where the current visit is kept: the user's data folder."""
    return data_dir() / VISIT_DB_NAME


class VisitStore:
    """The current visit in SQLite; every save is one committed transaction."""

    def __init__(self, path: Path | str) -> None:
        self._path = str(path)
        if self._path != ":memory:":
            Path(self._path).parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
            private_file(Path(self._path))
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
        self._db.executescript(_SCHEMA)

    def save(self, visit: Visit) -> None:
        """Replace the stored visit with `visit`."""
        values = {
            "details": json.dumps(asdict(visit.details), ensure_ascii=False),
            "mapping": json.dumps(_mapping_names(visit), ensure_ascii=False),
        }
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM visit")
            self._db.execute("DELETE FROM plan_row")
            self._db.executemany("INSERT INTO visit(name, value) VALUES (?, ?)", values.items())
            self._db.executemany(
                "INSERT INTO plan_row(position, row) VALUES (?, ?)",
                [(i, json.dumps(asdict(row), ensure_ascii=False)) for i, row in enumerate(visit.rows)],
            )
            self._db.execute("COMMIT")

    def load(self) -> Visit:
        """The stored visit (an empty one when none was saved)."""
        with self._lock:
            values = dict(self._db.execute("SELECT name, value FROM visit").fetchall())
            rows = [row for (row,) in self._db.execute("SELECT row FROM plan_row ORDER BY position")]
        return visit_from_dict({
            "details": json.loads(values.get("details", "{}")),
            "mapping": json.loads(values.get("mapping", "{}")),
            "rows": [json.loads(row) for row in rows],
        })

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


def _mapping_names(visit: Visit) -> dict[str, str]:
    return {plan_field.name: header for plan_field, header in visit.mapping.items()}


def visit_from_dict(data: dict[str, Any]) -> Visit:
    """A Visit from its saved form; unknown keys (a newer app) are ignored, missing ones left empty."""
    detail_names = {f.name for f in fields(VisitDetails)}
    row_names = {f.name for f in fields(PlanRow)}
    given = dict(data.get("details", {}))
    details = VisitDetails(**{k: str(v) for k, v in given.items() if k in detail_names})
    rows = tuple(_plan_row(dict(row), row_names) for row in data.get("rows", []))
    by_name = {f.name: f for f in PlanField}
    mapping = {by_name[k]: str(v) for k, v in dict(data.get("mapping", {})).items() if k in by_name}
    return Visit(details, rows, mapping)


def _plan_row(saved: dict[str, Any], names: set[str]) -> PlanRow:
    texts = {k: str(v) for k, v in saved.items() if k in names and k != "line"}
    return PlanRow(line=int(saved.get("line", 0)), **texts)


def export_visit(visit: Visit, history: DeviceHistory, device_keys: list[str], path: Path) -> Path:
    """Write the visit and the history of `device_keys` to `path` (JSON), for another laptop."""
    entries = [entry for key in device_keys for entry in reversed(history.entries(key, 10_000))]
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "details": asdict(visit.details),
        "mapping": _mapping_names(visit),
        "rows": [asdict(row) for row in visit.rows],
        "history": [
            {"device": e.device_key, "at": e.at.isoformat(), "action": e.action, "result": e.result,
             "detail": dict(e.detail)}
            for e in entries
        ],
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), "utf-8")
    return path


def import_visit(path: Path, history: DeviceHistory) -> tuple[Visit, int]:
    """The visit in a file `export_visit` wrote, its history merged into `history`; returns the visit and
    how many history entries were new here."""
    try:
        document = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise VisitFileError(f"{path.name} cannot be read as a visit file: {err}") from err
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise VisitFileError(f"{path.name} is not a visit file saved by Commissioner.")
    try:
        visit = visit_from_dict(document)
        entries = [
            HistoryEntry(str(e["device"]), datetime.fromisoformat(str(e["at"])), str(e["action"]),
                         str(e["result"]), dict(e.get("detail", {})))
            for e in document.get("history", [])
        ]
    except (KeyError, TypeError, ValueError) as err:
        raise VisitFileError(f"{path.name} is damaged: {err}") from err
    return visit, history.import_entries(entries)
