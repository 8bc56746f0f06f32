"""MSK-101-POE live data and codes: detections, alarms, event log, calibration (§3.1, §3.2, §3.6, §3.17)."""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from app.core.decoding import as_list, as_object, enum_or_unknown, integer, warn_unknown_once

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Target:
    """One tracked target: id (may change when lost), distance in mm, rcs (≈1000 = calibration object)."""

    id: int
    distance: int
    rcs: int

    @classmethod
    def decode(cls, raw: Any) -> Target:
        """Validate and convert one target object (`id` is absent in alarm targets; then -1)."""
        body = as_object(raw, "target")
        return cls(
            integer(body, "id", "target", default=-1, truncate=True),
            integer(body, "distance", "target", truncate=True),
            integer(body, "rcs", "target", truncate=True),
        )


def _frame_counters(body: Mapping[str, Any], what: str) -> tuple[int, int, int]:
    """`fps`, `acqIdx` (frame counter) and `elapsedTime` (ms) of a detection or alarm status body."""
    # Assumed: §3.1/§3.2 give no unit for elapsedTime; milliseconds (§3.17's event log uses seconds).
    keys = ("fps", "acqIdx", "elapsedTime")
    fps, index, elapsed = (integer(body, key, what, truncate=True) for key in keys)
    return fps, index, elapsed


@dataclass(frozen=True, slots=True)
class DetectionFrame:
    """GET /detectionStatus: the latest frame with targets; `acq_idx` counts frames, `elapsed_time` in ms."""

    fps: int
    acq_idx: int
    elapsed_time: int
    targets: tuple[Target, ...]

    @classmethod
    def decode(cls, raw: Any) -> DetectionFrame:
        """Validate and convert the body (the document's `acqIdx` field is the frame counter)."""
        body = as_object(raw, "detection status")
        what = "detection status"
        targets = tuple(Target.decode(t) for t in as_list(body.get("targets", []), "target list"))
        return cls(*_frame_counters(body, what), targets)


class AlarmType(enum.IntEnum):
    """Alarm `type` (§3.2): a detected target, a fault, or tampering."""

    TARGET = 1
    FAULT = 2
    TAMPER = 3
    UNKNOWN = 0

    @classmethod
    def from_device(cls, value: int) -> AlarmType:
        """Map a device value; undocumented values become UNKNOWN and are logged once."""
        return enum_or_unknown(cls, value, cls.UNKNOWN, log, source="MSK-101-POE")


TARGET_CAUSES: Final = {4: "target in the alarm area", 2: "target in the pre-alarm area"}
TAMPER_CAUSES: Final = {2: "the sensor has been moved", 3: "the sensor has been masked (covered)"}
FAULT_CAUSES: Final = {
    100: "input voltage out of range (check the PoE supply)",
    101: "detection error",
    102: "security error",
    103: "radar head hardware fault",
    104: "masking fault",
    105: "motion detector not responding",
    106: "masking detection not ready",
    107: "corrupted storage",
    1001: "communication fault between radar head and network board",
}
ALARM_AREA_CAUSE: Final = 4
PRE_ALARM_AREA_CAUSE: Final = 2


def describe_alarm(alarm_type: AlarmType, cause: int) -> str:
    """A technician's sentence for an alarm's type and cause code (§3.2)."""
    table = {AlarmType.TARGET: TARGET_CAUSES, AlarmType.TAMPER: TAMPER_CAUSES, AlarmType.FAULT: FAULT_CAUSES}
    heading = {AlarmType.TARGET: "Intrusion", AlarmType.TAMPER: "Tamper", AlarmType.FAULT: "Fault"}
    if alarm_type is AlarmType.UNKNOWN:
        return f"Unknown alarm (cause {cause})"
    words = table[alarm_type].get(cause)
    if words is None:
        warn_unknown_once(log, f"{alarm_type.name.lower()} cause", cause, source="MSK-101-POE")
        words = f"cause code {cause} (not in the vendor document)"
    return f"{heading[alarm_type]}: {words}"


@dataclass(frozen=True, slots=True)
class Alarm:
    """One alarm: type, cause code and, for target alarms, the target that caused it."""

    type: AlarmType
    cause: int
    target: Target | None = None

    @classmethod
    def decode(cls, raw: Any) -> Alarm:
        """Validate and convert one alarm object."""
        body = as_object(raw, "alarm")
        # Assumed: §3.2 calls `target` an array but shows one {distance, rcs} object: an object is read.
        target_raw = body.get("target")
        return cls(
            AlarmType.from_device(integer(body, "type", "alarm", truncate=True)),
            integer(body, "cause", "alarm", truncate=True),
            Target.decode(target_raw) if isinstance(target_raw, dict) else None,
        )

    @property
    def description(self) -> str:
        """The alarm in words, with the target's distance and size when there is one."""
        text = describe_alarm(self.type, self.cause)
        if self.target is not None:
            text += f" at {self.target.distance / 1000:.1f} m (size {self.target.rcs})"
        return text


@dataclass(frozen=True, slots=True)
class AlarmStatus:
    """GET /alarmStatus: latest alarms, frame counter and ms since they were raised."""

    fps: int
    acq_idx: int
    elapsed_time: int
    alarms: tuple[Alarm, ...]

    @classmethod
    def decode(cls, raw: Any) -> AlarmStatus:
        """Validate and convert the body."""
        body = as_object(raw, "alarm status")
        what = "alarm status"
        alarms = tuple(Alarm.decode(a) for a in as_list(body.get("alarms", []), "alarm list"))
        return cls(*_frame_counters(body, what), alarms)


@dataclass(frozen=True, slots=True)
class AlarmEvent:
    """One /eventLog entry; distances in mm, times in seconds; presence fields only for target events."""

    type: AlarmType
    cause: int
    elapsed_time: int
    duration: int
    min_distance: int | None = None
    max_distance: int | None = None
    min_rcs: int | None = None
    max_rcs: int | None = None
    targets: tuple[Target, ...] = ()

    @classmethod
    def decode(cls, raw: Any) -> AlarmEvent:
        """Validate and convert one event."""
        body = as_object(raw, "event")
        what = "event"
        optional = {
            k: (integer(body, k, what, truncate=True) if k in body else None)
            for k in ("minDistance", "maxDistance", "minRcs", "maxRcs")
        }
        return cls(
            AlarmType.from_device(integer(body, "type", what, truncate=True)),
            integer(body, "cause", what, default=0, truncate=True),
            integer(body, "elapsedTime", what, truncate=True),
            integer(body, "duration", what, truncate=True),
            optional["minDistance"],
            optional["maxDistance"],
            optional["minRcs"],
            optional["maxRcs"],
            tuple(Target.decode(t) for t in as_list(body.get("targets", []), "event targets")),
        )

    @property
    def description(self) -> str:
        """The event in words, with the distance range of presence events."""
        text = describe_alarm(self.type, self.cause)
        if self.min_distance is not None and self.max_distance is not None:
            text += f", {self.min_distance / 1000:.1f}-{self.max_distance / 1000:.1f} m"
        return text


def decode_event_log(raw: Any) -> tuple[AlarmEvent, ...]:
    """Validate and convert GET /eventLog."""
    return tuple(AlarmEvent.decode(e) for e in as_list(as_object(raw, "event log").get("events"), "events"))


class CalibrationOperation(enum.IntEnum):
    """PUT /calibrationStatus `operation` (§3.6)."""

    STOP = 0
    START_STANDARD = 1
    START_ZONE_BASED = 2
    SAVE = 3


class CalibrationQuality(enum.Enum):
    """What a calibration stop code means (§3.6.2)."""

    GOOD = "good"
    POOR = "poor"
    FAILED = "failed"


CALIBRATION_POOR_CODE: Final = 223


@dataclass(frozen=True, slots=True)
class CalibrationResult:
    """The stop code of a calibration, and what it means for the technician."""

    code: int

    @property
    def quality(self) -> CalibrationQuality:
        """0 good, 223 usable but poor, anything else failed."""
        if self.code == 0:
            return CalibrationQuality.GOOD
        if self.code == CALIBRATION_POOR_CODE:
            return CalibrationQuality.POOR
        return CalibrationQuality.FAILED

    @property
    def can_save(self) -> bool:
        """Whether the data may be saved on the sensor (good or poor)."""
        return self.quality is not CalibrationQuality.FAILED

    @property
    def explanation(self) -> str:
        """A technician's explanation of the result and what to do next."""
        if self.quality is CalibrationQuality.GOOD:
            return "Calibration succeeded. Save it to apply the new coefficient."
        if self.quality is CalibrationQuality.POOR:
            return (
                "Calibration data is usable but poor (code 223): the object was seen, but not clearly. "
                "You may save it, or calibrate again with a static scene, walking the object slowly "
                "through the whole area."
            )
        return (
            f"Calibration failed (code {self.code}); the data cannot be saved. Check that nothing else "
            "moves in the area and that the calibration object is walked through it, then try again."
        )


@dataclass(frozen=True, slots=True)
class CalibrationData:
    """GET /calibrationData: the last calibration's coefficient and mse (lost at reboot), raw peaks."""

    version: int
    value: int
    mse: int
    peaks: tuple[int, ...]

    @classmethod
    def decode(cls, raw: Any) -> CalibrationData:
        """Validate and convert the body."""
        body = as_object(raw, "calibration data")
        what = "calibration data"
        peaks = tuple(int(p) for p in as_list(body.get("peaks", []), "peaks") if isinstance(p, int | float))
        version, value, mse = (integer(body, key, what, truncate=True) for key in ("version", "value", "mse"))
        return cls(version, value, mse, peaks)
