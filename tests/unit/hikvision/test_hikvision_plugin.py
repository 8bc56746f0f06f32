"""The plugin: a cloud service (no mDNS), identified by the token/get envelope, with a simulator factory."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.core.clock import ManualClock
from app.core.models import Credentials, DiscoveryRecord, Endpoint
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.plugin import PLUGIN
from app.vendors.hikvision.simulator import HikPartnerSimulator

ENDPOINT = Endpoint("127.0.0.1", 8443)


def test_plugin_is_a_cloud_service() -> None:
    assert PLUGIN.vendor_id == "hikvision"
    assert PLUGIN.service_types == ()
    record = DiscoveryRecord("_http._tcp.local.", "Hikvision DS-2CD", "cam.local.", ("127.0.0.1",), 80)
    assert PLUGIN.match(record) is None


def test_simulator_info_lists_registerable_devices() -> None:
    sim = PLUGIN.create_simulator(serial_index=2, seed=5, clock=ManualClock())
    info = sim.info
    assert (info.vendor, info.model, info.advert) == ("hikvision", "Hik-Partner Pro cloud", None)
    assert isinstance(sim, HikPartnerSimulator)
    assert (info.username, info.password) == (sim.app_key, sim.secret_key)
    devices = info.extra["devices"]
    assert len(devices) == 8
    assert all(len(d["serial"]) == 9 and len(d["validateCode"]) == 6 for d in devices)
    assert [d["expect"] for d in info.extra["troubleDevices"]] == ["EVZ20013", "EVZ20023"]
    again = PLUGIN.create_simulator(serial_index=2, seed=5, clock=ManualClock())
    assert again.info.extra["devices"] == devices  # seeded: the same site every time


async def test_identify_recognises_the_token_envelope_without_credentials() -> None:
    sim = HikPartnerSimulator(seed=1, clock=ManualClock())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim)) as http:
        identity = await PLUGIN.identify(http, ENDPOINT)
    assert identity is not None
    assert (identity.vendor, identity.model) == ("hikvision", "Hik-Partner Pro cloud")
    [probe] = sim.requests
    assert (probe.path, probe.json()) == ("/api/hpcgw/v1/token/get", {"appKey": "", "secretKey": ""})


async def test_identify_returns_none_for_other_services() -> None:
    async def other(request: Request) -> JSONResponse:
        return JSONResponse({"error": {"code": 404}}, status_code=404)

    app = Starlette(routes=[Route("/{path:path}", other, methods=["POST"])])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
        assert await PLUGIN.identify(http, ENDPOINT) is None


async def test_create_client_targets_the_token_host() -> None:
    sim = HikPartnerSimulator(seed=1, clock=ManualClock())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim)) as http:
        client = PLUGIN.create_client(http, ENDPOINT, Credentials(sim.app_key, sim.secret_key))
        assert isinstance(client, HikPartnerClient)
        await client.login()
    assert sim.requests[0].path == "/api/hpcgw/v1/token/get"
    assert client.region == "Europe"
