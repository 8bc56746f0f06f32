"""The plugin: mDNS matching, the unauthenticated probe, and the factories."""

from __future__ import annotations

import httpx

from app.core.clock import ManualClock
from app.core.models import Credentials, DiscoveryRecord, Endpoint
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.plugin import PLUGIN
from app.vendors.inxpect.simulator import InxpectSimulator


def test_match_claims_msk_host_names_only() -> None:
    record = DiscoveryRecord(
        "_https._tcp.local.",
        "MSK-101-POE msk101poe-20001._https._tcp.local.",
        "msk101poe-20001.local.",
        ("127.0.0.1",),
        8443,
    )
    candidate = PLUGIN.match(record)
    assert candidate is not None
    assert candidate.identity.key == "inxpect:20001"
    assert candidate.endpoint == Endpoint("127.0.0.1", 8443, "https")
    other = DiscoveryRecord("_https._tcp.local.", "printer", "printer-1.local.", ("127.0.0.1",), 443)
    assert PLUGIN.match(other) is None
    wrong_type = DiscoveryRecord("_http._tcp.local.", "x", "msk101poe-20001.local.", ("127.0.0.1",), 80)
    assert PLUGIN.match(wrong_type) is None


async def test_identify_probes_contents_json_without_credentials() -> None:
    sim = PLUGIN.create_simulator(serial_index=3, seed=1, clock=ManualClock())
    assert isinstance(sim, InxpectSimulator)
    transport = httpx.ASGITransport(app=sim)
    async with httpx.AsyncClient(transport=transport) as http:
        identity = await PLUGIN.identify(http, Endpoint("msk101poe-20003.local", 443))
        assert identity is not None
        assert identity.key == "inxpect:20003"
        assert sim.requests[-1].path == "/contents.json"
        assert "authorization" not in sim.requests[-1].headers
        assert sim.info.advert is not None
        assert sim.info.advert.host_name == "msk101poe-20003.local."
        client = PLUGIN.create_client(
            http, Endpoint("msk101poe-20003.local", 443), Credentials("", sim.password)
        )
        assert isinstance(client, InxpectClient)


async def test_identify_rejects_other_devices() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, text="not here")

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        assert await PLUGIN.identify(http, Endpoint("127.0.0.1", 443)) is None
