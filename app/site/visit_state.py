"""The visit's state at a moment: plan matched to the devices found, each planned device's checklist
from its capabilities and history, and the progress (Qt-free)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.backend.history import DeviceHistory, HistoryEntry, without_settled_starts
from app.discovery.inventory import DeviceEntry
from app.site.checklist import DeviceChecklist, VisitProgress, checklist_for, visit_progress
from app.site.plan import PlanRow
from app.site.plan_match import FoundDevice, VisitMatching, match_plan
from app.vendors.base import Capability, capabilities_of
from app.vendors.registry import find_plugin, is_cloud_service

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


def timeline(history: DeviceHistory, key: str) -> list[HistoryEntry]:
    """A device's entries oldest first, without the "started" entries their outcome settles."""
    return without_settled_starts(list(reversed(history.entries(key, ENTRIES_PER_DEVICE))))


def found_device(entry: DeviceEntry) -> FoundDevice:
    """A row of the device list as matching and the report see it."""
    identity = entry.candidate.identity
    return FoundDevice(entry.key, identity.vendor, identity.model, identity.serial, identity.mac,
                       entry.candidate.endpoint.base_url, identity.firmware, identity.name)


def history_only_devices(keys: Sequence[str], listed: Sequence[FoundDevice]) -> list[FoundDevice]:
    """Devices known only from their history key ("vendor:serial", such as a cloud's devices)."""
    seen = {device.key for device in listed}
    pairs = [(key, *key.split(":", 1)) for key in keys if key not in seen and ":" in key]
    return [FoundDevice(key, vendor, serial=serial) for key, vendor, serial in pairs]


def rows_from_devices(devices: Sequence[FoundDevice]) -> tuple[PlanRow, ...]:
    """Plan rows for a visit without a plan: each device planned as found (so the report lists it)."""
    return tuple(
        PlanRow(0, device.name or f"{device.model or device.vendor} {device.serial}".strip(),
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
    matching = match_plan(rows, [*devices, *worked_on])
    listed = {device.key for device in devices}
    matching = VisitMatching(matching.planned, tuple(d for d in matching.unplanned if d.key in listed))
    timelines = {device.key: timeline(history, device.key) for device in [*devices, *worked_on]}
    checklists = tuple(
        checklist_for(
            match.row,
            match.device,
            device_capabilities(match.device.vendor) if match.device else frozenset(),
            timelines.get(match.device.key, []) if match.device else [],
        )
        for match in matching.planned
    )
    return VisitState(matching, checklists, visit_progress(checklists), timelines)
