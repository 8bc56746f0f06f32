"""Each registered vendor's simulator served over real loopback HTTPS, and a client trusting exactly it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from app.backend.session import pinned_client
from app.core.clock import Clock
from app.sim.server import RunningDevice
from app.sim.site import run_site
from app.vendors.base import AnyPlugin
from tests.contract.vendor_cases import CASES, UNDER_CONTRACT


class FastClock:
    """Real time run `rate` times faster: restarts and polls that take minutes on a device take seconds."""

    def __init__(self, rate: float) -> None:
        self._rate = rate
        self._origin = time.monotonic()
        self._start = datetime.now(UTC)

    def monotonic(self) -> float:
        """Seconds since the clock was made, `rate` times faster than real ones."""
        return (time.monotonic() - self._origin) * self._rate

    def now(self) -> datetime:
        """The wall-clock time when the clock was made, plus its fast seconds."""
        return self._start + timedelta(seconds=self.monotonic())

    async def sleep(self, seconds: float) -> None:
        """Sleep `seconds` of this clock: `seconds / rate` real ones."""
        await asyncio.sleep(seconds / self._rate)


@pytest.fixture(params=UNDER_CONTRACT, ids=lambda plugin: plugin.vendor_id)
def plugin(request: pytest.FixtureRequest) -> AnyPlugin:
    """One vendor plugin under contract (every test here runs once per vendor)."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def clock(plugin: AnyPlugin) -> Clock:
    """The simulator's clock, and its client's where the client waits on one (fast where the case says)."""
    return FastClock(CASES[plugin.vendor_id].clock_rate)


@pytest.fixture
async def running(plugin: AnyPlugin, clock: Clock) -> AsyncIterator[RunningDevice]:
    """The vendor's simulator, made by its plugin and served as the demo serves it (127.0.0.1, HTTPS)."""
    async with run_site(
        [plugin.vendor_id], 1, seed=7, clock=clock, advertise=False,
        plugin_for=lambda _vendor: plugin,  # the sixth vendor is not in the app's registry
    ) as site:
        [device] = site.devices
        yield device


@pytest.fixture
async def http(running: RunningDevice) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client pinned to the served simulator's certificate."""
    assert running.certificate is not None
    async with pinned_client(running.certificate.cert_der) as client:
        yield client
