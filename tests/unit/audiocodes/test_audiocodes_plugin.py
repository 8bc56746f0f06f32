"""The plugin: no mDNS, identification from the unauthenticated REST root, client and simulator factories."""

from __future__ import annotations

import httpx

from app.core.clock import ManualClock
from app.core.models import Credentials, DiscoveryRecord, Endpoint
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.plugin import PLUGIN, is_rest_root
from app.vendors.audiocodes.simulator import AudioCodesSimulator
from app.vendors.registry import plugin_for

ENDPOINT = Endpoint("mediant.test", 443)


def test_registered_without_service_types() -> None:
    assert plugin_for("audiocodes") is PLUGIN
    assert PLUGIN.service_types == ()
    assert PLUGIN.default_scheme == "https"
    record = DiscoveryRecord("_http._tcp.local.", "Mediant", "mediant.local.", ("127.0.0.1",), 443)
    assert PLUGIN.match(record) is None


async def test_identify_sends_one_unauthenticated_get_of_the_rest_root() -> None:
    sim = AudioCodesSimulator(serial_index=1, clock=ManualClock())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim)) as http:
        identity = await PLUGIN.identify(http, ENDPOINT)

    assert [(r.method, r.path) for r in sim.requests] == [("GET", "/api")]
    assert "authorization" not in sim.requests[0].headers
    assert identity is not None
    assert identity.vendor == "audiocodes"
    assert identity.model == "Mediant"
    assert identity.serial == ""  # no TLS in-process: the serial comes from the certificate or the login


async def test_identify_rejects_other_devices() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"versions": [{"id": "v2", "url": "/api/v2"}]})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        assert await PLUGIN.identify(http, ENDPOINT) is None
    assert not is_rest_root({"versions": "v1"})
    assert is_rest_root({"versions": [{"id": "v1", "status": "stable", "url": "/api/v1"}]})


async def test_factories() -> None:
    sim = PLUGIN.create_simulator(serial_index=9, seed=1, clock=ManualClock())
    assert sim.info.serial.endswith("0000009")
    assert sim.info.username == "Admin"
    async with httpx.AsyncClient() as http:
        client = PLUGIN.create_client(http, ENDPOINT, Credentials("Admin", "Admin"))
        assert isinstance(client, AudioCodesClient)
