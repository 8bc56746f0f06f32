"""Fixtures for the Hik-Partner Pro tests: a simulated cloud on an in-process transport and a ManualClock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from typing import Any, TypeVar

import httpx
import pytest

from app.core.clock import ManualClock
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.models import DeviceToAdd, Site
from app.vendors.hikvision.simulator import HikPartnerSimulator
from app.vendors.simulation import RecordedRequest

T = TypeVar("T")
TOKEN_HOST = "https://127.0.0.1:8443"


@pytest.fixture
def clock() -> ManualClock:
    """Time that moves only when a test advances it."""
    return ManualClock()


@pytest.fixture
def sim(clock: ManualClock) -> HikPartnerSimulator:
    """A fresh simulated cloud account."""
    return HikPartnerSimulator(seed=7, clock=clock)


@pytest.fixture
async def http(sim: HikPartnerSimulator) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client whose requests reach the simulator in-process."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim)) as client:
        yield client


@pytest.fixture
def client(http: httpx.AsyncClient, sim: HikPartnerSimulator, clock: ManualClock) -> HikPartnerClient:
    """A client for the simulated account, on the token host."""
    return HikPartnerClient(http, TOKEN_HOST, sim.app_key, sim.secret_key, clock=clock)


async def with_time(
    clock: ManualClock, coro: Coroutine[Any, Any, T], step: float = 1.0, limit: float = 3600.0
) -> T:
    """Run `coro`, advancing the clock by `step` whenever it is waiting, up to `limit` seconds."""
    task = asyncio.ensure_future(coro)
    advanced = 0.0
    while True:
        for _ in range(30):
            await asyncio.sleep(0)
            if task.done():
                return task.result()
        if advanced >= limit:
            task.cancel()
            raise AssertionError(f"still waiting after {limit} simulated seconds")
        clock.advance(step)
        advanced += step


def area_calls(sim: HikPartnerSimulator, suffix: str) -> list[RecordedRequest]:
    """Requests the simulator saw whose path ends with `suffix`."""
    return [seen for seen in sim.requests if seen.path.endswith(suffix)]


async def site_with_devices(
    client: HikPartnerClient, sim: HikPartnerSimulator, count: int, name: str = "Mill Lane 4"
) -> tuple[Site, list[DeviceToAdd]]:
    """A new site with the first `count` registerable devices added to it."""
    site = await client.add_site(name, 133)
    wanted = [DeviceToAdd(d["serial"], d["validateCode"]) for d in sim.info.extra["devices"][:count]]
    outcomes = await client.add_devices(site.id, wanted)
    assert all(o.added for o in outcomes)
    return site, wanted
