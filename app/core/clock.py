"""Injectable clock so simulators and timeouts can be driven by tests."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Time source: monotonic seconds, wall-clock time and an awaitable sleep."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin, never going backwards."""
        ...

    def now(self) -> datetime:
        """Current wall-clock time, timezone-aware UTC."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait for `seconds` of this clock's time."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        """Seconds from time.monotonic()."""
        return time.monotonic()

    def now(self) -> datetime:
        """Current UTC time."""
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        """asyncio.sleep for `seconds`."""
        await asyncio.sleep(seconds)


class ManualClock:
    """A clock that moves only when told; sleepers wake when `advance` passes their deadline."""

    def __init__(self, start: datetime | None = None) -> None:
        self._mono = 0.0
        self._start = start or datetime(2026, 1, 1, tzinfo=UTC)
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def monotonic(self) -> float:
        """Seconds advanced so far."""
        return self._mono

    def now(self) -> datetime:
        """Start time plus the seconds advanced."""
        from datetime import timedelta

        return self._start + timedelta(seconds=self._mono)

    async def sleep(self, seconds: float) -> None:
        """Wait until `advance` has moved the clock `seconds` further."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((self._mono + seconds, future))
        await future

    def advance(self, seconds: float) -> None:
        """Move time forward and wake every sleeper whose deadline has passed."""
        self._mono += seconds
        due = [s for s in self._sleepers if s[0] <= self._mono]
        self._sleepers = [s for s in self._sleepers if s[0] > self._mono]
        for _, future in due:
            if not future.done():
                future.set_result(None)
