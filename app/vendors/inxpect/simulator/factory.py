"""Factory state of a simulated MSK-101-POE: configuration, network, installations, validation rules."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any, Final

from app.vendors.inxpect.models import SENSITIVITY_FLAG, ManualZone, SensorConfiguration

DEFAULT_PASSWORD: Final = "msk101poe"  # noqa: S105  the simulator's factory password (the real one is in the manual)
MIN_DISTANCE_MM: Final = 500
MAX_DISTANCE_MM: Final = 20000
MIN_ANGLE: Final = -50
MAX_ANGLE: Final = 50
SENSOR_FIRMWARE: Final = 1100
COMBOARD_FIRMWARE: Final = 1207
WEB_VERSION: Final = 1207
# Assumed: §3.9/§3.15 do not give the factory network settings; DHCP, auto IP fallback, name resolution.
FACTORY_NET: Final = 7

# errorCode values for refused settings: the document fixes only 0 = success; these are the simulator's.
VALUE_OUT_OF_RANGE: Final = 1
READ_ONLY_FIELD: Final = 2
UNKNOWN_FIELD: Final = 3

#: Supported installations (§3.8, centimetres and degrees downward); the first is the document's example.
INSTALLATIONS: Final = (
    {
        "minDistance": 250,
        "maxDistance": 1600,
        "minElevation": 12,
        "maxElevation": 18,
        "minHeight": 175,
        "maxHeight": 224,
        "orientation": 0,
    },
    {
        "minDistance": 100,
        "maxDistance": 1000,
        "minElevation": 19,
        "maxElevation": 30,
        "minHeight": 100,
        "maxHeight": 174,
        "orientation": 0,
    },
    {
        "minDistance": 300,
        "maxDistance": 2000,
        "minElevation": 5,
        "maxElevation": 11,
        "minHeight": 225,
        "maxHeight": 300,
        "orientation": 0,
    },
    {
        "minDistance": 50,
        "maxDistance": 2000,
        "minElevation": 0,
        "maxElevation": 5,
        "minHeight": 50,
        "maxHeight": 150,
        "orientation": 1,
    },
)


def factory_configuration() -> SensorConfiguration:
    """The sensor configuration after a /sensorReset."""
    return SensorConfiguration(
        alarm_distance=8000,
        pre_alarm_distance=12000,
        alarm_sensitivity=75 | SENSITIVITY_FLAG,
        mount_height=2000,
        mount_elevation=-15,
        mount_rotation=0,
        mount_azimuth=0,
        calibration_coefficient=1000,
        led_mode=0,
        channel=0,
        country="ITA",
        anti_masking_mode=0,
        anti_masking_exit_mode=0,
        anti_tamper_mode=2,
        anti_tamper_exit_mode=0,
        num_conflicting_sensors=0,
        ss_mode=0,
        ss_min_dist=1000,
        ss_max_size=1500,
        ss_num_max_zones=2,
        ss_manual_zones=(),
        configurations_count=0,
        version=3,
    )


def factory_net_settings() -> dict[str, Any]:
    """The configured network settings after a /comboardReset."""
    return {
        "netConfiguration": FACTORY_NET,
        "staticAddress": "192.168.0.50",
        "subnet": "255.255.255.0",
        "gateway": "192.168.0.1",
    }


#: Assumed: the simulator refuses values outside §3.3's typical ranges, which the document does not promise.
_RANGES: Final = {
    "alarmDistance": (MIN_DISTANCE_MM, MAX_DISTANCE_MM),
    "preAlarmDistance": (MIN_DISTANCE_MM, MAX_DISTANCE_MM),
    "mountHeight": (1000, 4000),
    "mountElevation": (-90, 90),
    "mountRotation": (-180, 180),
    "mountAzimuth": (-180, 180),
    "calibrationCoefficient": (300, 50000),
    "channel": (0, 14),
    "numConflictingSensors": (0, 50),
    "ssMinDist": (MIN_DISTANCE_MM, MAX_DISTANCE_MM),
    "ssMaxSize": (0, 20000),
    "ssNumMaxZones": (0, 10),
    "antiMaskingExitMode": (0, 10),
    "antiTamperExitMode": (0, 10),
}
_CHOICES: Final = {
    "ledMode": {0, 1},
    "antiMaskingMode": {0, 1, 2},
    "antiTamperMode": {0, 2},
    "ssMode": {0, 1, 2, 3, 4},
}


def apply_configuration(
    current: SensorConfiguration, changes: Mapping[str, Any]
) -> SensorConfiguration | int:
    """The configuration after a PUT of `changes`, or the errorCode refusing it (nothing is applied then)."""
    from app.vendors.inxpect.models import CONFIG_KEYS

    attrs = {key: attr for attr, key in CONFIG_KEYS.items()}
    if any(key in changes for key in ("configurationsCount", "version")):
        return READ_ONLY_FIELD
    if any(key not in attrs for key in changes):
        return UNKNOWN_FIELD
    values: dict[str, Any] = {}
    for key, value in changes.items():
        converted = _valid(key, value)
        if converted is None:
            return VALUE_OUT_OF_RANGE
        values[attrs[key]] = converted
    updated = current.with_changes(**values, configurations_count=current.configurations_count + 1)
    if updated.pre_alarm_distance < updated.alarm_distance:
        return VALUE_OUT_OF_RANGE
    return updated


def _valid(key: str, value: Any) -> Any:  # noqa: PLR0911  (one early answer per kind of field)
    """The stored form of one field, or None when the value is refused."""
    if key == "country":
        return value if isinstance(value, str) and len(value) == 3 and value.isalpha() else None
    if key == "ssManualZones":
        if not isinstance(value, list) or not all(isinstance(z, dict) for z in value):
            return None
        bounds = [(z.get("min"), z.get("max")) for z in value]
        if not all(_is_int(low) and _is_int(high) and 0 <= low <= high for low, high in bounds):
            return None
        return tuple(ManualZone(low, high) for low, high in bounds)
    if not _is_int(value):
        return None
    if key == "alarmSensitivity":  # a byte: percentage 0-100 | 0x80 (§3.3)
        return value if SENSITIVITY_FLAG <= value <= SENSITIVITY_FLAG + 100 else None
    if key in _CHOICES:
        return value if value in _CHOICES[key] else None
    low, high = _RANGES[key]
    return value if low <= value <= high else None


def _is_int(value: Any) -> bool:
    """Whether a JSON value is an integer (not a boolean, float or string)."""
    return isinstance(value, int) and not isinstance(value, bool)


def valid_net_settings(body: Mapping[str, Any]) -> bool:
    """Whether a /netSettings PUT is acceptable: no `cur*` field (§3.9), valid bitmask and IPv4 addresses."""
    if any(key.startswith("cur") for key in body):
        return False
    allowed = {"netConfiguration", "staticAddress", "subnet", "gateway"}
    if not set(body) <= allowed:
        return False
    flags = body.get("netConfiguration", 0)
    if not _is_int(flags) or not 0 <= flags <= 7:
        return False
    for key in ("staticAddress", "subnet", "gateway"):
        if key in body:
            try:
                ipaddress.IPv4Address(body[key])
            except (ipaddress.AddressValueError, TypeError):
                return False
    return True
