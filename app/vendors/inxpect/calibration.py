"""The calibration wizard's Qt-free controller: preconditions, start, stop, save, walk test (§3.6, §3.7)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.live import (
    ALARM_AREA_CAUSE,
    AlarmType,
    CalibrationData,
    CalibrationResult,
    DetectionFrame,
)
from app.vendors.inxpect.models import SensorConfiguration

#: A frame older than this means nothing has moved recently: the scene is static.
STATIC_AFTER_MS: Final = 1500
#: How far (relative) the walk-test alarm may be from the configured alarm distance and still pass.
WALK_TEST_TOLERANCE: Final = 0.15


class CalibrationStep(enum.Enum):
    """Where the wizard is."""

    PRECONDITIONS = "preconditions"
    RUNNING = "calibrating"
    STOPPED = "result"
    SAVED = "saved"
    WALK_TEST = "walk test"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class PreconditionCheck:
    """Whether the area is quiet enough to calibrate, and why not."""

    static: bool
    message: str


@dataclass(frozen=True, slots=True)
class WalkTestResult:
    """Where the walk test raised its alarm against where it should."""

    alarm_at_mm: int
    configured_mm: int

    @property
    def passed(self) -> bool:
        """Whether the alarm came within tolerance of the configured alarm distance."""
        return abs(self.alarm_at_mm - self.configured_mm) <= WALK_TEST_TOLERANCE * self.configured_mm

    @property
    def message(self) -> str:
        """The outcome in words."""
        verdict = "as configured" if self.passed else "NOT where it is configured: check the settings"
        return (
            f"Alarm raised at {self.alarm_at_mm / 1000:.1f} m; the alarm area ends at "
            f"{self.configured_mm / 1000:.1f} m — {verdict}."
        )


class CalibrationController:
    """Drives one calibration; each `validate_<step>` talks to the sensor and moves the step on."""

    def __init__(self, client: InxpectClient) -> None:
        self.client = client
        self.step = CalibrationStep.PRECONDITIONS
        self.result: CalibrationResult | None = None
        self.data: CalibrationData | None = None
        self.saved_coefficient: int | None = None
        self.walk_test: WalkTestResult | None = None
        self._alarm_distance = 0
        self.configuration: SensorConfiguration | None = None
        self.zone_based = False
        self._outside_seen = False
        self._last_alarm_idx = -1

    async def validate_preconditions(self) -> PreconditionCheck:
        """Check the scene is static (no target detected in the last moments) before calibrating."""
        frame = await self.client.read_detections()
        return check_static(frame)

    async def validate_start(self, *, zone_based: bool = False) -> None:
        """Start a standard (operation 1) or zone-based (operation 2) calibration (§3.6); the technician
        then walks the calibration object."""
        await self.client.start_calibration(zone_based=zone_based)
        self.zone_based = zone_based
        self.result, self.data, self.step = None, None, CalibrationStep.RUNNING

    async def validate_stop(self) -> CalibrationResult:
        """Stop; keep the result and, when usable, the computed coefficient and mse."""
        self.result = await self.client.stop_calibration()
        self.data = await self.client.read_calibration_data() if self.result.can_save else None
        self.step = CalibrationStep.STOPPED
        return self.result

    def abandon(self) -> bool:
        """Give up a running calibration; True when the sensor must be told to stop (`validate_abandon`)."""
        if self.step is not CalibrationStep.RUNNING:
            return False
        self.step = CalibrationStep.PRECONDITIONS
        return True

    async def validate_abandon(self) -> CalibrationResult:
        """Stop the abandoned calibration on the sensor (operation 0, §3.6); nothing is saved."""
        result = await self.client.stop_calibration()
        self.result, self.data = None, None
        return result

    def retry(self) -> None:
        """Back to the preconditions after a failed or poor calibration."""
        self.result, self.data, self.step = None, None, CalibrationStep.PRECONDITIONS

    async def validate_save(self) -> int:
        """Save the calibration and read the stored coefficient back."""
        if self.result is None or not self.result.can_save:
            raise RuntimeError("only a good or poor calibration can be saved")
        await self.client.save_calibration()
        configuration = await self.client.read_configuration()
        self.saved_coefficient = configuration.calibration_coefficient
        self._alarm_distance = configuration.alarm_distance
        self.configuration = configuration
        alarms = await self.client.read_alarms()
        self._last_alarm_idx = alarms.acq_idx
        self.step = CalibrationStep.WALK_TEST
        return self.saved_coefficient

    async def validate_walk_test(self) -> WalkTestResult | None:
        """One look at /alarmStatus: where an alarm-area alarm starts after the target was outside it.

        The technician walks in from beyond the alarm distance; the first alarm-area alarm after a look
        that showed none marks where the area ends. Returns the latest result (None before one).
        """
        status = await self.client.read_alarms()
        fresh = status.acq_idx != self._last_alarm_idx and status.elapsed_time < STATIC_AFTER_MS
        self._last_alarm_idx = status.acq_idx
        inside = [
            alarm.target.distance
            for alarm in status.alarms
            if fresh
            and alarm.target is not None
            and alarm.type is AlarmType.TARGET
            and alarm.cause == ALARM_AREA_CAUSE
        ]
        if not inside:
            self._outside_seen = True
        elif self._outside_seen:
            self._outside_seen = False
            self.walk_test = WalkTestResult(max(inside), self._alarm_distance)
            if self.walk_test.passed:
                self.step = CalibrationStep.DONE
        return self.walk_test


def check_static(frame: DetectionFrame) -> PreconditionCheck:
    """Static when the latest detected frame is older than STATIC_AFTER_MS (or nothing was ever seen)."""
    if not frame.targets or frame.elapsed_time >= STATIC_AFTER_MS:
        return PreconditionCheck(True, "Nothing moves in the field: ready to calibrate.")
    where = ", ".join(f"{t.distance / 1000:.1f} m" for t in frame.targets[:4])
    return PreconditionCheck(
        False, f"Something is moving in the field ({where}). Clear the area and check again."
    )
