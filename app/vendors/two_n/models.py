"""Raw JSON shapes (TypedDicts) and decoded values of the 2N HTTP API (document §5)."""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from app.core.decoding import integer, require, warn_unknown_once
from app.core.errors import DeviceProtocolError
from app.core.models import VendorId

VENDOR_ID: Final = VendorId("two_n")

log = logging.getLogger(__name__)
def _list(raw: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
    items = raw.get(key, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise DeviceProtocolError(f"The intercom's {where} reply has a malformed {key!r} list.")
    return items


def version_tuple(version: str) -> tuple[int, ...]:
    """`major.minor.patch.build.id` as integers for comparison (non-numbers count as 0)."""
    return tuple(int(part) if part.isascii() and part.isdigit() else 0 for part in version.split("."))


@dataclass(frozen=True, slots=True)
class SystemInfo:
    """Model, serial, MAC and firmware of an intercom."""

    variant: str
    serial_number: str
    hw_version: str
    sw_version: str
    build_type: str
    device_name: str
    mac: str = ""
    firmware_package: str = ""

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> SystemInfo:
        """Validate a system/info `result`; optional keys of newer firmware default to ""."""
        return cls(
            variant=require(raw, "variant", str, "the intercom's system info reply"),
            serial_number=require(raw, "serialNumber", str, "the intercom's system info reply"),
            hw_version=str(raw.get("hwVersion", "")),
            sw_version=require(raw, "swVersion", str, "the intercom's system info reply"),
            build_type=str(raw.get("buildType", "")),
            device_name=str(raw.get("deviceName", "")),
            mac=str(raw.get("macAddr", "")),
            firmware_package=str(raw.get("firmwarePackage", "")),
        )


@dataclass(frozen=True, slots=True)
class SystemStatus:
    """Device clock (unix s) and seconds since the last restart."""

    system_time: int
    up_time: int

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> SystemStatus:
        """Validate a system/status `result`."""
        return cls(
            require(raw, "systemTime", int, "the intercom's status reply"),
            require(raw, "upTime", int, "the intercom's status reply"),
        )


@dataclass(frozen=True, slots=True)
class SystemCaps:
    """Feature name -> flags such as {"active", "licensed"} (§5.1.4)."""

    options: Mapping[str, frozenset[str]]

    def is_active(self, feature: str) -> bool:
        """True when the feature is listed with the `active` flag."""
        return "active" in self.options.get(feature, frozenset())

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> SystemCaps:
        """Parse `options` flags as comma-separated tokens (undocumented flags are kept)."""
        options = raw.get("options", {})
        if not isinstance(options, dict):
            raise DeviceProtocolError("The intercom's capability list is malformed.")
        return cls({
            name: frozenset(token.strip() for token in str(flags).split(",") if token.strip())
            for name, flags in options.items()
        })


class TimeSource(enum.Enum):
    """Where the device clock came from (§5.1.5; compared case-insensitively: the example says "My2N")."""

    RTC = "rtp"
    NTP = "ntp"
    MY2N = "my2n"
    VMS = "vms"
    BROWSER = "browser"
    GUI = "gui"
    API = "api"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: object) -> TimeSource:
        """Map a device string to a member, UNKNOWN (logged once) for anything else."""
        text = str(value).lower()
        for member in cls:
            if member.value == text:
                return member
        warn_unknown_once(log, "time source", value, source="2N intercom")
        return cls.UNKNOWN


@dataclass(frozen=True, slots=True)
class DeviceTime:
    """The device's UTC time, its source and whether it is set automatically (then a set is overwritten)."""

    utc_time: int
    source: TimeSource
    automatic: bool

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> DeviceTime:
        """Validate a system/time `result`."""
        return cls(
            require(raw, "utcTime", int, "the intercom's time reply"),
            TimeSource.parse(raw.get("source", "")),
            bool(raw.get("automatic", False)),
        )


@dataclass(frozen=True, slots=True)
class FirmwareUpload:
    """An uploaded firmware file waiting for apply or reject (§5.2.1)."""

    file_id: str
    version: str
    downgrade: bool
    note: str

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> FirmwareUpload:
        """Accept both `fileId` (example) and `fileid` (table) — the document uses both."""
        file_id = raw.get("fileId", raw.get("fileid"))
        if not isinstance(file_id, str) or not file_id:
            raise DeviceProtocolError("The intercom's firmware upload reply lacks a file id.")
        return cls(
            file_id, require(raw, "version", str, "the intercom's firmware upload reply"),
            bool(raw.get("downgrade", False)), str(raw.get("note", "")),
        )


@dataclass(frozen=True, slots=True)
class DisplayInfo:
    """One display module and its resolution in pixels (§5.9.1)."""

    display: str
    width: int
    height: int

    @classmethod
    def decode_all(cls, raw: Mapping[str, Any]) -> tuple[DisplayInfo, ...]:
        """Validate the `displays` list of display/caps."""
        displays = []
        for item in _list(raw, "displays", "display caps"):
            resolution = item.get("resolution")
            if not isinstance(resolution, dict):
                raise DeviceProtocolError("The intercom's display caps lack a resolution.")
            displays.append(cls(
                str(require(item, "display", str, "the intercom's display caps reply")),
                require(resolution, "width", int, "the intercom's display caps reply"),
                require(resolution, "height", int, "the intercom's display caps reply"),
            ))
        return tuple(displays)


class SwitchMode(enum.Enum):
    """Monostable (pulses for switchOnDuration) or bistable (toggles)."""

    MONOSTABLE = "monostable"
    BISTABLE = "bistable"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class SwitchCaps:
    """How one switch is set up; a disabled switch carries only its number (§5.4.1)."""

    switch: int
    enabled: bool
    mode: SwitchMode = SwitchMode.UNKNOWN
    switch_on_duration: int | None = None
    type: str = ""

    @classmethod
    def decode_all(cls, raw: Mapping[str, Any]) -> tuple[SwitchCaps, ...]:
        """Validate the `switches` list of switch/caps."""
        result = []
        for item in _list(raw, "switches", "switch caps"):
            mode_text = str(item.get("mode", "unknown"))
            mode = next((m for m in SwitchMode if m.value == mode_text), SwitchMode.UNKNOWN)
            if mode is SwitchMode.UNKNOWN and "mode" in item:
                warn_unknown_once(log, "switch mode", mode_text, source="2N intercom")
            duration = item.get("switchOnDuration")
            result.append(cls(
                require(item, "switch", int, "the intercom's switch caps reply"),
                bool(item.get("enabled", False)), mode,
                duration if isinstance(duration, int) else None, str(item.get("type", "")),
            ))
        return tuple(result)


@dataclass(frozen=True, slots=True)
class SwitchState:
    """Live state of one switch; `hold_timeout` only while a timed hold runs (§5.4.2)."""

    switch: int
    active: bool
    locked: bool = False
    held: bool = False
    hold_timeout: int | None = None

    @classmethod
    def decode_all(cls, raw: Mapping[str, Any]) -> tuple[SwitchState, ...]:
        """Validate the `switches` list of switch/status."""
        return tuple(
            cls(
                require(item, "switch", int, "the intercom's switch status reply"),
                bool(item.get("active", False)),
                bool(item.get("locked", False)), bool(item.get("held", False)),
                item.get("holdTimeout") if isinstance(item.get("holdTimeout"), int) else None,
            )
            for item in _list(raw, "switches", "switch status")
        )


class SwitchAction(enum.Enum):
    """Actions of /api/switch/ctrl (§5.4.3)."""

    ON = "on"
    OFF = "off"
    TRIGGER = "trigger"
    LOCK = "lock"
    UNLOCK = "unlock"
    HOLD = "hold"
    RELEASE = "release"


class IoAction(enum.Enum):
    """Actions of /api/io/ctrl (§5.5.3): `on` drives log. 1 on an output, `off` log. 0."""

    ON = "on"
    OFF = "off"


@dataclass(frozen=True, slots=True)
class IoPort:
    """A logical input or output port; `state` is 0/1 in io/status (§5.5.2), None in io/caps."""

    port: str
    type: str = ""
    state: int | None = None

    @classmethod
    def decode_all(cls, raw: Mapping[str, Any]) -> tuple[IoPort, ...]:
        """Validate the `ports` list of io/caps or io/status."""
        ports = []
        for item in _list(raw, "ports", "I/O"):
            state = item.get("state")
            ports.append(cls(
                str(require(item, "port", str, "the intercom's I/O reply")), str(item.get("type", "")),
                int(state) if isinstance(state, (int, bool)) else None,
            ))
        return tuple(ports)


@dataclass(frozen=True, slots=True)
class CameraCaps:
    """JPEG resolutions and camera sources a snapshot may ask for (§5.8.1)."""

    resolutions: tuple[tuple[int, int], ...]
    sources: tuple[str, ...]

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> CameraCaps:
        """Validate camera/caps."""
        resolutions = tuple(
            (
                require(item, "width", int, "the intercom's camera caps reply"),
                require(item, "height", int, "the intercom's camera caps reply"),
            )
            for item in _list(raw, "jpegResolution", "camera caps")
        )
        sources = tuple(str(item.get("source", "")) for item in _list(raw, "sources", "camera caps"))
        return cls(resolutions, sources)


@dataclass(frozen=True, slots=True)
class LogEvent:
    """One event from a log channel (§5.10.4); `params` as the device sent them."""

    id: int
    utc_time: int
    up_time: int
    tz_shift: int
    event: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def decode_all(cls, raw: Mapping[str, Any]) -> tuple[LogEvent, ...]:
        """Validate the `events` list of log/pull."""
        return tuple(
            cls(
                require(item, "id", int, "the intercom's event reply"),
                integer(item, "utcTime", "an event", default=0, truncate=True),
                integer(item, "upTime", "an event", default=0, truncate=True),
                integer(item, "tzShift", "an event", default=0, truncate=True),
                str(require(item, "event", str, "the intercom's event reply")),
                dict(item.get("params", {})) if isinstance(item.get("params"), dict) else {},
            )
            for item in _list(raw, "events", "log pull")
        )
