"""The intercom's directory as the app reads it (document §5.14): entries, per-entry outcomes, EDIR codes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core.decoding import integer, object_items, string
from app.core.errors import DeviceError

_WHERE = "the intercom's directory reply"
_STEP = re.compile(r"^(\w+)(?:\[(\d+)\])?$")

#: What each per-entry code of §5.14 means for the technician.
PROBLEM_TEXTS: dict[str, str] = {
    "EDIR_UUID_INVALID_FORMAT": "the uuid is not in the XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX form",
    "EDIR_UUID_ALREADY_EXISTS": "an entry with this uuid already exists",
    "EDIR_UUID_DOES_NOT_EXIST": "no entry with this uuid exists",
    "EDIR_UUID_IS_MISSING": "the request did not name the entry's uuid",
    "EDIR_FIELD_NAME_UNKNOWN": "this intercom has no such field",
    "EDIR_FIELD_VALUE_ERROR": "the intercom rejected the value",
    "EDIRLIM_USER": "the directory is full",
    "EDIRLIM_PHOTO": "the photo storage is full",
    "EDIRLIM_FPT": "the fingerprint storage is full",
    "EINCONSISTENT": "the validity starts at or after its end",
}


def value_at(values: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path with indexes ("callPos[0].peer"), None where the entry lacks it."""
    current: Any = values
    for step in path.split("."):
        match = _STEP.match(step)
        if match is None or not isinstance(current, Mapping):
            return None
        current = current.get(match.group(1))
        if match.group(2) is not None:
            index = int(match.group(2))
            current = current[index] if isinstance(current, list) and index < len(current) else None
    return current


def nested(path: str, value: Any) -> dict[str, Any]:
    """The request object setting one dotted path: "callPos[1].peer" -> {"callPos": [{}, {"peer": v}]}."""
    result: Any = value
    for step in reversed(path.split(".")):
        match = _STEP.match(step)
        if match is None:
            raise ValueError(f"not a directory field path: {path!r}")
        if match.group(2) is not None:
            result = [*({} for _ in range(int(match.group(2)))), result]
        result = {match.group(1): result}
    return dict(result)


def combined(*parts: Mapping[str, Any]) -> dict[str, Any]:
    """Request objects laid over each other: objects key by key, arrays position by position."""
    out: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            out[key] = _combine(out.get(key), value)
    return out


def _combine(old: Any, new: Any) -> Any:
    if isinstance(old, dict) and isinstance(new, dict):
        return combined(old, new)
    if isinstance(old, list) and isinstance(new, list):
        longer, shorter = (old, new) if len(old) >= len(new) else (new, old)
        merged = list(longer)
        for i, item in enumerate(shorter):
            merged[i] = _combine(old[i], new[i]) if i < len(old) and i < len(new) else item
        return merged
    return new


@dataclass(frozen=True, slots=True)
class DirectoryProblem:
    """One error of a directory change: the EDIR code and, for field errors, the dotted field."""

    code: str
    field: str = ""

    def __str__(self) -> str:
        text = PROBLEM_TEXTS.get(self.code, "the intercom refused the change")
        where = f" ({self.field})" if self.field else ""
        return f"{text}{where} [{self.code}]"


@dataclass(frozen=True, slots=True)
class EntryOutcome:
    """What one object of a create/update/delete/get did: its uuid and timestamp, or its problems."""

    uuid: str
    timestamp: int | None
    problems: tuple[DirectoryProblem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the change was made (a timestamp came back, no errors)."""
        return not self.problems and self.timestamp is not None

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> EntryOutcome:
        """One item of a result's `users` array."""
        problems = tuple(
            DirectoryProblem(str(error.get("code", "")), str(error.get("field", "")))
            for error in object_items(raw.get("errors")))
        timestamp = raw.get("timestamp")
        stamp = timestamp if isinstance(timestamp, int) and not isinstance(timestamp, bool) else None
        return cls(str(raw.get("uuid", "")), stamp, problems)


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """One entry: its uuid, the timestamp of its last change and its fields as the intercom sent them."""

    uuid: str
    timestamp: int
    values: Mapping[str, Any] = field(default_factory=dict)

    @property
    def deleted(self) -> bool:
        """True for an entry kept only as a deleted uuid."""
        return self.values.get("deleted") is True

    def text(self, path: str) -> str:
        """The field at `path` as text ("" when absent or empty); shown as plain text, never markup."""
        value = value_at(self.values, path)
        return "" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class DirectoryRead:
    """A query or get: the series, the entries returned, the objects that failed, and `invalid` (set
    when the intercom no longer knows all of its history, §5.14.6)."""

    series: str
    entries: tuple[DirectoryEntry, ...]
    failures: tuple[EntryOutcome, ...] = ()
    invalid: int | None = None
    newest: int | None = None

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> DirectoryRead:
        """A dir/query or dir/get result."""
        entries, failures = [], []
        for item in object_items(raw.get("users")):
            if "errors" in item or not isinstance(item.get("timestamp"), int):
                failures.append(EntryOutcome.decode(item))
            else:
                values = {k: v for k, v in item.items() if k not in ("uuid", "timestamp")}
                uuid, stamp = string(item, "uuid", _WHERE), integer(item, "timestamp", _WHERE)
                entries.append(DirectoryEntry(uuid, stamp, values))
        # Assumed: §5.14.6 says the device "returns its series, the highest timestamp value and invalid
        # timestamp" without naming keys beyond `invalid`; `timestamp` is read for the highest one.
        invalid, newest = raw.get("invalid"), raw.get("timestamp")
        return cls(string(raw, "series", _WHERE), tuple(entries), tuple(failures),
                   invalid if isinstance(invalid, int) else None, newest if isinstance(newest, int) else None)


@dataclass(frozen=True, slots=True)
class DirectoryChanges:
    """A create/update/delete result: the series and one outcome per object sent, in order."""

    series: str
    outcomes: tuple[EntryOutcome, ...]

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> DirectoryChanges:
        """A dir/create, dir/update or dir/delete result (`users` is absent when nothing was sent)."""
        outcomes = tuple(EntryOutcome.decode(item) for item in object_items(raw.get("users")))
        return cls(string(raw, "series", _WHERE), outcomes)


class DirectoryEntryError(DeviceError):
    """A directory change the intercom refused for one entry; `code` is its (first) EDIR code (§5.14)."""

    def __init__(self, who: str, problems: tuple[DirectoryProblem, ...]) -> None:
        reasons = "; ".join(map(str, problems)) or "the intercom sent no outcome for this entry"
        first = problems[0] if problems else None
        super().__init__(f"{who}: {reasons}", code=first.code if first else None,
                         detail=first.field if first else "")
        self.problems = problems

    def __str__(self) -> str:
        """The message alone: it names every code already."""
        return self.message
