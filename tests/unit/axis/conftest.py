"""Fixtures: a simulated Axis camera served in-process and an AxisClient logged in to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.models import Credentials, Endpoint
from app.vendors.axis.client import AxisClient
from app.vendors.axis.simulator import AxisSimulator

ENDPOINT = Endpoint("127.0.0.1", 443)


@pytest.fixture
def clock() -> ManualClock:
    """The simulator's clock."""
    return ManualClock()


@pytest.fixture
def scenarios() -> tuple[str, ...]:
    """Simulator scenarios; override in a test module or with parametrize(indirect)."""
    return ()


@pytest.fixture
def sim(clock: ManualClock, scenarios: tuple[str, ...]) -> AxisSimulator:
    """A fresh simulated four-sensor camera."""
    sim = AxisSimulator(serial_index=3, seed=11, clock=clock)
    for name in scenarios:
        sim.scenarios.enable(name)
    return sim


@pytest.fixture
async def http(sim: AxisSimulator) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client whose requests go straight into the simulator."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sim), base_url=ENDPOINT.base_url
    ) as client:
        yield client


@pytest.fixture
def client(http: httpx.AsyncClient, sim: AxisSimulator) -> AxisClient:
    """An AxisClient with the simulator's credentials."""
    return AxisClient.connect(http, ENDPOINT, Credentials("root", sim.password))


def stitching_bodies(sim: AxisSimulator) -> list[dict[str, object]]:
    """The JSON bodies of the stitching.cgi calls the camera answered past authentication, in order."""
    return [r.json() for r in sim.requests.for_path("/axis-cgi/stitching.cgi") if r.status == 200]
