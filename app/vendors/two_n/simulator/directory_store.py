"""The simulated intercom's directory (document §5.14): entries, their template and validation,
timestamps in one series, deleted entries kept with their uuid."""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.vendors.two_n.simulator.profiles import ModelProfile

UUID_FORMAT = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
EMPTY_UUID = "00000000-0000-0000-0000-000000000000"
#: "The device is capable of handling of up to 10000 unique user identifiers" (§5.14.6).
UUIDS_TRACKED = 10_000
_EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")
_VIRT_NUMBER = re.compile(r"^[A-Z0-9]([0-9]{0,5}[A-Z0-9])?$")
_DIGITS_2_15 = re.compile(r"^[0-9]{2,15}$")
_HEX_6_32 = re.compile(r"^[0-9A-Fa-f]{6,32}$")
_HEX_32 = re.compile(r"^[0-9A-Fa-f]{32}$")
_BUTTONS = re.compile(r"^\s*[1-9][0-9]*\s*(,\s*[1-9][0-9]*\s*)*$")
_INDEXED = re.compile(r"^(\w+)\[(\d+)\]$")


def template_for(profile: ModelProfile) -> dict[str, Any]:
    """An entry's keys and defaults on this model (§5.14.1; `photo` only with a display for pictures,
    `fpt` only with a fingerprint reader: "available keys depend on the model")."""
    entry: dict[str, Any] = {"uuid": "", "deleted": False, "owner": "", "name": ""}
    if any(display.overlay for display in profile.displays):
        entry["photo"] = ""
    call_pos = [{"peer": "", "profiles": "", "grouped": False, "ipEye": ""} for _ in range(3)]
    entry.update({"email": "", "treepath": "/", "virtNumber": "", "deputy": "", "buttons": "",
                  "callPos": call_pos})
    access: dict[str, Any] = {
        "validFrom": "0", "validTo": "0",
        "accessPoints": [{"enabled": True, "profiles": ""}, {"enabled": True, "profiles": ""}],
        "pairingExpired": False, "virtCard": "", "card": ["", ""], "mobkey": "",
    }
    if "fpReader" in profile.features:
        access["fpt"] = ""
    # §5.14.1 says "up to three individual codes" but its example lists four: the example is followed.
    access.update({"pin": "", "apbException": False, "code": ["", "", "", ""], "licensePlates": "",
                   "liftFloors": ""})
    entry["access"] = access
    entry["timestamp"] = 0
    return entry


def _valid_plates(text: str) -> bool:
    plates = [p for p in re.split(r"\s*,\s*", text.strip()) if p]
    return len(text) <= 255 and len(plates) <= 20 and all(len(re.sub(r"\s", "", p)) <= 10 for p in plates)


def _valid_time(value: Any) -> bool:
    return (isinstance(value, str) and value.isdigit()) or (isinstance(value, int) and value >= 0)


#: Value rules the template's descriptions state, per dotted field path (array items share the rule).
_RULES: dict[str, Callable[[Any], bool]] = {
    "name": lambda v: isinstance(v, str) and len(v) <= 63,
    "email": lambda v: isinstance(v, str) and (v == "" or all(_EMAIL.match(a.strip()) for a in v.split(","))),
    "virtNumber": lambda v: isinstance(v, str) and (v == "" or bool(_VIRT_NUMBER.match(v))),
    "deputy": lambda v: isinstance(v, str) and (v == "" or bool(UUID_FORMAT.match(v))),
    "buttons": lambda v: isinstance(v, str) and (v == "" or bool(_BUTTONS.match(v))),
    "photo": lambda v: isinstance(v, str) and (v == "" or v.startswith("data:image/jpeg;base64,")),
    "access.pin": lambda v: isinstance(v, str) and (v == "" or bool(_DIGITS_2_15.match(v))),
    "access.code": lambda v: isinstance(v, str) and (v == "" or bool(_DIGITS_2_15.match(v))),
    "access.card": lambda v: isinstance(v, str) and (v == "" or bool(_HEX_6_32.match(v))),
    "access.virtCard": lambda v: isinstance(v, str) and (v == "" or bool(_HEX_6_32.match(v))),
    "access.mobkey": lambda v: isinstance(v, str) and (v == "" or bool(_HEX_32.match(v))),
    "access.licensePlates": lambda v: isinstance(v, str) and _valid_plates(v),
    "access.validFrom": _valid_time,
    "access.validTo": _valid_time,
}


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One per-entry error of §5.14: an EDIR code and, for field errors, the dotted field."""

    code: str
    field: str = ""

    def as_json(self) -> dict[str, str]:
        """The error object as the device writes it."""
        return {"code": self.code, "field": self.field} if self.field else {"code": self.code}


def _expand(users_item: Mapping[str, Any]) -> dict[str, Any]:
    """A request object with dotted keys ("access.pin", as §5.14.3's example sends) made nested."""
    nested: dict[str, Any] = {}
    for key, value in users_item.items():
        target, parts = nested, key.split(".")
        for part in parts[:-1]:
            child = target.setdefault(part, {})
            target = child if isinstance(child, dict) else {}
        target[parts[-1]] = value
    return nested


#: Keys a request may carry that are not set as fields: uuid names the entry; timestamp is the device's.
# Assumed: the document does not say what a written `timestamp` does; it is ignored.
_NOT_WRITTEN = ("uuid", "timestamp")


def check_fields(
    template: Mapping[str, Any], values: Mapping[str, Any], prefix: str = ""
) -> list[FieldProblem]:
    """EDIR_FIELD_NAME_UNKNOWN for keys the template lacks, EDIR_FIELD_VALUE_ERROR for bad values."""
    problems: list[FieldProblem] = []
    for key, value in values.items():
        path = f"{prefix}{key}"
        if not prefix and key in _NOT_WRITTEN:
            continue
        if key not in template:
            problems.append(FieldProblem("EDIR_FIELD_NAME_UNKNOWN", path))
            continue
        problems += _check_value(template[key], value, path)
    return problems


def _check_value(default: Any, value: Any, path: str) -> list[FieldProblem]:
    bad = [FieldProblem("EDIR_FIELD_VALUE_ERROR", path)]
    if isinstance(default, dict):
        return check_fields(default, value, f"{path}.") if isinstance(value, dict) else bad
    if isinstance(default, list):
        if not isinstance(value, list) or len(value) > len(default):
            return bad
        return [p for item, base in zip(value, default, strict=False) for p in _check_value(base, item, path)]
    if isinstance(default, bool) != isinstance(value, bool):
        return bad
    if not isinstance(default, bool) and not _RULES.get(path, lambda v: isinstance(v, str))(value):
        return bad
    return []


def merged(base: Any, change: Any) -> Any:
    """`base` with `change` laid over it: objects key by key, arrays item by item (a shorter array
    leaves the later items). Assumed: the document does not say how a partial array is applied."""
    if isinstance(base, dict) and isinstance(change, dict):
        return {key: merged(base[key], change[key]) if key in change else base[key] for key in base}
    if isinstance(base, list) and isinstance(change, list):
        return [merged(b, change[i]) if i < len(change) else b for i, b in enumerate(base)]
    return copy.deepcopy(change)


def selected(
    entry: Mapping[str, Any], template: Mapping[str, Any], fields: list[str] | None
) -> dict[str, Any]:
    """The entry as get/query return it: `fields` None = non-default values, [] = all, else those paths
    ("name", "callPos.peer", "callPos[1].grouped"; unknown names ignored). uuid and timestamp always."""
    if fields == []:
        chosen = {k: copy.deepcopy(v) for k, v in entry.items()}
    elif fields is None:
        chosen = {k: copy.deepcopy(v) for k, v in entry.items() if v != template.get(k)}
    else:
        chosen = {}
        for path in fields:
            _pick(entry, chosen, path.split("."))
    return {"uuid": entry["uuid"], **{k: v for k, v in chosen.items() if k not in ("uuid", "timestamp")},
            "timestamp": entry["timestamp"]}


def _pick(source: Any, target: dict[str, Any], parts: list[str]) -> None:
    """Copy the value at `parts` from `source` into `target`, keeping its place in arrays."""
    head, rest = parts[0], parts[1:]
    indexed = _INDEXED.match(head)
    key, index = (indexed.group(1), int(indexed.group(2))) if indexed else (head, None)
    if not isinstance(source, dict) or key not in source:
        return
    value = source[key]
    if not rest and index is None:
        target[key] = copy.deepcopy(value)
        return
    if isinstance(value, list):
        items = target.setdefault(key, [{} for _ in value])
        for i, item in enumerate(value):
            if index is None or i == index:
                if rest and isinstance(item, dict):
                    _pick(item, items[i], rest)
                elif not rest:
                    items[i] = copy.deepcopy(item)
    elif isinstance(value, dict) and rest and index is None:
        _pick(value, target.setdefault(key, {}), rest)


@dataclass(slots=True)
class DirectoryStore:
    """Entries by uuid with the timestamp of their last change; `capacity` live entries at most."""

    profile: ModelProfile
    rng: random.Random
    capacity: int = UUIDS_TRACKED
    series: str = ""
    last_timestamp: int = 0
    invalid: int = 0
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    template: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.template = template_for(self.profile)
        self.new_series()

    def new_series(self) -> None:
        """Start over (a factory reset): no entries, a new series, timestamps from 1."""
        self.series = str(self.rng.randrange(10**18, 10**19))
        self.entries.clear()
        self.last_timestamp = self.invalid = 0

    @property
    def live(self) -> Iterator[dict[str, Any]]:
        """Entries that are not deleted."""
        return (e for e in self.entries.values() if not e["deleted"])

    def find(self, uuid: str) -> dict[str, Any] | None:
        """The entry with this uuid (any case), deleted ones included."""
        return self.entries.get(uuid.upper())

    def new_uuid(self) -> str:
        """A random uuid no entry has."""
        while True:
            digits = f"{self.rng.getrandbits(128):032X}"
            uuid = f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"
            if uuid not in self.entries and uuid != EMPTY_UUID:
                return uuid

    def stamp(self, entry: dict[str, Any]) -> int:
        """Give `entry` the next timestamp and keep at most UUIDS_TRACKED uuids (oldest deleted go first,
        and `invalid` then marks where the history is no longer known)."""
        self.last_timestamp += 1
        entry["timestamp"] = self.last_timestamp
        self.entries[entry["uuid"]] = entry
        if len(self.entries) > UUIDS_TRACKED:
            oldest = min((e for e in self.entries.values() if e["deleted"]), key=lambda e: e["timestamp"],
                         default=None)
            if oldest is not None:
                del self.entries[oldest["uuid"]]
                self.invalid = max(self.invalid, oldest["timestamp"])
        return self.last_timestamp

    def write(self, uuid: str, values: Mapping[str, Any], *, reset: bool) -> int:
        """Set `values` on the entry `uuid` (from the defaults when `reset`); its new timestamp."""
        current = self.find(uuid)
        base = copy.deepcopy(self.template) if reset or current is None else current
        entry = merged(base, _expand(values))
        entry.update(uuid=uuid.upper(), deleted=False)
        return self.stamp(entry)

    def delete(self, uuid: str) -> int:
        """Mark the entry deleted; only its uuid is kept (§5.14.1 `deleted`)."""
        entry = copy.deepcopy(self.template)
        entry.update(uuid=uuid.upper(), deleted=True)
        return self.stamp(entry)

    def problems(self, values: Mapping[str, Any], uuid: str | None, *, reset: bool) -> list[FieldProblem]:
        """Field errors of a create/update object for entry `uuid`, then EINCONSISTENT when the
        validity it would have starts at or after its end."""
        expanded = _expand(values)
        found = check_fields(self.template, expanded)
        if found:
            return found
        current = self.find(uuid) if uuid else None
        base = self.template if reset or current is None else current
        access = merged(base, expanded)["access"]
        start, end = int(access["validFrom"] or 0), int(access["validTo"] or 0)
        return [FieldProblem("EINCONSISTENT")] if start and end and start >= end else []
