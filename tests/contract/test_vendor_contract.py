"""Every registered vendor against its own simulator over loopback HTTPS: one contract, run per vendor."""

from __future__ import annotations

import re

import httpx
import pytest

from app.backend.session import probe_client
from app.core.clock import Clock
from app.sim.server import RunningDevice
from app.vendors.base import AnyPlugin, VendorKind
from app.vendors.registry import PLUGINS
from app.vendors.simulation import ScenarioKind
from tests.contract.support import assert_one_shape, logged_in
from tests.contract.vendor_cases import CASES, UNDER_CONTRACT


def test_every_registered_vendor_has_a_contract_case() -> None:
    assert set(PLUGINS) < set(UNDER_CONTRACT)
    assert sorted(CASES) == sorted(plugin.vendor_id for plugin in UNDER_CONTRACT)


async def test_identified_by_its_own_plugin_and_by_no_other(
    plugin: AnyPlugin, running: RunningDevice
) -> None:
    async with probe_client() as probe:
        found = {other.vendor_id: await other.identify(probe, running.endpoint) for other in UNDER_CONTRACT}
    own = found.pop(plugin.vendor_id)
    assert own is not None
    assert own.vendor == plugin.vendor_id == running.device.info.vendor
    assert found == dict.fromkeys(found)  # every other plugin says "not mine"
    probes = list(running.device.requests)
    assert_one_shape(probes)
    assert not any("authorization" in r.headers for r in probes)  # identification never sends credentials


async def test_logs_in_reads_identity_and_firmware_and_closes(
    plugin: AnyPlugin, running: RunningDevice, http: httpx.AsyncClient, clock: Clock
) -> None:
    info = running.device.info
    client = await logged_in(plugin, running, http, clock)
    identity = await client.read_identity()
    assert (identity.vendor, identity.model) == (plugin.vendor_id, info.model)
    if plugin.kind is VendorKind.LAN_DEVICE:
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
    for scenario in scenarios:
        if scenario.kind is ScenarioKind.MOMENTARY:
            continue
        scenarios.enable(scenario.name)
        assert scenario.name in scenarios.active
        scenarios.disable(scenario.name)
        if scenario.kind is ScenarioKind.PER_REQUEST:
            scenarios.enable(scenario.name, times=1, after=1)
            scenarios.disable(scenario.name)
        else:
            with pytest.raises(ValueError, match="no times or after"):
                scenarios.enable(scenario.name, times=1)
    assert scenarios.active == frozenset()


async def test_a_fault_scenario_shows_in_a_typed_error_or_the_recorded_requests(
    plugin: AnyPlugin, running: RunningDevice, http: httpx.AsyncClient, clock: Clock
) -> None:
    case = CASES[plugin.vendor_id].fault
    sim = running.device
    client = await logged_in(plugin, running, http, clock)
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
