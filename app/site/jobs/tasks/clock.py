"""Time on many devices: set each clock to this computer's UTC time, then read the clock back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from app.core.clock import Clock, SystemClock
from app.core.errors import DeviceError
from app.core.progress import ProgressReporter
from app.site.jobs.model import JobKind, Verdict
from app.site.jobs.work import DeviceSession, TaskResult
from app.vendors.base import Capability, DeviceClient, SetsTime

STEPS = ("Setting the clock", "Reading the clock back")
#: Largest offset (seconds) still counted as set: request round trips and whole-second clocks.
TOLERANCE = 2.0


@runtime_checkable
class ReportsClock(Protocol):
    """A client that reads the device's clock (what confirms a time job)."""

    async def read_time(self) -> int:
        """The device's clock now, in seconds since the Unix epoch (UTC)."""
        ...


class TimeTask:
    """Sets every clock and confirms the offset the device reads back."""

    kind = JobKind.TIME
    capability = Capability.SET_TIME
    large_upload = False

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()

    def steps(self, client: DeviceClient) -> tuple[str, ...]:
        """Set, then read back."""
        return STEPS

    async def preflight(self, session: DeviceSession) -> Verdict:
        """A device that cannot report its clock cannot confirm the change."""
        if not isinstance(session.client, ReportsClock):
            return Verdict.cannot("This device cannot report its clock: a new time could not be confirmed.")
        offset = await session.client.read_time() - self._clock.now().timestamp()
        return Verdict.can(f"Clock is {offset:+.0f} s off.")

    async def run(self, session: DeviceSession, reporter: ProgressReporter) -> TaskResult:
        """Set the clock, read it back, report the offset."""
        client = session.client
        assert isinstance(client, SetsTime)
        assert isinstance(client, ReportsClock)
        reporter.stage(STEPS[0])
        await client.set_time(int(self._clock.now().timestamp()))
        reporter.stage(STEPS[1])
        offset = await client.read_time() - self._clock.now().timestamp()
        if abs(offset) > TOLERANCE:
            raise DeviceError(f"The clock was set but reads back {offset:+.0f} s off (the device may take "
                              "its time from a time server that overrides it).")
        return TaskResult(f"Clock set; reads back {offset:+.1f} s from this computer.", {"offset": offset})

    def params(self) -> Mapping[str, Any]:
        """Nothing to keep."""
        return {}
