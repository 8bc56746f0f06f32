"""A Qt-free live feed: polls /detectionStatus and /alarmStatus, keeps new frames in a ring buffer.

Each poll returns only the latest frame (§3.1), so the feed polls once per frame period, timed from the
frame's `elapsedTime` to land just after the sensor's next frame, and keeps a frame only when its
`acqIdx` is new; a smaller `acqIdx` means the sensor restarted counting. Alarms are polled on their own,
slower cadence. A display reads `drain()` at its own rate; nothing here signals per sample.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Protocol

from app.core.errors import DeviceTimeoutError, DeviceUnreachableError
from app.vendors.inxpect.live import AlarmStatus, DetectionFrame

FRAME_HISTORY: Final = 2048
ALARM_POLL_EVERY: Final = 10  # poll_once: one alarm poll per this many detection polls
ALARM_PERIOD_S: Final = 0.1  # run(): alarms polled ten times a second, beside the detection polls
#: How long after the sensor's next frame is due the detection poll should reach the sensor.
FRAME_MARGIN_S: Final = 0.0015
#: An acqIdx this many frames below the newest means the sensor restarted counting; an overtaken
#: concurrent poll is only a frame or two behind.
RESTART_GAP: Final = 50
#: The measured frame rate looks at the frames acquired in this window, once they span MIN_RATE_SPAN_S.
RATE_WINDOW_S: Final = 3.0
MIN_RATE_SPAN_S: Final = 1.0
RATE_SAMPLES: Final = 1024
#: After the sensor stops answering, the next attempt waits this long (the display says "reconnecting").
RECONNECT_DELAY_S: Final = 1.0
#: Errors after which polling goes on: the sensor may be back in a moment (a restart, a cable).
TRANSIENT_ERRORS: Final = (DeviceUnreachableError, DeviceTimeoutError)


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
    """Polls a sensor and buffers frames not seen before; `paused` stops buffering, not polling.

    The buffer is the only state a poller on another thread shares with the display: `accept` and
    `drain` hold `lock`; the other fields are single values replaced whole.
    """

    source: LiveSource
    monotonic: Callable[[], float] = time.monotonic
    frames: deque[ReceivedFrame] = field(default_factory=lambda: deque(maxlen=FRAME_HISTORY))
    alarms: AlarmStatus | None = None
    last_idx: int = -1
    received: int = 0
    polls: int = 0
    paused: bool = False
    fps: int = 0
    reconnecting: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: (when the frame was acquired, app seconds; its acqIdx) of recent new frames, for the measured rate.
    acquired: deque[tuple[float, int]] = field(default_factory=lambda: deque(maxlen=RATE_SAMPLES))

    def accept(self, frame: DetectionFrame) -> bool:
        """Buffer `frame` unless its acqIdx was just seen (a smaller one means the sensor restarted)."""
        with self.lock:
            if 0 <= self.last_idx - frame.acq_idx < RESTART_GAP:
                return False  # already seen, or older than the newest seen (an overtaken concurrent poll)
            if frame.acq_idx < self.last_idx:
                self.acquired.clear()  # the sensor restarted counting
            self.last_idx = frame.acq_idx
            self.fps = frame.fps
            # The frame was acquired elapsedTime ms before the answer (assumed ms, as in live.py).
            self.acquired.append((self.monotonic() - frame.elapsed_time / 1000, frame.acq_idx))
            if self.paused:
                return False
            self.frames.append(ReceivedFrame(frame, self.monotonic()))
            self.received += 1
            return True

    def acquisition_rate(self) -> float | None:
        """Frames the sensor acquired per second (acqIdx advance over acquisition time) in the last
        RATE_WINDOW_S, or None until frames spanning MIN_RATE_SPAN_S have come in."""
        with self.lock:
            newest = self.acquired[-1][0] if self.acquired else 0.0
            samples = [sample for sample in self.acquired if newest - sample[0] <= RATE_WINDOW_S]
        if len(samples) < 2 or samples[-1][0] - samples[0][0] < MIN_RATE_SPAN_S:
            return None
        return (samples[-1][1] - samples[0][1]) / (samples[-1][0] - samples[0][0])

    def drain(self) -> list[ReceivedFrame]:
        """Every buffered frame not yet drained, oldest first."""
        with self.lock:
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

    async def run(self, alarm_period: float = ALARM_PERIOD_S, source: LiveSource | None = None) -> None:
        """Poll until cancelled: detections once per sensor frame, alarms every `alarm_period` seconds.

        `source` replaces the feed's own for this run (a worker thread polls through its own client).
        """
        source = source or self.source
        async with asyncio.TaskGroup() as group:
            group.create_task(self._poll_detections(source))
            group.create_task(self._poll_alarms(source, alarm_period))

    async def _poll_detections(self, source: LiveSource) -> None:
        round_trip = 0.0
        while True:
            sent = self.monotonic()
            try:
                frame = await source.read_detections()
            except TRANSIENT_ERRORS:
                self.reconnecting = True
                await asyncio.sleep(RECONNECT_DELAY_S)
                continue
            self.reconnecting = False
            answered = self.monotonic()
            round_trip = answered - sent if round_trip == 0.0 else 0.8 * round_trip + 0.2 * (answered - sent)
            self.accept(frame)
            self.polls += 1
            await asyncio.sleep(next_poll_delay(frame, round_trip))

    async def _poll_alarms(self, source: LiveSource, period: float) -> None:
        while True:
            try:
                self.alarms = await source.read_alarms()
            except TRANSIENT_ERRORS:
                await asyncio.sleep(RECONNECT_DELAY_S)
                continue
            await asyncio.sleep(period)


def next_poll_delay(frame: DetectionFrame, round_trip: float, margin: float = FRAME_MARGIN_S) -> float:
    """Seconds to wait so that the next poll reaches the sensor `margin` after its next frame.

    Frames come every 1/fps seconds, and `elapsedTime` (ms) says how long before the answer the
    reported frame was acquired (§3.1), which gives the frame phase even when the answer repeats an
    old frame; the request needs about half a round trip to arrive and the answer half to come back.
    """
    period = 1.0 / max(frame.fps, 1)
    until_next = period - (frame.elapsed_time / 1000.0) % period
    return min(max(until_next - round_trip + margin, 0.0), period)
