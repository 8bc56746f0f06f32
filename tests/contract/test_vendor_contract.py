"""Every registered vendor against its own simulator over loopback HTTPS: one contract, run per vendor."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from app.backend.session import probe_client
from app.core.errors import DefaultPasswordError
from app.core.models import Credentials
from app.sim.server import RunningDevice
from app.vendors.base import VendorPlugin
from app.vendors.registry import PLUGINS
from app.vendors.simulation import RecordedRequest
from tests.contract.vendor_cases import CASES


async def logged_in(plugin: VendorPlugin, running: RunningDevice, http: httpx.AsyncClient) -> Any:
    """The plugin's client logged in with the simulator's credentials, past any first-use password change."""
    info = running.device.info
    client = plugin.create_client(http, running.endpoint, Credentials(info.username, info.password))
    await client.login()
    first_use = CASES[plugin.vendor_id].first_use
    if first_use is not None:
        with pytest.raises(DefaultPasswordError):
            await client.read_identity()
        await first_use(client)
    return client


def assert_one_shape(requests: list[RecordedRequest]) -> None:
    """Every recorded request is a RecordedRequest that was answered, in arrival order."""
    assert requests
    assert all(isinstance(r, RecordedRequest) for r in requests)
    assert all(r.status is not None and r.method and r.path.startswith("/") for r in requests)
    assert all(r.size >= len(r.body) for r in requests)
    assert [r.at for r in requests] == sorted(r.at for r in requests)


def test_every_registered_vendor_has_a_contract_case() -> None:
    assert sorted(CASES) == sorted(plugin.vendor_id for plugin in PLUGINS)


async def test_identified_by_its_own_plugin_and_by_no_other(
    plugin: VendorPlugin, running: RunningDevice
) -> None:
    async with probe_client() as probe:
        found = {other.vendor_id: await other.identify(probe, running.endpoint) for other in PLUGINS}
    own = found.pop(plugin.vendor_id)
    assert own is not None
    assert own.vendor == plugin.vendor_id == running.device.info.vendor
    assert found == dict.fromkeys(found)  # every other plugin says "not mine"
    probes = list(running.device.requests)
    assert_one_shape(probes)
    assert not any("authorization" in r.headers for r in probes)  # identification never sends credentials


async def test_logs_in_reads_identity_and_firmware_and_closes(
    plugin: VendorPlugin, running: RunningDevice, http: httpx.AsyncClient
) -> None:
    info = running.device.info
    client = await logged_in(plugin, running, http)
    identity = await client.read_identity()
    assert (identity.vendor, identity.model) == (plugin.vendor_id, info.model)
    if not CASES[plugin.vendor_id].cloud_service:
        assert identity.serial == info.serial
        assert identity.firmware.startswith(info.firmware)  # a client may add e.g. the board's version
    assert identity.key
    await client.aclose()
    assert not http.is_closed  # a client never closes the httpx client it was given
    assert_one_shape(list(running.device.requests))


async def test_scenarios_are_listed_and_switched_by_name(running: RunningDevice) -> None:
    scenarios = running.device.scenarios
    assert scenarios.names
    assert len(set(scenarios.names)) == len(scenarios.names)
    for scenario in scenarios:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", scenario.name)
        assert scenario.description
    with pytest.raises(ValueError, match=re.escape(scenarios.names[0])):
        scenarios.enable("no_such_scenario")
    lasting = [s.name for s in scenarios if not s.momentary]
    for name in lasting:
        scenarios.enable(name)
        assert name in scenarios.active
        scenarios.disable(name)
    assert scenarios.active == frozenset()


async def test_a_fault_scenario_shows_in_a_typed_error_or_the_recorded_requests(
    plugin: VendorPlugin, running: RunningDevice, http: httpx.AsyncClient
) -> None:
    case = CASES[plugin.vendor_id].fault
    sim = running.device
    client = await logged_in(plugin, running, http)
    sent_before = len(sim.requests)
    if case.times is None:
        sim.scenarios.enable(case.scenario)
    else:
        sim.scenarios.enable(case.scenario, times=case.times)
    if case.error is None:
        await case.act(client)
    else:
        with pytest.raises(case.error) as caught:
            await case.act(client)
        assert caught.value.message
    during = list(sim.requests)[sent_before:]
    assert_one_shape(during)
    if case.trace is not None:
        assert case.trace(during)
    assert case.scenario not in sim.scenarios.active  # used up (or momentary)
    await case.act(client)  # and the device behaves again
    await client.aclose()
