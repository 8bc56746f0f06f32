"""The live feed keeps each frame once, drops overtaken ones, follows a restarted counter, and pauses."""

from __future__ import annotations

from app.core.clock import ManualClock
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.live import DetectionFrame, Target
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
