"""Each registered vendor's simulator served over real loopback HTTPS, and a client trusting exactly it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from app.backend.session import pinned_client
from app.sim.server import RunningDevice
from app.sim.site import run_site
from app.vendors.base import VendorPlugin
from app.vendors.registry import PLUGINS


@pytest.fixture(params=PLUGINS, ids=lambda plugin: plugin.vendor_id)
def plugin(request: pytest.FixtureRequest) -> VendorPlugin:
    """One registered vendor plugin (every test here runs once per vendor)."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
async def running(plugin: VendorPlugin) -> AsyncIterator[RunningDevice]:
    """The vendor's simulator, made by its plugin and served as the demo serves it (127.0.0.1, HTTPS)."""
    async with run_site([plugin.vendor_id], 1, seed=7, advertise=False) as site:
        [device] = site.devices
        yield device


@pytest.fixture
async def http(running: RunningDevice) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client pinned to the served simulator's certificate."""
    assert running.certificate is not None
    async with pinned_client(running.certificate.cert_der) as client:
        yield client
