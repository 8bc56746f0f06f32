"""Phase-locked poll timing, and live polling on a worker thread through its own client."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.errors import DeviceUnreachableError
from app.core.models import Credentials
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.live import AlarmStatus, DetectionFrame
from app.vendors.inxpect.live_feed import LiveFeed, LiveSource, next_poll_delay
from app.vendors.inxpect.live_thread import LiveFeedThread
from app.vendors.inxpect.simulator import InxpectSimulator
from tests.unit.inxpect.conftest import ENDPOINT, NEW_PASSWORD


def _frame(elapsed_ms: int, fps: int = 100) -> DetectionFrame:
    return DetectionFrame(fps, 1234, elapsed_ms, ())


def test_next_poll_lands_just_after_the_next_frame() -> None:
    assert next_poll_delay(_frame(3), round_trip=0.001, margin=0.0015) == pytest.approx(0.0075)
    # an answer repeating an old frame still gives the phase of the sensor's frames
    assert next_poll_delay(_frame(23), round_trip=0.001, margin=0.0015) == pytest.approx(0.0075)
    assert next_poll_delay(_frame(9), round_trip=0.001, margin=0.0015) == pytest.approx(0.0015)
    assert next_poll_delay(_frame(3), round_trip=0.02) == 0.0  # a slow link: poll again at once
    assert next_poll_delay(_frame(0, fps=0), round_trip=0.0, margin=0.0) == pytest.approx(1.0)


class _CountingSource:
    """A client whose detection reads set an event, so the test can step the clock between polls."""

    def __init__(self, client: InxpectClient, polled: threading.Event) -> None:
        self.client = client
        self.polled = polled
        self.thread: threading.Thread | None = None

    async def read_detections(self) -> DetectionFrame:
        self.thread = threading.current_thread()
        frame = await self.client.read_detections()
        self.polled.set()
        return frame

    async def read_alarms(self) -> AlarmStatus:
        return await self.client.read_alarms()


def test_worker_thread_fills_the_buffer_through_its_own_client(
    sim: InxpectSimulator, clock: ManualClock
) -> None:
    polled = threading.Event()
    sources: list[_CountingSource] = []

    @asynccontextmanager
    async def open_source() -> AsyncIterator[LiveSource]:
        transport = httpx.ASGITransport(app=sim)
        async with httpx.AsyncClient(transport=transport, base_url=ENDPOINT.base_url) as http:
            client = InxpectClient(http, ENDPOINT, Credentials("", NEW_PASSWORD))
            await client.login()
            sources.append(_CountingSource(client, polled))
            yield sources[-1]

    feed = LiveFeed(source=None)  # type: ignore[arg-type]  (the worker brings its own)
    worker = LiveFeedThread(feed, open_source)
    clock.advance(1.0)
    worker.start()
    for expected in range(100, 104):
        while feed.last_idx != expected:  # wait poll by poll until the worker saw this frame
            assert polled.wait(timeout=10)
            polled.clear()
        clock.advance(0.01)
    worker.stop()
    assert worker.join(timeout=10)
    assert worker.error is None
    indices = [received.frame.acq_idx for received in feed.drain()]
    assert indices[0] == 100
    assert indices == sorted(set(indices))  # each frame once, in order
    assert indices == [100, 101, 102, 103] or indices == [100, 101, 102, 103, 104]
    assert sources[0].thread is not threading.main_thread()
    paths = [request.path for request in sim.requests]
    assert "/detectionStatus" in paths
    assert "/alarmStatus" in paths
    assert paths.count("/login") == 1


def test_stop_before_the_worker_starts_polling_ends_it(sim: InxpectSimulator) -> None:
    opened: list[bool] = []

    @asynccontextmanager
    async def open_source() -> AsyncIterator[LiveSource]:
        opened.append(True)
        yield None  # type: ignore[misc]  (never reached by this test)

    worker = LiveFeedThread(LiveFeed(source=None), open_source)  # type: ignore[arg-type]
    worker.stop()
    worker.start()
    assert worker.join(timeout=10)
    assert opened == []
    assert len(sim.requests) == 0


async def test_run_reraises_on_the_callers_loop_what_ended_the_worker() -> None:
    @asynccontextmanager
    async def open_source() -> AsyncIterator[LiveSource]:
        raise DeviceUnreachableError("MSK-101-POE at 127.0.0.1 cannot be reached")
        yield  # type: ignore[unreachable]

    worker = LiveFeedThread(LiveFeed(source=None), open_source)  # type: ignore[arg-type]
    with pytest.raises(DeviceUnreachableError, match="cannot be reached"):
        await worker.run()
    assert await asyncio.to_thread(worker.join, 5)  # the thread ends right after it settled run()


async def test_cancelling_run_stops_the_worker_and_waits_for_it() -> None:
    started = threading.Event()
    closed: list[bool] = []

    class _Idle:
        async def read_detections(self) -> DetectionFrame:
            started.set()
            await asyncio.sleep(3600)
            raise AssertionError("never answered")

        async def read_alarms(self) -> AlarmStatus:
            await asyncio.sleep(3600)
            raise AssertionError("never answered")

    @asynccontextmanager
    async def open_source() -> AsyncIterator[LiveSource]:
        try:
            yield _Idle()
        finally:
            closed.append(True)

    worker = LiveFeedThread(LiveFeed(source=None), open_source)  # type: ignore[arg-type]
    running = asyncio.ensure_future(worker.run())
    assert await asyncio.to_thread(started.wait, 10)
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    assert await asyncio.to_thread(worker.join, 5)  # the thread ends right after it settled run()
    assert closed == [True]
