"""Each planned device's checklist, derived from what it can do and what its history records (Qt-free)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from app.backend import evidence
from app.backend.history import HistoryEntry
from app.site.plan import PlanRow
from app.site.plan_match import FoundDevice
from app.vendors.base import AcceptanceTest, Capability


class Check(enum.Enum):
    """One item of a planned device's checklist, as the technician reads it."""

    FOUND = "found"
    CERTIFICATE = "certificate trusted"
    PASSWORD = "factory password changed"  # noqa: S105  (an item's name, not a password)
    FIRMWARE = "firmware at target"
    CONFIGURED = "configured"
    ACCEPTANCE = "acceptance test passed"


#: Actions that are not configuration: connecting, trusting, reading.
#: Opening a device, its first password, calls and tests are recorded too, but change no configuration.
_NOT_CONFIGURATION = ("Logged in", "Certificate", "Credentials", "Unencrypted connection", "Address",
                      "Reading", "Read ", "Checking", "Live", "Snapshot", "Asking", "Open ", "Opening",
                      "Factory password", "Changing the factory password", "Test call", "Hang",
                      "Door test", "Walk test", "Audio test", "wizard.door", "wizard.call",
                      "wizard.registration", "Site job: configuration backup", "Backing up", "Backup")


@dataclass(frozen=True, slots=True)
class CheckItem:
    """One item: done or open, and the evidence in words."""

    check: Check
    done: bool
    evidence: str = ""

    @property
    def label(self) -> str:
        """The item as the checklist shows it."""
        return self.check.value


@dataclass(frozen=True, slots=True)
class DeviceChecklist:
    """A planned device's items (only those that apply to it)."""

    row: PlanRow
    device: FoundDevice | None
    items: tuple[CheckItem, ...]

    @property
    def done(self) -> bool:
        """Every item done."""
        return all(item.done for item in self.items)

    @property
    def open_items(self) -> tuple[CheckItem, ...]:
        """The items still to do."""
        return tuple(item for item in self.items if not item.done)

    @property
    def summary(self) -> str:
        """"done", or "3 of 6" items done."""
        if self.done:
            return "done"
        return f"{len(self.items) - len(self.open_items)} of {len(self.items)}"


def checklist_for(
    row: PlanRow,
    device: FoundDevice | None,
    capabilities: frozenset[Capability],
    oldest_first: Sequence[HistoryEntry],
    acceptance: Sequence[AcceptanceTest] = (),
) -> DeviceChecklist:
    """The checklist of one planned device: items its capabilities and plan call for, ticked from history;
    the acceptance item is done when every test its vendor declares (`acceptance`) passed."""
    items = [CheckItem(Check.FOUND, device is not None, _found_words(device))]
    if device is None:
        return DeviceChecklist(row, None, (*items, *_open_without_device(row)))
    if Capability.LOG_IN in capabilities:
        items.append(_certificate(oldest_first))
    if Capability.SET_FIRST_PASSWORD in capabilities:
        items.append(_latest(Check.PASSWORD, oldest_first, (evidence.FACTORY_PASSWORD_CHANGED,),
                             evidence.SUCCESS_RESULTS))
    if row.firmware:
        items.append(_firmware(row, device, oldest_first))
    items.append(_configured(oldest_first))
    if acceptance:
        items.append(_acceptance(acceptance, oldest_first))
    return DeviceChecklist(row, device, tuple(items))


def _acceptance(tests: Sequence[AcceptanceTest], oldest_first: Sequence[HistoryEntry]) -> CheckItem:
    """Done when each test's newest evidence passed; the evidence names every test ("door test: passed
    2026-12-05 10:02; test call: not yet")."""
    results = [(test, _test_result(test, oldest_first)) for test in tests]
    words = "; ".join(f"{test.name}: {item.evidence or 'not yet'}" for test, item in results)
    return CheckItem(Check.ACCEPTANCE, all(item.done for _, item in results), words)


def _test_result(test: AcceptanceTest, oldest_first: Sequence[HistoryEntry]) -> CheckItem:
    if not test.result_key:
        return _latest(Check.ACCEPTANCE, oldest_first, test.actions, test.passing)
    for entry in reversed(oldest_first):
        if entry.action.startswith(test.actions) and test.result_key in entry.detail:
            value = str(entry.detail[test.result_key])
            return CheckItem(Check.ACCEPTANCE, value in test.passing, f"{value} {entry.at:%Y-%m-%d %H:%M}")
    return CheckItem(Check.ACCEPTANCE, False)


def _found_words(device: FoundDevice | None) -> str:
    if device is None:
        return "not found on the network"
    return f"found at {device.address}" if device.address else "found"


def _open_without_device(row: PlanRow) -> list[CheckItem]:
    items = [CheckItem(Check.FIRMWARE, False)] if row.firmware else []
    return [*items, CheckItem(Check.CONFIGURED, False), CheckItem(Check.ACCEPTANCE, False)]


def _latest(
    check: Check, oldest_first: Sequence[HistoryEntry], prefixes: tuple[str, ...], passing: frozenset[str]
) -> CheckItem:
    """Done when the newest entry of the named actions passed (a later failure reopens the item)."""
    for entry in reversed(oldest_first):
        if entry.action.startswith(prefixes) and entry.result != "started":
            return CheckItem(check, entry.result in passing, f"{entry.result} {entry.at:%Y-%m-%d %H:%M}")
    return CheckItem(check, False)


def _certificate(oldest_first: Sequence[HistoryEntry]) -> CheckItem:
    for entry in reversed(oldest_first):
        if entry.action == evidence.CERTIFICATE_ACTION:
            trusted = entry.result in evidence.CERTIFICATE_TRUSTED_RESULTS
            return CheckItem(Check.CERTIFICATE, trusted, entry.result)
    return CheckItem(Check.CERTIFICATE, False)


def running_firmware(device: FoundDevice, oldest_first: Sequence[HistoryEntry]) -> str:
    """The firmware a device runs: the last update's version read back, else the version it was found with."""
    for entry in reversed(oldest_first):
        if entry.action == evidence.FIRMWARE_UPDATED and entry.result == "done":
            return str(entry.detail.get("to", device.firmware))
    return device.firmware


def _firmware(row: PlanRow, device: FoundDevice, oldest_first: Sequence[HistoryEntry]) -> CheckItem:
    running = running_firmware(device, oldest_first)
    at_target = _version_key(running) >= _version_key(row.firmware) if running else False
    return CheckItem(Check.FIRMWARE, at_target, f"runs {running or 'unknown'}, target {row.firmware}")


def _version_key(version: str) -> tuple[int, ...]:
    """A version compared part by part ("7.20A.200.014" -> (7, 20, 200, 14)); letters are ignored."""
    parts = []
    for part in version.replace("-", ".").split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def _configured(oldest_first: Sequence[HistoryEntry]) -> CheckItem:
    done = [
        entry.action
        for entry in oldest_first
        if entry.result in evidence.SUCCESS_RESULTS and not entry.action.startswith(_NOT_CONFIGURATION)
    ]
    distinct = list(dict.fromkeys(done))
    return CheckItem(Check.CONFIGURED, bool(distinct), ", ".join(distinct[-4:]))


@dataclass(frozen=True, slots=True)
class VisitProgress:
    """The visit at a glance."""

    done: int
    total: int

    @property
    def words(self) -> str:
        """"31 of 40 done"."""
        return f"{self.done} of {self.total} done"


def visit_progress(checklists: Sequence[DeviceChecklist]) -> VisitProgress:
    """How many planned devices have every item done."""
    return VisitProgress(sum(1 for c in checklists if c.done), len(checklists))
