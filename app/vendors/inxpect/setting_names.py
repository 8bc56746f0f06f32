"""Names and readable values of MSK-101-POE settings, by the document's JSON keys (§3.3, §3.9, §3.11)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from app.vendors.inxpect.models import (
    ANTI_MASKING_MODES,
    ANTI_TAMPER_MODES,
    LED_MODES,
    SEMI_STATIC_MODES,
    NetFlag,
    describe_net_flags,
    sensitivity_percent,
)

#: JSON key -> (label, kind); kinds: mm, deg, percent, int, text, zones, net, or a mode table.
SETTINGS: Final[Mapping[str, tuple[str, str | Mapping[int, str]]]] = {
    "alarmDistance": ("Alarm area ends at", "mm"),
    "preAlarmDistance": ("Pre-alarm area ends at", "mm"),
    "alarmSensitivity": ("Pet tolerance", "percent"),
    "mountHeight": ("Mounting height", "mm"),
    "mountElevation": ("Mounting tilt", "deg"),
    "mountRotation": ("Mounting rotation", "deg"),
    "mountAzimuth": ("Mounting azimuth", "deg"),
    "calibrationCoefficient": ("Calibration coefficient", "int"),
    "ledMode": ("LED", LED_MODES),
    "channel": ("Radio channel", "int"),
    "country": ("Country", "text"),
    "antiMaskingMode": ("Anti-masking", ANTI_MASKING_MODES),
    "antiMaskingExitMode": ("Anti-masking exit mode", "int"),
    "antiTamperMode": ("Anti-tamper", ANTI_TAMPER_MODES),
    "antiTamperExitMode": ("Anti-tamper exit mode", "int"),
    "numConflictingSensors": ("Other sensors nearby", "int"),
    "ssMode": ("Semi-static objects", SEMI_STATIC_MODES),
    "ssMinDist": ("Semi-static minimum distance", "mm"),
    "ssMaxSize": ("Semi-static maximum size", "mm"),
    "ssNumMaxZones": ("Semi-static maximum number of objects", "int"),
    "ssManualZones": ("Semi-static manual zones", "zones"),
    "netConfiguration": ("Addressing", "net"),
    "staticAddress": ("Static address", "text"),
    "subnet": ("Subnet mask", "text"),
    "gateway": ("Gateway", "text"),
    "name": ("Network name", "text"),
}


def setting_label(key: str) -> str:
    """The setting's name for a technician (the JSON key itself for a setting the document does not list)."""
    return SETTINGS[key][0] if key in SETTINGS else key


def describe_setting(key: str, value: Any) -> str:
    """A value as a technician reads it: metres, degrees, percent, mode names, zones ("—" when absent)."""
    if value is None:
        return "—"
    kind = SETTINGS[key][1] if key in SETTINGS else "text"
    if isinstance(kind, Mapping):
        return kind.get(value, f"mode {value}") if isinstance(value, int) else str(value)
    if not isinstance(value, int) or isinstance(value, bool):
        return describe_zones(value) if kind == "zones" else str(value)
    return _describe_number(kind, value)


def _describe_number(kind: str, value: int) -> str:
    if kind == "mm":
        return f"{value / 1000:.2f} m"
    if kind == "deg":
        return f"{value}°"
    if kind == "percent":
        return f"{sensitivity_percent(value)} %"
    if kind == "net":
        return describe_net_flags(NetFlag(value & 7))
    return str(value)


def describe_zones(zones: Any) -> str:
    """Manual zones as "2.00–3.50 m, 6.00–7.00 m" ("none" for an empty list)."""
    if not isinstance(zones, list | tuple) or not zones:
        return "none"
    parts = []
    for zone in zones:
        bounds = zone if isinstance(zone, Mapping) else {"min": zone.min, "max": zone.max}
        low, high = bounds.get("min", 0), bounds.get("max", 0)
        parts.append(f"{int(low) / 1000:.2f}–{int(high) / 1000:.2f} m")
    return ", ".join(parts)
