"""A cloud device's state as the visit's evidence: what the report shows of it and what accepts it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.backend import evidence
from app.vendors.hikvision.models import CloudDevice, DeliveryStatus, OnlineStatus, Site

#: record(key, action, result, detail): DeviceHistory.record or a test double.
Record = Callable[[str, str, str, Mapping[str, Any]], object]

_HANDOVER_WORDS = {
    DeliveryStatus.HANDED_OVER: evidence.HANDOVER_ACCEPTED,
    DeliveryStatus.HANDOVER_IN_PROGRESS: "waiting for the customer",
    DeliveryStatus.NOT_HANDED_OVER: "not handed over",
    DeliveryStatus.UNKNOWN: "unknown",
}


def device_state(device: CloudDevice, site: Site) -> tuple[str, dict[str, str]]:
    """The CLOUD_DEVICE_STATE entry's result ("online", "offline", "unknown") and detail for `device`."""
    result = {OnlineStatus.ONLINE: "online", OnlineStatus.OFFLINE: "offline"}.get(device.online, "unknown")
    detail = {"model": device.model, "name": device.name, "firmware": device.firmware,
              "site": site.name, "handover": _HANDOVER_WORDS[site.delivery]}
    return result, detail


class DeviceStateRecorder:
    """Records each cloud device's state when it differs from the last one recorded (polls repeat it)."""

    def __init__(self, record: Record) -> None:
        self._record = record
        self._last: dict[str, tuple[str, dict[str, str]]] = {}

    def observe(self, site: Site, devices: Sequence[CloudDevice]) -> int:
        """Record the devices whose state changed; returns how many were recorded."""
        recorded = 0
        for device in devices:
            state = device_state(device, site)
            if self._last.get(device.serial) != state:
                self._last[device.serial] = state
                self._record(f"hikvision:{device.serial}", evidence.CLOUD_DEVICE_STATE, *state)
                recorded += 1
        return recorded
