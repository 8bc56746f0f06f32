"""The visit's state at a moment: plan matched to the devices found, each planned device's checklist
from its capabilities and history, and the progress (Qt-free)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from app.backend import evidence
from app.backend.history import DeviceHistory, HistoryEntry, without_settled_starts
from app.discovery.inventory import DeviceEntry
from app.site.checklist import DeviceChecklist, VisitProgress, checklist_for, visit_progress
from app.site.plan import PlanRow
from app.site.plan_match import FoundDevice, VisitMatching, match_plan
from app.vendors.base import AcceptanceTest, Capability, acceptance_tests_of, capabilities_of
from app.vendors.registry import find_plugin, is_cloud_service, short_name

#: History entries read per device (the newest).
ENTRIES_PER_DEVICE = 500


@dataclass(frozen=True, slots=True)
class VisitState:
    """Matching, checklists in plan order, progress, and each device's history (oldest first)."""

    matching: VisitMatching
    checklists: tuple[DeviceChecklist, ...]
    progress: VisitProgress
    timelines: dict[str, list[HistoryEntry]]


def device_capabilities(vendor: str) -> frozenset[Capability]:
    """What a device of `vendor` on the site's network can do; a cloud's devices have none of their own."""
    plugin = find_plugin(vendor)
    if plugin is None or is_cloud_service(vendor):
        return frozenset()
    return capabilities_of(plugin.client_type)


def acceptance_tests(vendor: str) -> tuple[AcceptanceTest, ...]:
    """The acceptance tests `vendor`'s plugin declares for its devices (none for an unknown vendor)."""
    plugin = find_plugin(vendor)
    return acceptance_tests_of(plugin) if plugin is not None else ()


def timeline(history: DeviceHistory, key: str) -> list[HistoryEntry]:
    """A device's entries oldest first, without the "started" entries their outcome settles."""
    return without_settled_starts(list(reversed(history.entries(key, ENTRIES_PER_DEVICE))))


def found_device(entry: DeviceEntry) -> FoundDevice:
    """A row of the device list as matching and the report see it."""
    identity = entry.candidate.identity
    return FoundDevice(entry.key, identity.vendor, identity.model, identity.serial, identity.mac,
                       entry.candidate.endpoint.base_url, identity.firmware, identity.name)


def matchable_devices(entries: Sequence[DeviceEntry]) -> list[FoundDevice]:
    """The device list's rows a plan can be matched to now, before any login: those a probe identified
    (by the serial or MAC it read without credentials, else by their address), and those whose discovery
    record already names a serial or MAC. A login that reveals more re-keys the row, and the next match
    uses it."""
    return [found_device(entry) for entry in entries if entry.identified or entry.candidate.identity.key]


def history_only_devices(keys: Sequence[str], listed: Sequence[FoundDevice]) -> list[FoundDevice]:
    """Devices known only from their history key ("vendor:serial", such as a cloud's devices)."""
    seen = {device.key for device in listed}
    pairs = [(key, *key.split(":", 1)) for key in keys if key not in seen and ":" in key]
    return [FoundDevice(key, vendor, serial=serial) for key, vendor, serial in pairs]


def with_recorded_state(device: FoundDevice, oldest_first: Sequence[HistoryEntry]) -> FoundDevice:
    """A device only the history knows (a cloud's), with the model, name and firmware its newest state
    entry records filled in where they are missing."""
    for entry in reversed(oldest_first):
        if entry.action == evidence.CLOUD_DEVICE_STATE:
            said = {name: str(entry.detail.get(name) or "") for name in ("model", "name", "firmware")}
            return replace(device, model=device.model or said["model"], name=device.name or said["name"],
                           firmware=device.firmware or said["firmware"])
    return device


def rows_from_devices(devices: Sequence[FoundDevice]) -> tuple[PlanRow, ...]:
    """Plan rows for a visit without a plan: each device planned as found (so the report lists it)."""
    return tuple(
        PlanRow(0, device.name or f"{device.model or short_name(device.vendor)} {device.serial}".strip(),
                vendor=device.vendor, model=device.model, serial=device.serial, mac=device.mac)
        for device in devices
        if device.serial or device.mac
    )


def visit_state(
    rows: Sequence[PlanRow],
    devices: Sequence[FoundDevice],
    history: DeviceHistory,
    worked_on: Sequence[FoundDevice] = (),
) -> VisitState:
    """Match `rows` to `devices` and to those only `worked_on` (never listed as unplanned), and derive every
    planned device's checklist from its history."""
    timelines = {device.key: timeline(history, device.key) for device in [*devices, *worked_on]}
    worked_on = [with_recorded_state(device, timelines[device.key]) for device in worked_on]
    matching = match_plan(rows, [*devices, *worked_on])
    listed = {device.key for device in devices}
    matching = VisitMatching(matching.planned, tuple(d for d in matching.unplanned if d.key in listed))
    checklists = tuple(
        checklist_for(
            match.row,
            match.device,
            device_capabilities(match.device.vendor) if match.device else frozenset(),
            timelines.get(match.device.key, []) if match.device else [],
            acceptance_tests(match.device.vendor) if match.device else (),
        )
        for match in matching.planned
    )
    return VisitState(matching, checklists, visit_progress(checklists), timelines)
