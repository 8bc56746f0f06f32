"""Fixtures: a simulated MSK-101-POE on ManualClock behind httpx.ASGITransport, and a client for it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.models import Credentials, Endpoint
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.simulator import InxpectSimulator

NEW_PASSWORD = "site-secret-42"
ENDPOINT = Endpoint("msk101poe-20001.local", 443)


@pytest.fixture
def clock() -> ManualClock:
    """Time that moves only when the test says so."""
    return ManualClock()


@pytest.fixture
def sim(clock: ManualClock) -> InxpectSimulator:
    """A commissioned sensor (password already changed) showing the site scene."""
    return InxpectSimulator(device_id=20001, seed=7, clock=clock, password=NEW_PASSWORD)


@pytest.fixture
async def http(sim: InxpectSimulator) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client whose requests go straight into the simulator."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sim), base_url=ENDPOINT.base_url
    ) as client:
        yield client


@pytest.fixture
async def client(http: httpx.AsyncClient) -> InxpectClient:
    """A logged-in client."""
    inxpect = InxpectClient(http, ENDPOINT, Credentials("", NEW_PASSWORD))
    await inxpect.login()
    return inxpect


def last_request(sim: InxpectSimulator, path: str) -> tuple[str, dict[str, str], bytes]:
    """(method, headers, body) of the latest request the simulator received on `path`."""
    for request in reversed(sim.requests):
        if request.path == path:
            return request.method, request.headers, request.body
    raise AssertionError(f"no request to {path}")
