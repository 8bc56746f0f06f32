"""DiscoveryService over real loopback sockets and loopback mDNS, against a site of test-vendor devices."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from app.core.clock import SystemClock
from app.core.errors import DeviceUnreachableError
from app.core.models import DeviceIdentity, DeviceState, Endpoint
from app.discovery.identify import DeviceNotRecognisedError
from app.discovery.inventory import DeviceEntry
from app.discovery.service import DiscoveryService
from app.sim.server import serve_device
from app.sim.site import SimulatedSite, run_site
from tests.integration.discovery_support import (
    FAKE_PLUGIN,
    MODEL,
    SERVICE_TYPE,
    FakePlugin,
    StrangerDevice,
    fake_lookup,
    wait_for_entries,
)


@pytest.fixture
async def site() -> AsyncIterator[SimulatedSite]:
    async with run_site(["two_n"], 3, seed=7, plugin_for=fake_lookup) as running_site:
        yield running_site


@pytest.fixture
async def service() -> AsyncIterator[DiscoveryService]:
    discovery = DiscoveryService([FAKE_PLUGIN], pinned=lambda _key: None)
    yield discovery
    await discovery.stop()


def _identified(entries: list[DeviceEntry], serials: set[str]) -> bool:
    return serials <= {entry.candidate.identity.serial for entry in entries if entry.identified}


def _by_serial(service: DiscoveryService, serial: str) -> DeviceEntry:
    return next(entry for entry in service.inventory.entries() if entry.candidate.identity.serial == serial)


async def test_browsing_finds_and_identifies_every_announced_device(
    site: SimulatedSite, service: DiscoveryService
) -> None:
    serials = {running.device.info.serial for running in site.devices}

    await service.start(["127.0.0.1"])
    entries = await wait_for_entries(service.inventory, lambda found: _identified(found, serials))

    assert len(entries) == 3
    for running in site.devices:
        entry = _by_serial(service, running.device.info.serial)
        candidate = entry.candidate
        assert entry.key == f"two_n:{running.device.info.serial}"
        assert (candidate.identity.model, candidate.identity.firmware) == (MODEL, "1.2.3")
        assert candidate.endpoint == running.endpoint
        assert candidate.record is not None
        assert candidate.record.service_type == SERVICE_TYPE
        assert candidate.record.instance_name == f"Probe Test - {running.device.info.serial}"
        assert candidate.certificate_fingerprint == running.fingerprint
        assert entry.state is DeviceState.CERTIFICATE_UNTRUSTED
        # Exactly the one unauthenticated identity probe reached the device.
        requests = running.device.requests
        assert [(r.method, r.path, "authorization" in r.headers) for r in requests] == [
            ("GET", "/fake/identity", False)
        ]


async def test_a_trusted_device_needs_login_and_a_changed_certificate_is_flagged(site: SimulatedSite) -> None:
    first, second = site.devices[0], site.devices[1]
    pins = {f"two_n:{first.device.info.serial}": first.fingerprint,
            f"two_n:{second.device.info.serial}": "00:11"}
    service = DiscoveryService([FAKE_PLUGIN], pinned=pins.get)
    try:
        await service.start(["127.0.0.1"])
        serials = {first.device.info.serial, second.device.info.serial}
        await wait_for_entries(service.inventory, lambda found: _identified(found, serials))
        assert _by_serial(service, first.device.info.serial).state is DeviceState.NEEDS_LOGIN
        assert _by_serial(service, second.device.info.serial).state is DeviceState.CERTIFICATE_CHANGED
    finally:
        await service.stop()


async def test_a_device_that_leaves_goes_offline_and_stays_listed(
    site: SimulatedSite, service: DiscoveryService
) -> None:
    serials = {running.device.info.serial for running in site.devices}
    await service.start(["127.0.0.1"])
    await wait_for_entries(service.inventory, lambda found: _identified(found, serials))
    gone = site.devices[0].device.info.serial

    await site.remove(gone)

    entries = await wait_for_entries(
        service.inventory, lambda found: any(
            e.candidate.identity.serial == gone and e.state is DeviceState.OFFLINE for e in found)
    )
    assert len(entries) == 3
    offline = _by_serial(service, gone)
    assert offline.identified
    assert offline.candidate.identity.model == MODEL
    others = [entry for entry in entries if entry.candidate.identity.serial != gone]
    assert all(entry.state is DeviceState.CERTIFICATE_UNTRUSTED for entry in others)


async def test_a_device_that_lost_power_goes_offline_at_the_next_reprobe(
    site: SimulatedSite, service: DiscoveryService
) -> None:
    serials = {running.device.info.serial for running in site.devices}
    await service.start(["127.0.0.1"])
    await wait_for_entries(service.inventory, lambda found: _identified(found, serials))
    dead = site.devices[2]
    await site.remove(dead.device.info.serial, goodbye=False)

    refreshed = await service.refresh()

    states = {entry.candidate.identity.serial: entry.state for entry in refreshed}
    assert states.pop(dead.device.info.serial) is DeviceState.OFFLINE
    assert set(states.values()) == {DeviceState.CERTIFICATE_UNTRUSTED}
    assert _by_serial(service, dead.device.info.serial).detail.startswith("https://127.0.0.1:")
    for running in site.devices:  # each live device got a second identity probe
        assert [r.path for r in running.device.requests] == ["/fake/identity"] * 2


async def test_a_device_back_on_a_new_port_updates_its_row(
    site: SimulatedSite, service: DiscoveryService
) -> None:
    serials = {running.device.info.serial for running in site.devices}
    await service.start(["127.0.0.1"])
    await wait_for_entries(service.inventory, lambda found: _identified(found, serials))
    serial = site.devices[1].device.info.serial
    old_port = site.devices[1].endpoint.port

    moved = await site.move(serial)

    assert moved.endpoint.port != old_port
    entries = await wait_for_entries(
        service.inventory, lambda found: any(
            e.candidate.identity.serial == serial and e.candidate.endpoint.port == moved.endpoint.port
            and e.identified for e in found)
    )
    assert len(entries) == 3
    row = _by_serial(service, serial)
    assert row.key == f"two_n:{serial}"
    assert row.state is DeviceState.CERTIFICATE_UNTRUSTED
    assert row.candidate.certificate_fingerprint == moved.fingerprint


async def test_manual_add_identifies_a_device_by_address() -> None:
    async with run_site(["two_n"], 1, seed=8, plugin_for=fake_lookup, advertise=False) as quiet_site:
        running = quiet_site.devices[0]
        service = DiscoveryService([FAKE_PLUGIN], pinned=lambda _key: None)
        try:
            entry = await service.manual_add(f"127.0.0.1:{running.endpoint.port}")

            assert entry.identified
            assert entry.candidate.identity.serial == running.device.info.serial
            assert entry.candidate.endpoint == running.endpoint
            assert service.inventory.entries() == [entry]
            requests = running.device.requests
            assert [(r.method, r.path) for r in requests] == [("GET", "/fake/identity")]
        finally:
            await service.stop()


async def test_manual_add_of_a_closed_port_says_nothing_answers() -> None:
    async with run_site(["two_n"], 1, seed=9, plugin_for=fake_lookup, advertise=False) as quiet_site:
        port = quiet_site.devices[0].endpoint.port
    service = DiscoveryService([FAKE_PLUGIN], pinned=lambda _key: None)
    try:
        with pytest.raises(DeviceUnreachableError, match=f"Nothing answers at 127.0.0.1 on port {port}"):
            await service.manual_add(f"127.0.0.1:{port}")
        assert service.inventory.entries() == []
    finally:
        await service.stop()


async def test_range_scan_of_loopback_finds_the_device_on_the_given_port() -> None:
    async with run_site(["two_n"], 2, seed=10, plugin_for=fake_lookup, advertise=False) as quiet_site:
        device, other = quiet_site.devices
        service = DiscoveryService([FAKE_PLUGIN], pinned=lambda _key: None)
        progress: list[tuple[int, int]] = []
        try:
            result = await service.scan("127.0.0.1/32", [device.endpoint.port],
                                        progress=lambda done, total: progress.append((done, total)))
        finally:
            await service.stop()

    assert result.addresses_scanned == 1
    assert [entry.candidate.identity.serial for entry in result.devices] == [device.device.info.serial]
    assert result.devices[0].candidate.endpoint == device.endpoint
    assert progress == [(1, 1)]
    assert len(other.device.requests) == 0  # its port was not in the scan


async def test_manual_add_of_another_kind_of_device_is_not_recognised() -> None:
    stranger = StrangerDevice(FAKE_PLUGIN.create_simulator(serial_index=0, seed=12, clock=SystemClock()).info)
    async with serve_device(stranger) as running:
        service = DiscoveryService([FAKE_PLUGIN], pinned=lambda _key: None)
        try:
            with pytest.raises(DeviceNotRecognisedError) as caught:
                await service.manual_add(f"127.0.0.1:{running.endpoint.port}")
        finally:
            await service.stop()

    assert "did not answer like a Probe Test vendor" in caught.value.detail
    assert [(r.method, r.path) for r in stranger.requests] == [("GET", "/fake/identity")]
    assert service.inventory.entries() == []


class _BuggyPlugin(FakePlugin):
    async def identify(self, http: httpx.AsyncClient, endpoint: Endpoint) -> DeviceIdentity | None:
        await http.get(f"{endpoint.base_url}/fake/identity")
        raise KeyError("serialNumber")  # a plugin bug, as newer firmware might trigger


async def test_a_plugin_bug_leaves_the_device_listed_unidentified_with_the_reason(
    site: SimulatedSite,
) -> None:
    service = DiscoveryService([_BuggyPlugin()], pinned=lambda _key: None)
    serials = {running.device.info.serial for running in site.devices}
    try:
        await service.start(["127.0.0.1"])
        entries = await wait_for_entries(service.inventory, lambda found: all(
            "could not identify" in e.detail for e in found) and len(found) == 3)
    finally:
        await service.stop()
    assert {entry.candidate.identity.serial for entry in entries} == serials  # as the record claimed
    assert all(not entry.identified and entry.state is DeviceState.DISCOVERED for entry in entries)
    assert {entry.detail for entry in entries} == {"Probe Test vendor could not identify it (KeyError)"}
