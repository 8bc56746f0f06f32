"""Fixtures for AudioCodes unit tests: a simulated Mediant on an in-process transport; it records requests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.models import Credentials, Endpoint
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.simulator import AudioCodesSimulator
from app.vendors.simulation import RequestLog

T = TypeVar("T")
BASE = "https://mediant.test"
ENDPOINT = Endpoint("mediant.test", 443)


def calls(requests: RequestLog) -> list[str]:
    """Each recorded request as "METHOD /path", oldest first."""
    return [f"{r.method} {r.path}" for r in requests]


@dataclass
class Rig:
    """A simulator, its clock, a client logged in as `username`; `sent` is what the simulator received."""

    sim: AudioCodesSimulator
    clock: ManualClock
    client: AudioCodesClient
    http: httpx.AsyncClient

    @property
    def sent(self) -> RequestLog:
        return self.sim.requests


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim(clock: ManualClock) -> AudioCodesSimulator:
    return AudioCodesSimulator(serial_index=3, seed=11, clock=clock)


async def make_rig(sim: AudioCodesSimulator, clock: ManualClock, username: str = "Admin") -> Rig:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=sim), base_url=BASE)
    password = sim.users[username][0]
    client = AudioCodesClient(http, ENDPOINT, Credentials(username, password), clock=clock)
    return Rig(sim, clock, client, http)


@pytest.fixture
async def rig(sim: AudioCodesSimulator, clock: ManualClock) -> AsyncIterator[Rig]:
    made = await make_rig(sim, clock)
    yield made
    await made.client.aclose()
    await made.http.aclose()


async def drive(clock: ManualClock, coro: Coroutine[Any, Any, T], step: float = 1.0, limit: int = 5000) -> T:
    """Run `coro` while moving the manual clock forward `step` seconds each time the loop goes idle."""
    task = asyncio.ensure_future(coro)
    for _ in range(limit):
        if task.done():
            break
        await asyncio.sleep(0)
        clock.advance(step)
    return await task
