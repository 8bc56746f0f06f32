"""Axis discovery matching and unauthenticated VAPIX identification."""

from __future__ import annotations

import httpx

from app.core.clock import ManualClock
from app.core.models import DiscoveryRecord
from app.vendors.axis.plugin import PLUGIN, parse_instance_name
from app.vendors.axis.simulator import AxisSimulator

from .conftest import ENDPOINT


def test_match_reads_model_serial_and_mac() -> None:
    record = DiscoveryRecord(
        "_axis-video._tcp.local.",
        "AXIS Q3819-PVE - ACCC8E4A0003._axis-video._tcp.local.",
        "axis-accc8e4a0003.local.",
        ("127.0.0.1",),
        443,
        {"macaddress": "ACCC8E4A0003"},
    )
    candidate = PLUGIN.match(record)
    assert candidate is not None
    assert candidate.identity.model == "AXIS Q3819-PVE"
    assert candidate.identity.serial == "ACCC8E4A0003"
    assert candidate.identity.mac == "AC:CC:8E:4A:00:03"
    assert candidate.identity.key == "axis:ACCC8E4A0003"
    assert candidate.endpoint.base_url == "https://127.0.0.1:443"


def test_match_ignores_other_services() -> None:
    record = DiscoveryRecord(
        "_http._tcp.local.", "AXIS Q3819-PVE - ACCC8E4A0003", "x.local.", ("127.0.0.1",), 80
    )
    assert PLUGIN.match(record) is None
    assert parse_instance_name("no separator here") == ("", "")


def test_simulator_advert_is_what_match_expects() -> None:
    sim = PLUGIN.create_simulator(serial_index=7, seed=1, clock=ManualClock())
    advert = sim.info.advert
    assert advert is not None
    assert advert.service_type == "_axis-video._tcp.local."
    record = DiscoveryRecord(
        advert.service_type, advert.instance_name, advert.host_name, ("127.0.0.1",), 443, advert.txt
    )
    candidate = PLUGIN.match(record)
    assert candidate is not None
    assert candidate.identity.serial == sim.info.serial


async def test_identify_uses_unrestricted_basic_device_info(
    http: httpx.AsyncClient, sim: AxisSimulator
) -> None:
    identity = await PLUGIN.identify(http, ENDPOINT)
    assert identity is not None
    assert (identity.vendor, identity.model, identity.serial) == ("axis", "AXIS Q3819-PVE", sim.info.serial)
    assert identity.firmware == "11.11.73"
    [probe] = sim.requests
    assert (probe.method, probe.path, "authorization" in probe.headers) == (
        "POST", "/axis-cgi/basicdeviceinfo.cgi", False
    )
    assert probe.json() == {
        "apiVersion": "1.0",
        "context": "commissioner",
        "method": "getAllUnrestrictedProperties",
    }


async def test_identify_returns_none_for_a_device_that_is_not_axis() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(404, text="Not Found"))
    async with httpx.AsyncClient(transport=transport) as http:
        assert await PLUGIN.identify(http, ENDPOINT) is None


async def test_identify_returns_none_for_another_vendors_json_error() -> None:
    # A 2N intercom's answer to an unknown path: HTTP 200, its own envelope, no VAPIX apiVersion.
    other = {"success": False, "error": {"code": 2, "description": "invalid request path"}}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=other))
    async with httpx.AsyncClient(transport=transport) as http:
        assert await PLUGIN.identify(http, ENDPOINT) is None
