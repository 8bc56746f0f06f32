"""The simulated site: devices served on loopback, announced over mDNS, failures isolated."""

from __future__ import annotations

import dataclasses

import pytest
from zeroconf import IPVersion
from zeroconf.asyncio import AsyncZeroconf

from app.backend.session import pinned_client
from app.core.models import VendorId
from app.discovery.scan import port_open
from app.sim.cli import device_json, parse_scenarios
from app.sim.server import RunningDevice
from app.sim.site import run_site, vendor_mix
from tests.integration.discovery_support import FAKE_PLUGIN, SERVICE_TYPE, FakePlugin


def test_the_default_mix_is_round_robin_over_all_five_vendors() -> None:
    assert vendor_mix([], 7) == ["inxpect", "two_n", "axis", "audiocodes", "hikvision", "inxpect", "two_n"]
    assert vendor_mix(["axis", "two_n"], 3) == ["axis", "two_n", "axis"]


async def test_every_device_listens_with_its_own_certificate_and_is_announced() -> None:
    ready: list[RunningDevice] = []
    async with run_site(["two_n"], 3, seed=21, ready=ready.append, plugin_for=lambda _v: FAKE_PLUGIN) as site:
        assert [r.device.info.serial for r in ready] == [r.device.info.serial for r in site.devices]
        assert len({r.endpoint.port for r in site.devices}) == 3
        assert len({r.fingerprint for r in site.devices}) == 3
        for running in site.devices:
            assert running.certificate is not None
            async with pinned_client(running.certificate.cert_der) as http:
                response = await http.get(f"{running.endpoint.base_url}/fake/identity")
            assert response.json()["serial"] == running.device.info.serial
            assert [r.path for r in running.device.requests] == ["/fake/identity"]

        first = site.devices[0]
        assert first.device.info.advert is not None
        async with AsyncZeroconf(interfaces=["127.0.0.1"], ip_version=IPVersion.V4Only) as listener:
            info = await listener.async_get_service_info(
                SERVICE_TYPE, f"{first.device.info.advert.instance_name}.{SERVICE_TYPE}", timeout=5000
            )
        assert info is not None
        assert info.port == first.endpoint.port
        assert info.parsed_addresses() == ["127.0.0.1"]
        assert info.server == first.device.info.advert.host_name
        assert info.properties == {b"serial": first.device.info.serial.encode()}
    assert not await port_open("127.0.0.1", first.endpoint.port)  # stopped with the site


class _BrokenPlugin(FakePlugin):
    def create_simulator(self, *, serial_index: int, seed: int, clock: object) -> object:  # type: ignore[override]
        raise RuntimeError("simulator not finished")


async def test_a_simulator_that_cannot_start_is_left_out_and_reported() -> None:
    plugins: dict[VendorId, FakePlugin] = {"two_n": FAKE_PLUGIN, "axis": _BrokenPlugin()}
    async with run_site(["two_n", "axis"], 4, seed=22, plugin_for=plugins.__getitem__) as site:
        assert len(site.devices) == 2
        assert site.failed == [("axis", "RuntimeError: simulator not finished")] * 2


async def test_the_json_line_carries_credentials_address_and_extras() -> None:
    async with run_site(["two_n"], 1, seed=23, plugin_for=lambda _v: FAKE_PLUGIN, advertise=False) as site:
        running = site.devices[0]
        running.device.info = dataclasses.replace(
            running.device.info,
            extra={"devices": [{"serial": "D1", "validateCode": "ABCDEF"}], "token_host": "127.0.0.1:1"},
        )
        line = device_json(running)
    assert line["vendor"] == "two_n"
    assert (line["host"], line["port"], line["scheme"]) == ("127.0.0.1", running.endpoint.port, "https")
    assert (line["username"], line["password"]) == ("admin", "pw")
    assert line["fingerprint"] == running.fingerprint
    assert line["service_type"] == SERVICE_TYPE
    assert line["devices"] == [{"serial": "D1", "validateCode": "ABCDEF"}]
    assert line["token_host"] == "127.0.0.1:1"


async def test_a_device_can_start_in_a_named_scenario_and_says_so() -> None:
    async with run_site(
        ["audiocodes"], 2, seed=23, advertise=False, first_index=40, scenarios={1: ["ha_pair"]}
    ) as site:
        by_serial = {running.device.info.serial: running for running in site.devices}
        plain, pair = by_serial["101780230000040"], by_serial["101780230000041"]
        assert pair.device.scenarios.active == {"ha_pair"}
        assert not plain.device.scenarios.active
        assert device_json(pair)["simulates"] == ["the device is one unit of an HA pair"]
        assert "simulates" not in device_json(plain)
        assert pair.certificate is not None
        async with pinned_client(pair.certificate.cert_der) as http:
            answer = await http.get(f"{pair.endpoint.base_url}/api/v1/status", auth=("Admin", "Admin"))
        assert answer.json()["highAvailability"] == "Operational"


def test_scenario_arguments_name_a_position_and_a_scenario() -> None:
    assert parse_scenarios(["5:ha_pair", "5:clock_skew", "0:x"]) == {5: ["ha_pair", "clock_skew"], 0: ["x"]}
    with pytest.raises(ValueError, match="INDEX:NAME"):
        parse_scenarios(["ha_pair"])
