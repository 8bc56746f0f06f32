"""What a hand-over may share, per device category (guide §3.11, v2/site/handover/share).

Channel permissions: 0 live view, 1 playback, 2 two-way audio, 3 alarm, 4 call / open door, 5 PTZ.
Encoding devices (cameras, NVRs) offer 0,1,2,3,5; access control and video intercoms 0,1,2,3,4;
doorbells 0,1,2,3 and call (4); the Hik-ProConnect box 0,1,3,5; switches and routers nothing.
AX Pro panels take `ax2PermissionDetails` instead: 0 arm, 1 disarm / silence, 6 view logs and status,
7 zone bypass, 8 automation control, 20 device sharing. Other (first-generation) panels are "non AX
Pro" devices and take channel permissions: alarm only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.errors import InvalidParameterError
from app.vendors.hikvision.models import CloudDevice

ALARM_PANEL = 3
#: deviceSubCategory of the AX Pro family (§3.17): 3 Ax2, 4 Ax Hub, 5 Ax Hybrid, 10 Ax Hybrid Pro.
AX_PRO_SUB_CATEGORIES = frozenset({3, 4, 5, 10})

CHANNEL_PERMISSIONS = {
    0: "live view",
    1: "playback",
    2: "two-way audio",
    3: "alarm",
    4: "call / open door",
    5: "PTZ",
}
AX_PRO_PERMISSIONS = {
    0: "arm",
    1: "disarm / silence alarm",
    6: "view logs and status",
    7: "zone bypass",
    8: "automation control",
    20: "share the panel with others",
}
_BY_CATEGORY: dict[int, tuple[int, ...]] = {
    1: (0, 1, 2, 3, 5),  # IPC
    2: (0, 1, 2, 3, 5),  # NVR
    7: (0, 1, 2, 3, 5),  # IP dome
    10: (0, 1, 2, 3, 5),  # thermal camera
    4: (0, 1, 2, 3, 4),  # video intercom
    5: (0, 1, 2, 3, 4),  # access control
    8: (0, 1, 2, 3, 4),  # doorbell
    9: (0, 1, 3, 5),  # Hik-ProConnect box (storage box)
    11: (),  # switch: nothing can be shared
    ALARM_PANEL: (3,),  # a panel that is not an AX Pro
}
_AX_PRO_DEFAULT = (0, 1, 6)


def is_ax_pro(device: CloudDevice) -> bool:
    """True for an AX Pro panel (ax2PermissionDetails), false for every other device."""
    return device.category == ALARM_PANEL and device.sub_category in AX_PRO_SUB_CATEGORIES


def offered_permissions(device: CloudDevice) -> dict[int, str]:
    """The permissions the document lets this device share, by number with their words; {} for none."""
    if is_ax_pro(device):
        return dict(AX_PRO_PERMISSIONS)
    return {p: CHANNEL_PERMISSIONS[p] for p in _BY_CATEGORY.get(device.category, (3,))}


def default_permissions(device: CloudDevice) -> tuple[int, ...]:
    """What a customer usually gets: every channel permission offered; arm, disarm and status on AX Pro."""
    return _AX_PRO_DEFAULT if is_ax_pro(device) else tuple(offered_permissions(device))


@dataclass(frozen=True, slots=True)
class HandoverChoice:
    """The devices handed over and, for each, the permissions the technician chose."""

    permissions: Mapping[str, tuple[int, ...]]

    @classmethod
    def defaults(cls, devices: Sequence[CloudDevice]) -> HandoverChoice:
        """Every shareable device with its default permissions."""
        return cls({d.serial: default_permissions(d) for d in devices if offered_permissions(d)})


def share_items(devices: Sequence[CloudDevice], choice: HandoverChoice) -> list[dict[str, Any]]:
    """The userSharePermission items for the chosen devices; InvalidParameterError for a permission the
    document does not allow on that device, or when nothing is chosen."""
    by_serial = {d.serial: d for d in devices}
    items = []
    for serial, permissions in choice.permissions.items():
        device = by_serial.get(serial)
        if device is None or not permissions:
            continue
        not_allowed = sorted(set(permissions) - set(offered_permissions(device)))
        if not_allowed:
            raise InvalidParameterError(
                f"{device.name or serial} ({device.kind}) cannot share permission(s) {not_allowed}; "
                f"it offers {sorted(offered_permissions(device))}."
            )
        items.append(_item(device, tuple(sorted(permissions))))
    if not items:
        raise InvalidParameterError("Choose at least one device and one permission to hand over.")
    return items


def _item(device: CloudDevice, permissions: tuple[int, ...]) -> dict[str, Any]:
    if is_ax_pro(device):
        return {
            "deviceSerial": device.serial,
            "ax2PermissionDetails": {"ax2Permission": list(permissions), "areaPermission": ["-1"]},
        }
    return {
        "deviceSerial": device.serial,
        "otherPermissionDetails": [{"permission": p, "channelNo": ["-1"]} for p in permissions],
    }
