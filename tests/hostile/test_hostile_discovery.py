"""Identification probes, manual add and the range scan against hostile loopback peers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

import pytest

from app.backend.body import DEFAULT_MAX_BODY
from app.backend.session import probe_client
from app.core.errors import AppError, DeviceError
from app.core.models import DeviceIdentity, DiscoveryRecord, Endpoint
from app.discovery import identify
from app.discovery.identify import DeviceNotRecognisedError, Identifier
from app.discovery.manual import add_manual
from app.discovery.service import DiscoveryService
from app.vendors.axis.models import BASIC_DEVICE_INFO_PATH, SERVICE_TYPE
from app.vendors.axis.plugin import PLUGIN as AXIS
from app.vendors.base import VendorPlugin
from app.vendors.registry import PLUGINS
from tests.hostile.deadlines import HONEST_DEADLINE_S, set_deadlines
from tests.hostile.peer import Behaviour, Honest, HostilePeer

SOCKET_SLACK = 16 << 20
AXIS_INFO = Honest(json.dumps({
    "apiVersion": "1.0", "method": "getAllUnrestrictedProperties",
    "data": {"propertyList": {
        "Brand": "AXIS", "ProdShortName": "AXIS Q3819-PVE", "SerialNumber": "ACCC8E0000AA",
        "Version": "11.2.0",
    }},
}).encode())


def _honest_axis() -> HostilePeer:
    """A peer that answers the Axis probe well (and everything else with an endless body)."""
    return HostilePeer(Behaviour.ENDLESS, honest={BASIC_DEVICE_INFO_PATH: AXIS_INFO})


async def _probe_outcome(plugin: VendorPlugin, behaviour: Behaviour) -> str:
    """"" when the plugin's probe of a peer behaving so ended in None or a typed error, else what it did."""
    async with HostilePeer(behaviour) as peer, probe_client() as http:
        try:
            outcome: object = await plugin.identify(http, Endpoint("127.0.0.1", peer.port))
        except AppError as err:
            outcome = err
    if not (outcome is None or isinstance(outcome, DeviceError)):
        return f"{plugin.vendor_id} took it for {outcome!r}"
    if peer.bytes_sent > DEFAULT_MAX_BODY + SOCKET_SLACK:
        return f"{plugin.vendor_id} read {peer.bytes_sent} bytes"
    return ""


async def _not_recognised(identify_at: Callable[[int], Awaitable[object]], behaviour: Behaviour) -> str:
    """"" when identifying a peer behaving so raised DeviceNotRecognisedError, else what happened."""
    async with HostilePeer(behaviour) as peer:
        try:
            outcome = await identify_at(peer.port)
        except DeviceNotRecognisedError:
            return ""
        except AppError as err:
            outcome = err
    return f"{outcome!r}"[:300]


@pytest.mark.parametrize("behaviour", list(Behaviour), ids=lambda b: b.value)
async def test_every_probe_identify_and_manual_add_of_a_hostile_peer_ends_typed(behaviour: Behaviour) -> None:
    identifier = Identifier(PLUGINS)

    async def by_endpoint(port: int) -> object:
        return await identifier.identify_endpoint(Endpoint("127.0.0.1", port))

    async def by_manual_add(port: int) -> object:
        return await add_manual(identifier, f"127.0.0.1:{port}")

    problems = await asyncio.gather(
        *(_probe_outcome(plugin, behaviour) for plugin in PLUGINS),
        _not_recognised(by_endpoint, behaviour),
        _not_recognised(by_manual_add, behaviour),
    )
    await identifier.aclose()
    assert [problem for problem in problems if problem] == []


async def test_silent_peers_do_not_hold_the_probe_slots_of_other_devices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Long deadlines: the silent peers stay pending for the whole test, so only giving up the slots
    # lets the honest device through.
    set_deadlines(monkeypatch, 60.0)
    identifier = Identifier([AXIS], concurrency=2, slot_budget=0.05)
    silent = [await HostilePeer(Behaviour.SILENT).start() for _ in range(4)]
    honest = await _honest_axis().start()
    try:
        stuck = [
            asyncio.ensure_future(identifier.identify_endpoint(Endpoint("127.0.0.1", peer.port)))
            for peer in silent
        ]
        await asyncio.sleep(0)
        found = await identifier.identify_endpoint(Endpoint("127.0.0.1", honest.port))

        assert found.identified
        assert found.candidate.identity.serial == "ACCC8E0000AA"
        assert not any(task.done() for task in stuck)
        for task in stuck:
            task.cancel()
        await asyncio.gather(*stuck, return_exceptions=True)
    finally:
        await identifier.aclose()
        for peer in [*silent, honest]:
            await peer.stop()


async def test_a_trickling_peer_is_cut_at_the_probe_deadline() -> None:
    identifier = Identifier([AXIS])
    async with HostilePeer(Behaviour.TRICKLE, trickle_interval=0.05) as peer:
        result = await identifier.identify_candidate(AXIS, _axis_candidate(peer.port))
        await identifier.aclose()

    assert not result.identified
    assert "in time" in result.reason


def _axis_candidate(port: int) -> identify.DeviceCandidate:
    record = DiscoveryRecord(SERVICE_TYPE, f"AXIS Q3819-PVE - ACCC8E0000AA.{SERVICE_TYPE}", "axis.local.",
                             ("127.0.0.1",), port, {})
    candidate = AXIS.match(record)
    assert candidate is not None
    return candidate


class _BrokenPlugin:
    """A plugin whose probe has a bug at one port: it raises something no probe should."""

    def __init__(self, broken_port: int) -> None:
        self.broken_port = broken_port

    vendor_id = "axis"
    display_name = "Broken"
    service_types: tuple[str, ...] = ()
    default_ports: tuple[int, ...] = ()
    default_scheme = "http"  # probed on its own scheme, so its silence does not skip the Axis probe
    capabilities: frozenset[str] = frozenset()

    def match(self, record: DiscoveryRecord) -> None:
        return None

    async def identify(self, http: object, endpoint: Endpoint) -> DeviceIdentity | None:
        if endpoint.port == self.broken_port:
            raise RecursionError("a plugin bug")
        return None


@pytest.mark.parametrize("behaviour", list(Behaviour), ids=lambda b: b.value)
async def test_a_range_scan_survives_a_hostile_address_and_still_finds_the_honest_one(
    behaviour: Behaviour, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_deadlines(monkeypatch, HONEST_DEADLINE_S)
    service = DiscoveryService([AXIS], pinned=lambda _key: None, http_factory=probe_client)
    async with HostilePeer(behaviour) as hostile, _honest_axis() as honest:
        result = await service.scan("127.0.0.1", [hostile.port, honest.port])
        await service.stop()

    assert [entry.candidate.identity.serial for entry in result.devices] == ["ACCC8E0000AA"]
    assert [endpoint.port for endpoint, _reason in result.unrecognised] == [hostile.port]


async def test_a_range_scan_survives_a_probe_that_fails_with_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    set_deadlines(monkeypatch, HONEST_DEADLINE_S)
    async with _honest_axis() as honest, _honest_axis() as other:
        broken: VendorPlugin = _BrokenPlugin(other.port)  # type: ignore[assignment]
        service = DiscoveryService([broken, AXIS], pinned=lambda _key: None, http_factory=probe_client)
        result = await service.scan("127.0.0.1", [honest.port, other.port])
        await service.stop()

    assert [entry.candidate.endpoint.port for entry in result.devices] == [honest.port]
    assert [endpoint.port for endpoint, _reason in result.unrecognised] == [other.port]
