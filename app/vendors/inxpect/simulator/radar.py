"""The simulated radar's signal chain: frames from the scene, alarms from the configuration, the event log."""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Final

from app.vendors.inxpect.models import SensorConfiguration, sensitivity_percent
from app.vendors.inxpect.simulator.scene import NOMINAL_COEFFICIENT, RadarScene, SceneTarget

EVENT_CLOSE_AFTER_S: Final = 180.0  # §3.17: an event closes after 3 minutes with the alarm off
MAX_EVENTS: Final = 50
MAX_FRAMES_PER_CATCH_UP: Final = 4000  # after a long clock jump, sample the gap instead of every frame
TAMPER_ANGLE_DEG: Final = 8
TAMPER_MOVED_MODE: Final = 2


@dataclass(slots=True)
class Frame:
    """A processed frame: index, when it was acquired (device seconds), targets as reported."""

    index: int
    time: float
    targets: list[dict[str, int]]


@dataclass(slots=True)
class Event:
    """An alarm event being recorded or closed (§3.17)."""

    type: int
    cause: int
    start: float
    last_on: float
    distances: list[int] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    samples: list[dict[str, int]] = field(default_factory=list)

    def to_raw(self, now: float) -> dict[str, Any]:
        """The event as /eventLog lists it; presence fields only for target events."""
        body: dict[str, Any] = {
            "type": self.type,
            "elapsedTime": int(now - self.start),
            "duration": int(self.last_on - self.start),
            "cause": self.cause,
        }
        if self.type == 1 and self.distances:
            body |= {
                "minDistance": min(self.distances),
                "maxDistance": max(self.distances),
                "minRcs": min(self.sizes),
                "maxRcs": max(self.sizes),
                "targets": list(self.samples),
            }
        return body


@dataclass(slots=True)
class Calibration:
    """Echoes collected between calibration start and stop, and the outcome once stopped."""

    started_at: float
    frames: int = 0
    crowded_frames: int = 0
    reflectivities: list[float] = field(default_factory=list)
    distances: list[int] = field(default_factory=list)
    result: int | None = None
    value: int = 0
    mse: int = 0
    peaks: list[int] = field(default_factory=list)


class RadarEngine:
    """Advances frame by frame up to the clock's present, keeping what the status endpoints report."""

    def __init__(self, scene: RadarScene, boot_time: float) -> None:
        self.scene = scene
        self.boot_time = boot_time
        self.processed = -1
        self.last_detection: Frame = Frame(0, boot_time, [])
        self.last_alarm: Frame = Frame(0, boot_time, [])
        self.alarm_list: list[dict[str, Any]] = []
        self.events: deque[Event] = deque(maxlen=MAX_EVENTS)
        self.calibration: Calibration | None = None
        self.faults: set[int] = set()
        self.masked = False
        self.position = (-15, 0)
        self.reference_position = (-15, 0)

    def frame_at(self, now: float) -> int:
        """Index of the frame being acquired at device time `now`."""
        return max(int((now - self.boot_time) * self.scene.fps + 1e-6), 0)

    def advance(self, now: float, config: SensorConfiguration) -> None:
        """Process every frame acquired since the last call (sampled after a long jump)."""
        current = self.frame_at(now)
        gap = current - self.processed
        if gap <= 0:
            return
        step = max(1, gap // MAX_FRAMES_PER_CATCH_UP)
        threshold = _alarm_threshold(config)
        scale = config.calibration_coefficient / NOMINAL_COEFFICIENT
        for index in range(current - (gap - 1) // step * step, current + 1, step):
            self._process(index, self.boot_time + index / self.scene.fps, config, threshold, scale)
        self.processed = current

    def _process(
        self, index: int, time: float, config: SensorConfiguration, threshold: float, scale: float
    ) -> None:
        echoes = self.scene.targets(index)
        reported = [
            {"distance": e.distance, "rcs": round(e.reflectivity * scale), "id": e.id} for e in echoes
        ]
        if reported:
            self.last_detection = Frame(index, time, reported)
        if self.calibration is not None and self.calibration.result is None:
            self._collect(echoes)
        alarms = self._alarms(reported, config, threshold)
        if alarms:
            self.last_alarm = Frame(index, time, [])
            self.alarm_list = alarms
        self._record_events(alarms, time)

    def _alarms(
        self, reported: list[dict[str, int]], config: SensorConfiguration, threshold: float
    ) -> list[dict[str, Any]]:
        alarms: list[dict[str, Any]] = []
        for target in reported:
            if target["rcs"] < threshold:
                continue
            if target["distance"] <= config.alarm_distance:
                alarms.append({"type": 1, "cause": 4, "target": _alarm_target(target)})
            elif target["distance"] <= config.pre_alarm_distance:
                alarms.append({"type": 1, "cause": 2, "target": _alarm_target(target)})
        if config.anti_tamper_mode == TAMPER_MOVED_MODE and self.is_moved():
            alarms.append({"type": 3, "cause": 2})
        if self.masked and config.anti_masking_mode != 1:
            alarms.append({"type": 3, "cause": 3})
        alarms.extend({"type": 2, "cause": code} for code in sorted(self.faults))
        return alarms

    def is_moved(self) -> bool:
        """Whether the sensor's position has changed beyond the tamper tolerance since it was set."""
        (e, r), (re, rr) = self.position, self.reference_position
        return abs(e - re) > TAMPER_ANGLE_DEG or abs(r - rr) > TAMPER_ANGLE_DEG

    def _record_events(self, alarms: list[dict[str, Any]], time: float) -> None:
        latest = self.events[-1] if self.events else None
        open_event = latest if latest is not None and time - latest.last_on < EVENT_CLOSE_AFTER_S else None
        if not alarms:
            return
        first = alarms[0]
        if open_event is None or open_event.type != first["type"]:
            open_event = Event(first["type"], first["cause"], time, time)
            self.events.append(open_event)
        open_event.last_on = time
        target = first.get("target")
        if target is not None:
            open_event.distances.append(target["distance"])
            open_event.sizes.append(target["rcs"])
            if len(open_event.samples) < 20 and len(open_event.distances) % 10 == 1:
                open_event.samples.append(dict(target))
            del open_event.distances[:-500], open_event.sizes[:-500]

    def _collect(self, echoes: tuple[SceneTarget, ...]) -> None:
        calibration = self.calibration
        assert calibration is not None
        calibration.frames += 1
        if len(echoes) > 1:
            calibration.crowded_frames += 1
        if echoes:
            strongest = max(echoes, key=lambda e: e.reflectivity)
            calibration.reflectivities.append(strongest.reflectivity)
            calibration.distances.append(strongest.distance)

    def start_calibration(self, now: float) -> None:
        """Begin collecting echoes for a calibration."""
        self.calibration = Calibration(started_at=now)

    def stop_calibration(self) -> int:
        """Finish the calibration: 0 good, 223 poor, 221 nothing seen, 222 object not walked far enough."""
        calibration = self.calibration
        assert calibration is not None
        seen = calibration.reflectivities
        if len(seen) < max(10, calibration.frames // 4):
            code = 221
        elif max(calibration.distances) - min(calibration.distances) < 3000:
            code = 222
        else:
            median = statistics.median(seen)
            spread = statistics.pstdev(seen) / median
            calibration.value = min(max(round(NOMINAL_COEFFICIENT * 1200 / median), 300), 50000)
            calibration.mse = round(spread * 1000)
            calibration.peaks = [round(r) for r in seen[:: max(1, len(seen) // 32)]][:32]
            crowded = calibration.crowded_frames / max(calibration.frames, 1)
            code = 223 if crowded > 0.05 or spread > 0.3 else 0
        calibration.result = code
        return code


def _alarm_threshold(config: SensorConfiguration) -> float:
    """The rcs above which a target alarms: 75 % means the calibration object's size (§3.3)."""
    return 1000 * sensitivity_percent(config.alarm_sensitivity) / 75


def _alarm_target(target: dict[str, int]) -> dict[str, int]:
    return {"distance": target["distance"], "rcs": target["rcs"]}
