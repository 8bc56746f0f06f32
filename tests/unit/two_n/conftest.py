"""Fixtures: a simulated intercom on a manual clock, reached in-process; it records every request."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from email.parser import BytesParser
from email.policy import HTTP
from typing import TypeVar

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.models import Credentials, Endpoint
from app.vendors.simulation import RecordedRequest, RequestLog
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.simulator import TwoNSimulator

T = TypeVar("T")
BASE_URL = "https://intercom.test"


def multipart_parts(request: RecordedRequest) -> dict[str, tuple[str, str, bytes]]:
    """name -> (filename, content type, data) of a multipart/form-data request."""
    assert request.size == len(request.body), "body longer than the simulator keeps"
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.body)
    parts = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        parts[str(name)] = (part.get_filename() or "", part.get_content_type(),
                            part.get_payload(decode=True) or b"")
    return parts


async def drive(clock: ManualClock, awaitable: Awaitable[T], step: float = 0.5, limit: float = 3600) -> T:
    """Await `awaitable` while advancing the manual clock in `step`s (device delays, long polls)."""
    task = asyncio.ensure_future(awaitable)
    advanced = 0.0
    while not task.done():
        for _ in range(5):
            await asyncio.sleep(0)
        if task.done():
            break
        if advanced >= limit:
            task.cancel()
            raise AssertionError(f"still waiting after {limit} simulated seconds")
        clock.advance(step)
        advanced += step
    return task.result()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim(clock: ManualClock) -> TwoNSimulator:
    """A 2N IP Verso (serial_index 0)."""
    return TwoNSimulator(serial_index=0, seed=1, clock=clock)


@pytest.fixture
def received(sim: TwoNSimulator) -> RequestLog:
    """Every request the simulated intercom received."""
    return sim.requests


@pytest.fixture
async def http(sim: TwoNSimulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim), base_url=BASE_URL) as client:
        yield client


@pytest.fixture
def endpoint() -> Endpoint:
    return Endpoint("intercom.test", 443)


@pytest.fixture
def client(http: httpx.AsyncClient, endpoint: Endpoint, sim: TwoNSimulator) -> TwoNClient:
    return TwoNClient(http, endpoint, Credentials(sim.info.username, sim.info.password))


async def advance(clock: ManualClock, seconds: float) -> None:
    """Move the manual clock and let the simulator's timers that fell due run."""
    clock.advance(seconds)
    for _ in range(10):
        await asyncio.sleep(0)
