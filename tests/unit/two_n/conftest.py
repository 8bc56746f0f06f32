"""Fixtures: a simulated intercom on a manual clock, reached in-process, with every request recorded."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any, TypeVar

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.models import Credentials, Endpoint
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.simulator import TwoNSimulator

T = TypeVar("T")
BASE_URL = "https://intercom.test"


class Recorder:
    """Keeps every request the client sends (bodies read, so multipart parts can be inspected)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    async def hook(self, request: httpx.Request) -> None:
        await request.aread()
        # A snapshot: auth flows add headers to the same Request object when they re-send it.
        self.requests.append(httpx.Request(request.method, request.url, headers=request.headers.copy(),
                                           content=request.content))

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]


def multipart_parts(request: httpx.Request) -> dict[str, tuple[str, str, bytes]]:
    """name -> (filename, content type, data) of a multipart/form-data request."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.content)
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
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def http(sim: TwoNSimulator, recorder: Recorder) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sim), base_url=BASE_URL, event_hooks={"request": [recorder.hook]}
    ) as client:
        yield client


@pytest.fixture
def endpoint() -> Endpoint:
    return Endpoint("intercom.test", 443)


@pytest.fixture
def client(http: httpx.AsyncClient, endpoint: Endpoint, sim: TwoNSimulator) -> TwoNClient:
    return TwoNClient(http, endpoint, Credentials(sim.info.username, sim.info.password))


def params_of(request: httpx.Request) -> dict[str, Any]:
    return dict(request.url.params)


async def advance(clock: ManualClock, seconds: float) -> None:
    """Move the manual clock and let the simulator's timers that fell due run."""
    clock.advance(seconds)
    for _ in range(10):
        await asyncio.sleep(0)
