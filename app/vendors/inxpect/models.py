"""MSK-101-POE device data: info, configuration, position, installations, network (document §3.3-§3.11)."""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final, TypedDict

from app.core.decoding import as_list, as_object, enum_or_unknown, integer, string

log = logging.getLogger(__name__)

SENSITIVITY_FLAG: Final = 0x80


class SensorInfoRaw(TypedDict):
    """The `sensorInfo` object of GET /sensorInfo (§3.5)."""

    model: int
    family: int
    fwVersion: int
    deviceId: int
    minDistance: int
    maxDistance: int
    minAngle: int
    maxAngle: int


@dataclass(frozen=True, slots=True)
class SensorInfo:
    """The radar head: model (1), family (5), firmware, id and detection limits (mm, degrees)."""

    model: int
    family: int
    fw_version: int
    device_id: int
    min_distance: int
    max_distance: int
    min_angle: int
    max_angle: int

    @classmethod
    def decode(cls, raw: Any) -> SensorInfo:
        """Validate and convert a `sensorInfo` object."""
        body = as_object(raw, "sensor information")
        what = "sensor information"
        return cls(*(integer(body, key, what, truncate=True) for key in SensorInfoRaw.__annotations__))


@dataclass(frozen=True, slots=True)
class ComBoardInfo:
    """The communication board: model (1), family (5), firmware, id, whether its pin must be changed."""

    model: int
    family: int
    fw_version: int
    device_id: int
    pin_reset_required: bool

    @classmethod
    def decode(cls, raw: Any) -> ComBoardInfo:
        """Validate and convert a `comBoardInfo` object."""
        body = as_object(raw, "com board information")
        what = "com board information"
        return cls(
            integer(body, "model", what, truncate=True),
            integer(body, "family", what, truncate=True),
            integer(body, "fwVersion", what, truncate=True),
            integer(body, "deviceId", what, truncate=True),
            bool(integer(body, "pinResetRequired", what, default=0, truncate=True)),
        )


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """GET /sensorInfo: both halves of the device."""

    sensor: SensorInfo
    comboard: ComBoardInfo

    @classmethod
    def decode(cls, raw: Any) -> DeviceInfo:
        """Validate and convert the whole /sensorInfo body."""
        body = as_object(raw, "sensor information")
        return cls(SensorInfo.decode(body.get("sensorInfo")), ComBoardInfo.decode(body.get("comBoardInfo")))


def format_version(version: int) -> str:
    """A numeric firmware version as the vendor writes it: 1209 -> "1.209" (package.json `v`, §2)."""
    return f"{version // 1000}.{version % 1000:03d}"


def sensitivity_percent(raw: int) -> int:
    """The pet-tolerance percentage of an `alarmSensitivity` byte (percentage | 0x80, §3.3)."""
    return min(raw & ~SENSITIVITY_FLAG & 0xFF, 100)


def sensitivity_raw(percent: int) -> int:
    """The `alarmSensitivity` byte for a percentage 0-100: percentage | 0x80 (§3.3)."""
    if not 0 <= percent <= 100:
        raise ValueError(f"alarm sensitivity must be 0-100 %, not {percent}")
    return percent | SENSITIVITY_FLAG


LED_MODES: Final = {0: "Normal (red alarm, blue target, blinking red pre-alarm)", 1: "Off"}
ANTI_MASKING_MODES: Final = {0: "Normal", 1: "Disabled", 2: "Aggressive (false masking in direct rain)"}
ANTI_TAMPER_MODES: Final = {0: "Disabled", 2: "Alarm when the sensor is moved"}
SEMI_STATIC_MODES: Final = {
    0: "Off",
    1: "Automatic: up to 2 objects, 1.5 m",
    2: "Automatic: up to 3 objects, 2.5 m",
    3: "Semi-automatic (number and size set here)",
    4: "Manual zones",
}


@dataclass(frozen=True, slots=True)
class ManualZone:
    """One semi-static manual zone, min and max distance in mm."""

    min: int
    max: int


#: Python attribute -> JSON key of the configuration object (§3.3.1), in document order.
CONFIG_KEYS: Final = {
    "alarm_distance": "alarmDistance",
    "pre_alarm_distance": "preAlarmDistance",
    "alarm_sensitivity": "alarmSensitivity",
    "mount_height": "mountHeight",
    "mount_elevation": "mountElevation",
    "mount_rotation": "mountRotation",
    "mount_azimuth": "mountAzimuth",
    "calibration_coefficient": "calibrationCoefficient",
    "led_mode": "ledMode",
    "channel": "channel",
    "country": "country",
    "anti_masking_mode": "antiMaskingMode",
    "anti_masking_exit_mode": "antiMaskingExitMode",
    "anti_tamper_mode": "antiTamperMode",
    "anti_tamper_exit_mode": "antiTamperExitMode",
    "num_conflicting_sensors": "numConflictingSensors",
    "ss_mode": "ssMode",
    "ss_min_dist": "ssMinDist",
    "ss_max_size": "ssMaxSize",
    "ss_num_max_zones": "ssNumMaxZones",
    "ss_manual_zones": "ssManualZones",
}
#: Read-only fields that GET returns and PUT must never carry (§3.3.1).
READ_ONLY_CONFIG_KEYS: Final = ("configurationsCount", "version")


@dataclass(frozen=True, slots=True)
class SensorConfiguration:
    """GET /sensorConfiguration; distances mm, angles degrees, `alarm_sensitivity` the raw byte."""

    alarm_distance: int
    pre_alarm_distance: int
    alarm_sensitivity: int
    mount_height: int
    mount_elevation: int
    mount_rotation: int
    mount_azimuth: int
    calibration_coefficient: int
    led_mode: int
    channel: int
    country: str
    anti_masking_mode: int
    anti_masking_exit_mode: int
    anti_tamper_mode: int
    anti_tamper_exit_mode: int
    num_conflicting_sensors: int
    ss_mode: int
    ss_min_dist: int
    ss_max_size: int
    ss_num_max_zones: int
    ss_manual_zones: tuple[ManualZone, ...] = ()
    configurations_count: int = 0
    version: int = 0

    @classmethod
    def decode(cls, raw: Any) -> SensorConfiguration:
        """Validate and convert the body of GET /sensorConfiguration (`{"configuration": {...}}`)."""
        body = as_object(as_object(raw, "configuration").get("configuration"), "configuration")
        what = "configuration"
        values: dict[str, Any] = {}
        for attr, key in CONFIG_KEYS.items():
            if key == "country":
                values[attr] = string(body, key, what, default="")
            elif key == "ssManualZones":
                zones = as_list(body.get(key, []), "manual zone list")
                values[attr] = tuple(
                    ManualZone(
                        integer(as_object(z, what), "min", what, truncate=True),
                        integer(as_object(z, what), "max", what, truncate=True),
                    )
                    for z in zones
                )
            else:
                values[attr] = integer(body, key, what, truncate=True)
        values["configurations_count"] = integer(body, "configurationsCount", what, default=0, truncate=True)
        values["version"] = integer(body, "version", what, default=0, truncate=True)
        return cls(**values)

    @property
    def sensitivity_percent(self) -> int:
        """Pet tolerance in percent (75 = alarms for targets the size of the calibration object)."""
        return sensitivity_percent(self.alarm_sensitivity)

    def with_changes(self, **changes: Any) -> SensorConfiguration:
        """A copy with attributes changed (attribute names, not JSON keys)."""
        return replace(self, **changes)

    def changes_to(self, edited: SensorConfiguration) -> dict[str, Any]:
        """The PUT body for going from self to `edited`: only changed fields, never the read-only ones."""
        changed: dict[str, Any] = {}
        for attr, key in CONFIG_KEYS.items():
            old, new = getattr(self, attr), getattr(edited, attr)
            if old != new:
                changed[key] = [{"min": z.min, "max": z.max} for z in new] if key == "ssManualZones" else new
        return changed

    def to_raw(self) -> dict[str, Any]:
        """The whole configuration as GET returns it (the simulator's answer)."""
        body: dict[str, Any] = {key: getattr(self, attr) for attr, key in CONFIG_KEYS.items()}
        body["ssManualZones"] = [{"min": z.min, "max": z.max} for z in self.ss_manual_zones]
        body["configurationsCount"] = self.configurations_count
        body["version"] = self.version
        return body


@dataclass(frozen=True, slots=True)
class SensorPosition:
    """GET /sensorPositionStatus: current pitch (negative = down) and rotation (0 volumetric, 90 barrier)."""

    elevation: int
    rotation: int

    @classmethod
    def decode(cls, raw: Any) -> SensorPosition:
        """Validate and convert the position body."""
        body = as_object(raw, "position")
        elevation, rotation = (
            integer(body, key, "position", truncate=True) for key in ("elevation", "rotation")
        )
        return cls(elevation, rotation)


class Orientation(enum.IntEnum):
    """Installation orientation (§3.8): antenna horizontal (volumetric) or vertical (barrier)."""

    HORIZONTAL = 0
    VERTICAL = 1
    UNKNOWN = -1

    @classmethod
    def from_device(cls, value: int) -> Orientation:
        """Map a device value; anything undocumented is UNKNOWN."""
        return enum_or_unknown(cls, value, cls.UNKNOWN, log, source="MSK-101-POE")

    @classmethod
    def from_rotation(cls, rotation_deg: int) -> Orientation:
        """The orientation a rotation angle means: near 90° vertical (barrier), else horizontal."""
        return cls.VERTICAL if 45 <= abs(rotation_deg) <= 135 else cls.HORIZONTAL


@dataclass(frozen=True, slots=True)
class InstallationConfiguration:
    """One supported installation (§3.8): distances and heights in cm, elevations positive downward."""

    min_distance_cm: int
    max_distance_cm: int
    min_elevation: int
    max_elevation: int
    min_height_cm: int
    max_height_cm: int
    orientation: Orientation

    @classmethod
    def decode(cls, raw: Any) -> InstallationConfiguration:
        """Validate and convert one `installations` entry."""
        body = as_object(raw, "installation")
        what = "installation"
        return cls(
            integer(body, "minDistance", what, truncate=True),
            integer(body, "maxDistance", what, truncate=True),
            integer(body, "minElevation", what, truncate=True),
            integer(body, "maxElevation", what, truncate=True),
            integer(body, "minHeight", what, truncate=True),
            integer(body, "maxHeight", what, truncate=True),
            Orientation.from_device(integer(body, "orientation", what, truncate=True)),
        )

    def fits(self, height_mm: int, elevation_deg: int, rotation_deg: int) -> bool:
        """Whether a mounting (height mm, elevation negative downward) lies inside this installation."""
        downward = -elevation_deg
        return (
            self.min_height_cm * 10 <= height_mm <= self.max_height_cm * 10
            and self.min_elevation <= downward <= self.max_elevation
            and Orientation.from_rotation(rotation_deg) == self.orientation
        )

    def describe(self) -> str:
        """One line for a technician: height, tilt, orientation, detection range."""
        kind = "volumetric" if self.orientation == Orientation.HORIZONTAL else "barrier"
        return (
            f"{kind}, height {self.min_height_cm / 100:.2f}-{self.max_height_cm / 100:.2f} m, tilted down "
            f"{self.min_elevation}-{self.max_elevation}°, detects {self.min_distance_cm / 100:.1f}-"
            f"{self.max_distance_cm / 100:.1f} m"
        )


def decode_installations(raw: Any) -> tuple[InstallationConfiguration, ...]:
    """Validate and convert GET /installationConfigurations."""
    body = as_object(raw, "installation list")
    return tuple(
        InstallationConfiguration.decode(item) for item in as_list(body.get("installations"), "installations")
    )


class NetFlag(enum.IntFlag):
    """The `netConfiguration` bitmask (§3.9): bit 0 DHCP, bit 1 name resolution, bit 2 auto IP."""

    NONE = 0
    DHCP = 1
    NAME_RESOLUTION = 2
    AUTO_IP = 4


def describe_net_flags(flags: NetFlag) -> str:
    """Words for a netConfiguration value: addressing and whether mDNS/NetBIOS names resolve."""
    if NetFlag.DHCP in flags and NetFlag.AUTO_IP in flags:
        addressing = "DHCP, falling back to auto IP"
    elif NetFlag.DHCP in flags:
        addressing = "DHCP"
    elif NetFlag.AUTO_IP in flags:
        addressing = "auto IP (169.254.x.x)"
    else:
        addressing = "static address"
    names = "name resolution on" if NetFlag.NAME_RESOLUTION in flags else "name resolution off"
    return f"{addressing}, {names}"


@dataclass(frozen=True, slots=True)
class NetSettings:
    """GET /netSettings: what is configured, and the `cur*` values actually in use."""

    net_configuration: NetFlag
    static_address: str
    subnet: str
    gateway: str
    cur_net_configuration: NetFlag = NetFlag.NONE
    cur_host_address: str = ""
    cur_subnet: str = ""
    cur_gateway: str = ""

    @classmethod
    def decode(cls, raw: Any) -> NetSettings:
        """Validate and convert the /netSettings body."""
        body = as_object(raw, "network settings")
        what = "network settings"
        return cls(
            # Every bit kept: a PUT sends them back.
            NetFlag(integer(body, "netConfiguration", what, truncate=True)),
            string(body, "staticAddress", what, default=""),
            string(body, "subnet", what, default=""),
            string(body, "gateway", what, default=""),
            NetFlag(integer(body, "curNetConfiguration", what, default=0, truncate=True) & 7),
            string(body, "curHostAddress", what, default=""),
            string(body, "curSubnet", what, default=""),
            string(body, "curGateway", what, default=""),
        )

    def with_put(self, body: Mapping[str, Any]) -> NetSettings:
        """These settings with the configured fields of a PUT body (`netConfiguration`, addresses) changed."""
        return replace(
            self,
            net_configuration=NetFlag(int(body.get("netConfiguration", self.net_configuration))),
            static_address=str(body.get("staticAddress", self.static_address)),
            subnet=str(body.get("subnet", self.subnet)),
            gateway=str(body.get("gateway", self.gateway)),
        )

    def to_put(self) -> dict[str, Any]:
        """The PUT body: configured fields only; the `cur*` fields MUST be omitted (§3.9)."""
        return {
            "netConfiguration": int(self.net_configuration),
            "staticAddress": self.static_address,
            "subnet": self.subnet,
            "gateway": self.gateway,
        }
