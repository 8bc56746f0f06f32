"""A Qt-free live feed: polls /detectionStatus and /alarmStatus, keeps new frames in a ring buffer.

Each poll returns only the latest frame (§3.1), so the feed polls about once per frame period and
keeps a frame only when its `acqIdx` is new; a smaller `acqIdx` means the sensor restarted counting.
A display reads `drain()` at its own rate; nothing here signals per sample.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Protocol

from app.vendors.inxpect.live import AlarmStatus, DetectionFrame

FRAME_HISTORY: Final = 2048
ALARM_POLL_EVERY: Final = 10  # one alarm poll per this many detection polls
#: An acqIdx this many frames below the newest means the sensor restarted counting; an overtaken
#: concurrent poll is only a frame or two behind.
RESTART_GAP: Final = 50


class LiveSource(Protocol):
    """What the feed needs of a client."""

    async def read_detections(self) -> DetectionFrame:
        """The latest detection frame."""
        ...

    async def read_alarms(self) -> AlarmStatus:
        """The latest alarm status."""
        ...


@dataclass(frozen=True, slots=True)
class ReceivedFrame:
    """A new frame and when it arrived (monotonic seconds of the app)."""

    frame: DetectionFrame
    received_at: float


@dataclass(slots=True)
class LiveFeed:
    """Polls a sensor and buffers frames not seen before; `paused` stops buffering, not polling."""

    source: LiveSource
    monotonic: Callable[[], float] = time.monotonic
    frames: deque[ReceivedFrame] = field(default_factory=lambda: deque(maxlen=FRAME_HISTORY))
    alarms: AlarmStatus | None = None
    last_idx: int = -1
    received: int = 0
    polls: int = 0
    paused: bool = False
    fps: int = 0

    def accept(self, frame: DetectionFrame) -> bool:
        """Buffer `frame` unless its acqIdx was just seen (a smaller one means the sensor restarted)."""
        if 0 <= self.last_idx - frame.acq_idx < RESTART_GAP:
            return False  # already seen, or older than the newest seen (an overtaken concurrent poll)
        self.last_idx = frame.acq_idx
        self.fps = frame.fps
        if self.paused:
            return False
        self.frames.append(ReceivedFrame(frame, self.monotonic()))
        self.received += 1
        return True

    def drain(self) -> list[ReceivedFrame]:
        """Every buffered frame not yet drained, oldest first."""
        drained = list(self.frames)
        self.frames.clear()
        return drained

    async def poll_once(self) -> DetectionFrame:
        """One detection poll (and every ALARM_POLL_EVERY polls, an alarm poll); returns the frame read."""
        frame = await self.source.read_detections()
        self.accept(frame)
        self.polls += 1
        if self.polls % ALARM_POLL_EVERY == 1:
            self.alarms = await self.source.read_alarms()
        return frame

    async def run(self, period: float = 0.004, concurrency: int = 2) -> None:
        """Poll until cancelled: `concurrency` pollers, each at most once per `period` seconds.

        A poll returns only the latest frame (§3.1), so seeing a 100 frames/s sensor frame by frame
        takes well over 100 polls/s; two requests in flight hide one slow round trip while the loop
        paints. Frames that arrive out of order are dropped by acqIdx.
        """

        async def poller() -> None:
            while True:
                started = self.monotonic()
                await self.poll_once()
                await asyncio.sleep(max(period - (self.monotonic() - started), 0.0))

        async with asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                group.create_task(poller())
