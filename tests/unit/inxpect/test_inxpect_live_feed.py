"""The live feed keeps each frame once, drops overtaken ones, follows a restarted counter, and pauses."""

from __future__ import annotations

import asyncio

import pytest

from app.core.clock import ManualClock
from app.core.errors import DeviceTimeoutError, DeviceUnreachableError
from app.vendors.inxpect import live_feed
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.live import AlarmStatus, DetectionFrame, Target
from app.vendors.inxpect.live_feed import LiveFeed
from app.vendors.inxpect.simulator import InxpectSimulator


def _frame(idx: int) -> DetectionFrame:
    return DetectionFrame(100, idx, 0, (Target(1, 5000, 1200),))


async def test_polls_keep_each_new_frame_once(
    client: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    feed = LiveFeed(client)
    clock.advance(1.0)
    await feed.poll_once()
    await feed.poll_once()
    clock.advance(0.01)
    await feed.poll_once()
    frames = feed.drain()
    assert [f.frame.acq_idx for f in frames] == [100, 101]
    assert feed.alarms is not None
    assert [r.path for r in sim.requests].count("/detectionStatus") == 3
    assert feed.drain() == []


def test_overtaken_and_restarted_frames() -> None:
    feed = LiveFeed(source=None)  # type: ignore[arg-type]
    assert feed.accept(_frame(50_000))
    assert not feed.accept(_frame(49_999))  # an overtaken concurrent poll
    assert not feed.accept(_frame(50_000))
    assert feed.accept(_frame(40_000))  # the sensor rebooted and counts again from 0
    feed.paused = True
    assert not feed.accept(_frame(40_001))
    assert [f.frame.acq_idx for f in feed.drain()] == [50_000, 40_000]


class FlakySource:
    """A sensor that does not answer `failures` times, then answers frame after frame."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.next_idx = 1

    async def read_detections(self) -> DetectionFrame:
        if self.failures:
            self.failures -= 1
            raise DeviceUnreachableError("The sensor does not answer.")
        self.next_idx += 1
        return _frame(self.next_idx)

    async def read_alarms(self) -> AlarmStatus:
        raise DeviceTimeoutError("The sensor did not answer in time.")


async def test_polling_goes_on_after_the_sensor_stops_answering(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live_feed, "RECONNECT_DELAY_S", 0.01)
    source = FlakySource(failures=3)
    feed = LiveFeed(source)
    task = asyncio.ensure_future(feed.run(alarm_period=0.01))
    while source.failures:
        await asyncio.sleep(0.005)
    assert feed.reconnecting
    while not feed.drain():
        await asyncio.sleep(0.005)
    assert not feed.reconnecting
    assert not task.done()  # neither the failed detections nor the failing alarm polls ended it
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_the_measured_acquisition_rate_matches_a_sensor_at_its_nominal_rate(
    client: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    sim.use_scene("crowd")
    feed = LiveFeed(client, monotonic=clock.monotonic)
    assert feed.acquisition_rate() is None
    for _ in range(30):
        clock.advance(0.05)
        await feed.poll_once()
    rate = feed.acquisition_rate()
    assert rate is not None
    assert 95 <= rate <= 105


def test_a_sensor_acquiring_slower_than_it_reports_is_measured_so() -> None:
    now = [0.0]
    feed = LiveFeed(source=None, monotonic=lambda: now[0])  # type: ignore[arg-type]
    for n in range(40):  # reports 100 frames/s but acquires 60 a second; each answer 20 ms after its frame
        now[0] = n * 0.05 + 0.02
        feed.accept(DetectionFrame(100, 1000 + n * 3, 20, (Target(1, 5000, 1200),)))
    rate = feed.acquisition_rate()
    assert rate is not None
    assert rate == pytest.approx(60)
    feed.accept(DetectionFrame(100, 5, 0, ()))  # a restart starts the measurement afresh
    assert feed.acquisition_rate() is None
