"""Import a residents list into the intercom's directory (document §5.14), Qt-free: what will change per
entry, the change itself in batches, and a read-back that compares the directory with the list."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.progress import ProgressReporter
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.directory_csv import FIELDS_BY_KEY, IMPORT_FIELDS, ImportList, RowProblem
from app.vendors.two_n.directory_models import (
    DirectoryEntry,
    DirectoryEntryError,
    EntryOutcome,
    combined,
    nested,
)

#: Entries sent per create/update/delete request; Cancel takes effect between requests.
BATCH = 50
#: The fields the app reads back: what a list can set, plus what decides deletion. Photos and fingerprint
#: templates are never asked for (a directory's photos alone can be tens of megabytes).
READ_FIELDS = (*(f.key for f in IMPORT_FIELDS if f.key != "uuid"), "owner", "deleted")
IMPORT_STAGES = ("Adding entries", "Updating entries", "Deleting entries", "Reading the directory back")


class ChangeKind(enum.Enum):
    """What the import does to one entry."""

    ADD = "add"
    UPDATE = "update"
    DELETE = "delete"
    UNCHANGED = "unchanged"
    KEEP = "kept (not in the list)"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of an entry that the list changes."""

    key: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{FIELDS_BY_KEY[self.key].label}: {self.old or '(empty)'} → {self.new or '(empty)'}"


@dataclass(frozen=True, slots=True)
class EntryChange:
    """One entry of the preview: what happens, to whom, from which line, and which fields change."""

    kind: ChangeKind
    name: str
    uuid: str
    line: int | None
    fields: tuple[FieldChange, ...] = ()
    values: Mapping[str, str] = field(default_factory=dict)
    note: str = ""

    @property
    def summary(self) -> str:
        """The preview's "what changes" column."""
        if self.kind is ChangeKind.UPDATE:
            return "; ".join(str(f) for f in self.fields)
        if self.kind is ChangeKind.ADD:
            shown = [(k, v) for k, v in self.values.items() if v and k != "name"]
            return "; ".join(f"{FIELDS_BY_KEY[k].label}: {v}" for k, v in shown)
        return self.note


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """The preview: one change per list row and per intercom entry, and the rows that cannot be imported."""

    changes: tuple[EntryChange, ...]
    problems: tuple[RowProblem, ...]

    def count(self, kind: ChangeKind) -> int:
        """How many entries get `kind`."""
        return sum(1 for change in self.changes if change.kind is kind)

    @property
    def has_work(self) -> bool:
        """True when applying would change the directory."""
        return any(c.kind in (ChangeKind.ADD, ChangeKind.UPDATE, ChangeKind.DELETE) for c in self.changes)

    def describe(self) -> str:
        """"2 to add, 1 to update, 0 to delete, 3 unchanged" (+ kept, + lines not imported)."""
        add, update = self.count(ChangeKind.ADD), self.count(ChangeKind.UPDATE)
        delete, unchanged = self.count(ChangeKind.DELETE), self.count(ChangeKind.UNCHANGED)
        parts = [f"{add} to add", f"{update} to update", f"{delete} to delete", f"{unchanged} unchanged"]
        if kept := self.count(ChangeKind.KEEP):
            parts.append(f"{kept} not in the list and kept")
        if self.problems:
            parts.append(f"{len(self.problems)} lines not imported")
        return ", ".join(parts)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _current(entry: DirectoryEntry, key: str) -> str:
    text = entry.text(key)
    return ",".join(p.strip() for p in text.split(",")) if key == "buttons" and text else text


def _diff(entry: DirectoryEntry, values: Mapping[str, str]) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(k, _current(entry, k), v) for k, v in values.items()
                 if k != "uuid" and _current(entry, k) != v)


class _Index:
    """The live entries by uuid and by name, so that matching a long list stays linear."""

    def __init__(self, live: Sequence[DirectoryEntry]) -> None:
        self.by_uuid = {e.uuid.upper(): e for e in live}
        self.by_name: dict[str, list[DirectoryEntry]] = {}
        for entry in live:
            self.by_name.setdefault(_key(entry.text("name")), []).append(entry)

    def match(self, values: Mapping[str, str], taken: set[str]) -> tuple[DirectoryEntry | None, str]:
        """The entry a row names (by uuid, else by name) and, when it cannot tell, why."""
        if values.get("uuid"):
            by_uuid = self.by_uuid.get(values["uuid"])
            found = [by_uuid] if by_uuid is not None else []
        else:
            found = self.by_name.get(_key(values.get("name", "")), [])
        if len(found) > 1:
            name = values.get("name")
            return None, f"{len(found)} entries on the intercom are named {name!r}; add a UUID column"
        if found and found[0].uuid in taken:
            return None, "another line of the list already matches this entry"
        return (found[0] if found else None), ""


def plan_import(rows: ImportList, entries: Sequence[DirectoryEntry], *, delete_missing: bool) -> ImportPlan:
    """The preview: ADD/UPDATE/UNCHANGED per row, DELETE (only with `delete_missing`) or KEEP for entries
    the list lacks. Only mapped fields are compared or written; entries managed by a remote system
    (`owner` set) are never deleted."""
    live = [e for e in entries if not e.deleted]
    changes: list[EntryChange] = []
    problems = list(rows.problems)
    taken: set[str] = set()
    index = _Index(live)
    for row in rows.rows:
        entry, why = index.match(row.values, taken)
        if why:
            problems.append(RowProblem(row.line, why))
        elif entry is None:
            changes.append(EntryChange(ChangeKind.ADD, row.name, row.values.get("uuid", ""), row.line,
                                       values=row.values))
        else:
            taken.add(entry.uuid)
            diff = _diff(entry, row.values)
            kind = ChangeKind.UPDATE if diff else ChangeKind.UNCHANGED
            changes.append(EntryChange(kind, entry.text("name"), entry.uuid, row.line, diff, row.values))
    for entry in live:
        if entry.uuid in taken:
            continue
        owner = entry.text("owner")
        kind = ChangeKind.DELETE if delete_missing and not owner else ChangeKind.KEEP
        note = f"managed by {owner}: never deleted by an import" if owner else ""
        changes.append(EntryChange(kind, entry.text("name"), entry.uuid, None, note=note))
    return ImportPlan(tuple(changes), tuple(sorted(problems, key=lambda p: p.line)))


def _request(values: Mapping[str, str], *, uuid: str = "") -> dict[str, Any]:
    parts = [nested(k, v) for k, v in values.items() if k != "uuid"]
    return combined({"uuid": uuid} if uuid else {}, *parts)


@dataclass(frozen=True, slots=True)
class AppliedChange:
    """A planned change and what the intercom answered for it."""

    change: EntryChange
    outcome: EntryOutcome

    @property
    def uuid(self) -> str:
        """The entry's uuid (for an added entry, the one the intercom assigned)."""
        return self.outcome.uuid or self.change.uuid

    @property
    def error(self) -> DirectoryEntryError | None:
        """Why the intercom refused the change, with its EDIR code; None when it was made."""
        if self.outcome.ok:
            return None
        return DirectoryEntryError(f"{self.change.kind.value} {self.change.name or self.uuid}",
                                   self.outcome.problems)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """Every change sent with its outcome, and what the read-back found different from the list."""

    applied: tuple[AppliedChange, ...]
    mismatches: tuple[str, ...]

    @property
    def failed(self) -> tuple[AppliedChange, ...]:
        """Changes the intercom refused."""
        return tuple(a for a in self.applied if not a.outcome.ok)

    def describe(self) -> str:
        """One paragraph for the technician: done, refused, and the check's verdict."""
        done = len(self.applied) - len(self.failed)
        lines = [f"{done} of {len(self.applied)} changes made."]
        lines += [str(failed.error) for failed in self.failed]
        if self.mismatches:
            lines.append("The directory read back differs from the list:")
            lines += list(self.mismatches)
        else:
            lines.append("Check: the directory read back matches the list.")
        return "\n".join(lines)


async def _send(
    client: TwoNClient, kind: ChangeKind, batch: Sequence[EntryChange]
) -> tuple[EntryOutcome, ...]:
    if kind is ChangeKind.ADD:
        result = await client.dir_create([_request(c.values, uuid=c.uuid) for c in batch])
    elif kind is ChangeKind.UPDATE:
        changed = [_request({f.key: f.new for f in c.fields}, uuid=c.uuid) for c in batch]
        result = await client.dir_update(changed)
    else:
        result = await client.dir_delete([c.uuid for c in batch])
    outcomes = result.outcomes
    missing = EntryOutcome("", None, ())
    return tuple(outcomes[i] if i < len(outcomes) else missing for i in range(len(batch)))


async def apply_plan(
    client: TwoNClient, plan: ImportPlan, reporter: ProgressReporter
) -> tuple[AppliedChange, ...]:
    """Create, then update, then delete, BATCH entries per request; an update sends only changed fields."""
    applied: list[AppliedChange] = []
    kinds = (ChangeKind.ADD, ChangeKind.UPDATE, ChangeKind.DELETE)
    for kind, stage in zip(kinds, IMPORT_STAGES, strict=False):
        todo = [c for c in plan.changes if c.kind is kind]
        reporter.stage(stage, total=len(todo))
        for start in range(0, len(todo), BATCH):
            batch = todo[start:start + BATCH]
            outcomes = await _send(client, kind, batch)
            applied += [AppliedChange(c, o) for c, o in zip(batch, outcomes, strict=True)]
            reporter.advance(len(batch))
    return tuple(applied)


def _expected(change: EntryChange) -> Mapping[str, str]:
    return {k: v for k, v in change.values.items() if k != "uuid"}


async def verify_import(
    client: TwoNClient, plan: ImportPlan, applied: Sequence[AppliedChange]
) -> tuple[str, ...]:
    """Read the whole directory back and list every entry that differs from what the list asked for."""
    read = await client.dir_query(fields=READ_FIELDS)
    by_uuid = {e.uuid.upper(): e for e in read.entries}
    mismatches: list[str] = []
    made = [(a.change, a.uuid) for a in applied if a.outcome.ok]
    made += [(c, c.uuid) for c in plan.changes if c.kind is ChangeKind.UNCHANGED]
    for change, uuid in made:
        entry = by_uuid.get(uuid.upper())
        who = f"line {change.line} ({change.name})" if change.line else change.name or uuid
        if change.kind is ChangeKind.DELETE:
            if entry is not None and not entry.deleted:
                mismatches.append(f"{who}: still in the directory")
        elif entry is None or entry.deleted:
            mismatches.append(f"{who}: not in the directory")
        else:
            mismatches += [f"{who}: {FIELDS_BY_KEY[f.key].label} reads {f.old!r}, the list says {f.new!r}"
                           for f in _diff(entry, _expected(change))]
    return tuple(mismatches)


async def import_directory(client: TwoNClient, plan: ImportPlan, reporter: ProgressReporter) -> ImportResult:
    """Apply the plan, then read the directory back and compare."""
    applied = await apply_plan(client, plan, reporter)
    reporter.stage(IMPORT_STAGES[-1])
    return ImportResult(applied, await verify_import(client, plan, applied))


async def read_directory(client: TwoNClient) -> tuple[DirectoryEntry, ...]:
    """Every live entry with all its fields (dir/query from timestamp 0), ordered by name."""
    read = await client.dir_query(fields=READ_FIELDS)
    return tuple(sorted((e for e in read.entries if not e.deleted), key=lambda e: _key(e.text("name"))))
