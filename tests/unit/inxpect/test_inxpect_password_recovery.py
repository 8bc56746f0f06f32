"""Password recovery against the simulator: the power cycle, the 20 s window after start-up, the bounded
watch, Cancel, and the factory password afterwards (§3.15, §3.12)."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.models import Credentials
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.errors import InxpectResetWindowClosedError
from app.vendors.inxpect.password_recovery import (
    RecoveryPhase,
    RecoveryStatus,
    RecoveryTimedOutError,
    recover_password,
)
from app.vendors.inxpect.simulator import InxpectSimulator
from app.vendors.inxpect.simulator.device import POWER_OFF_S
from app.vendors.inxpect.simulator.factory import DEFAULT_PASSWORD
from tests.unit.inxpect.conftest import ENDPOINT


@pytest.fixture
def forgotten(http: httpx.AsyncClient) -> InxpectClient:
    """A client that knows no password (the technician forgot it)."""
    return InxpectClient(http, ENDPOINT, Credentials("", ""))


async def drive(clock: ManualClock, task: asyncio.Task[None],
                *, step: float = 0.25, limit: float = 400.0) -> None:
    """Advance the clock in small steps until `task` ends (or `limit` seconds pass)."""
    moved = 0.0
    while not task.done() and moved < limit:
        for _ in range(5):
            await asyncio.sleep(0)
        clock.advance(step)
        moved += step
    for _ in range(5):
        await asyncio.sleep(0)


def phases(seen: list[RecoveryStatus]) -> list[RecoveryPhase]:
    """The phases reported, each run of the same phase once."""
    return [s.phase for i, s in enumerate(seen) if i == 0 or seen[i - 1].phase != s.phase]


async def test_outside_the_start_up_window_the_reset_is_refused_with_403(
    forgotten: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    clock.advance(21)
    with pytest.raises(InxpectResetWindowClosedError):
        await forgotten.reset_comboard_without_login()
    refused = sim.requests.for_path("/comboardReset")[-1]
    assert refused.status == 403
    assert "authorization" not in refused.headers
    assert not sim.password_is_default


async def test_power_cycle_then_reset_in_the_window_then_factory_password(
    forgotten: InxpectClient, sim: InxpectSimulator, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    clock.advance(60)  # the sensor has been running a minute: its window is closed
    sim.name = "gate-north"
    seen: list[RecoveryStatus] = []
    task = asyncio.create_task(recover_password(forgotten, clock, seen.append))
    await drive(clock, task, limit=3)
    assert phases(seen) == [RecoveryPhase.POWER_CYCLE]
    sim.scenarios.enable("power_cycle")
    await drive(clock, task)
    await task
    assert phases(seen) == [
        RecoveryPhase.POWER_CYCLE, RecoveryPhase.SENSOR_OFF, RecoveryPhase.DONE
    ]
    off = [s for s in seen if s.phase is RecoveryPhase.SENSOR_OFF]
    assert POWER_OFF_S - 1 <= len(off) <= POWER_OFF_S + 1  # one try a second while it is off
    assert seen[-1].seconds_left < seen[0].seconds_left  # the countdown runs
    accepted = sim.requests.for_path("/comboardReset")[-1]
    assert accepted.status == 200
    assert "authorization" not in accepted.headers
    assert sim.password_is_default
    assert sim.name == "msk101poe-20001"
    factory = InxpectClient(http, ENDPOINT, Credentials("", DEFAULT_PASSWORD))
    await factory.login()
    assert factory.needs_first_password()
    await factory.set_first_password("new-site-secret")
    assert not sim.password_is_default


async def test_a_sensor_back_after_its_window_asks_for_another_power_cycle(
    forgotten: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    clock.advance(60)
    sim.power_cycle()
    seen: list[RecoveryStatus] = []
    task = asyncio.create_task(recover_password(forgotten, clock, seen.append, interval_s=30))
    await drive(clock, task, limit=40)
    assert phases(seen) == [RecoveryPhase.SENSOR_OFF, RecoveryPhase.MISSED]
    assert not sim.password_is_default
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def test_the_watch_is_bounded_and_resets_nothing_when_no_power_cycle_comes(
    forgotten: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    clock.advance(60)
    seen: list[RecoveryStatus] = []
    task = asyncio.create_task(recover_password(forgotten, clock, seen.append, watch_s=30))
    await drive(clock, task, limit=40)
    with pytest.raises(RecoveryTimedOutError, match="not seen restarting"):
        await task
    assert len(sim.requests.for_path("/comboardReset")) == 30
    assert not sim.password_is_default


async def test_cancel_stops_watching_at_once(
    forgotten: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    clock.advance(60)
    task = asyncio.create_task(recover_password(forgotten, clock, lambda _status: None))
    await drive(clock, task, limit=2)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    sent = len(sim.requests.for_path("/comboardReset"))
    sim.power_cycle()
    clock.advance(30)
    await asyncio.sleep(0)
    assert len(sim.requests.for_path("/comboardReset")) == sent
    assert task.cancelled()


async def test_the_demo_technician_power_cycles_when_asked(clock: ManualClock) -> None:
    sim = InxpectSimulator(
        device_id=20009, seed=1, clock=clock, password="site-secret-42", plays_technician=True
    )
    clock.advance(60)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim), base_url=ENDPOINT.base_url) as http:
        forgotten = InxpectClient(http, ENDPOINT, Credentials("", ""))
        seen: list[RecoveryStatus] = []
        task = asyncio.create_task(recover_password(forgotten, clock, seen.append))
        await drive(clock, task, limit=30)
        await task
    assert phases(seen)[-1] is RecoveryPhase.DONE
    assert RecoveryPhase.SENSOR_OFF in phases(seen)
    assert sim.password_is_default
