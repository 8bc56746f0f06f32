"""SiteConnections: one connection per row, not two at once, followed when the device moves, then dropped."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.certificates import CertificateDetails
from app.core.clock import ManualClock, SystemClock
from app.core.errors import CertificateChangedError
from app.core.models import Credentials, DeviceCandidate, DeviceIdentity, DeviceState, Endpoint
from app.core.progress import ProgressReporter
from app.discovery.identify import Identification
from app.sim.certs import make_self_signed
from app.sim.server import serve_device
from app.site.connection import OPEN_STAGES, ConnectionState, DeviceConnection
from app.site.connections import DeviceMoved, OpenRefused, SiteConnections
from app.site.prompts import TrustQuestion
from app.vendors.audiocodes.plugin import PLUGIN as AUDIOCODES
from app.vendors.registry import plugin_for
from tests.unit.site.support import FakePrompts, Site, make_site, row_for

S = ConnectionState


@dataclass
class GatedPrompts(FakePrompts):
    """FakePrompts whose trust question waits until `gate` is set."""

    gate: asyncio.Event = field(default_factory=asyncio.Event)

    async def decide_trust(self, question: TrustQuestion) -> bool:
        """The fixed trust answer, once the gate opens."""
        await self.gate.wait()
        return await super().decide_trust(question)


def camera(serial_index: int) -> Any:
    return plugin_for("axis").create_simulator(serial_index=serial_index, seed=3, clock=ManualClock())


def seen_at(device: Any, endpoint: Endpoint) -> DeviceCandidate:
    return DeviceCandidate(endpoint, DeviceIdentity("axis", device.info.model, device.info.serial), True)


def registry(site: Site) -> tuple[SiteConnections, list[DeviceMoved]]:
    moves: list[DeviceMoved] = []
    return SiteConnections(site.connector, moved=moves.append), moves


def started(connections: SiteConnections, key: str) -> DeviceConnection:
    connection = connections.start(key)
    assert isinstance(connection, DeviceConnection), connection
    return connection


def test_an_unknown_or_unidentified_row_is_refused_with_its_reason(tmp_path: Path) -> None:
    site = make_site(tmp_path, FakePrompts())
    connections, _ = registry(site)
    endpoint = Endpoint("127.0.0.1", 8443)
    unknown = DeviceCandidate(endpoint, DeviceIdentity("", ""), identified=False)
    found = site.inventory.observe(Identification(unknown, None, reachable=True, reason="no answer on /"),
                                   source="test:unknown")
    assert connections.start("axis:NOPE") == OpenRefused("warning", "This device is no longer in the list.")
    refused = connections.start(found.key)
    assert refused == OpenRefused("warning", "127.0.0.1:8443 is not identified: no answer on /.")
    assert connections.keys() == []


async def test_a_second_open_is_refused_while_the_first_asks(tmp_path: Path) -> None:
    device = camera(21)
    prompts = GatedPrompts(trust=False)
    site = make_site(tmp_path, prompts)
    connections, _ = registry(site)
    async with serve_device(device) as running:
        key = row_for(site, seen_at(device, running.endpoint))
        first = started(connections, key)
        opening = asyncio.ensure_future(first.open(ProgressReporter(OPEN_STAGES)))
        while first.state is not S.AWAITING_TRUST:
            await asyncio.sleep(0.01)
        assert connections.start(key) == OpenRefused("info", "This device is already being opened.")
        prompts.gate.set()
        assert await opening is None
    assert first.state is S.DECLINED
    assert connections.keys() == []  # a declined open leaves nothing behind
    assert isinstance(connections.start(key), DeviceConnection)  # and the device can be opened again


async def test_an_open_device_seen_elsewhere_is_followed_and_reopened_there(tmp_path: Path) -> None:
    device = camera(22)
    prompts = FakePrompts(credentials=Credentials(device.info.username, device.info.password))
    site = make_site(tmp_path, prompts)
    connections, moves = registry(site)
    certificate = make_self_signed("camera", organization="axis", hosts=("127.0.0.1",))
    async with serve_device(device, certificate=certificate) as old, \
            serve_device(device, certificate=certificate) as new:
        key = row_for(site, seen_at(device, old.endpoint))
        connection = started(connections, key)
        first = await connection.open(ProgressReporter(OPEN_STAGES))
        assert first is not None
        row_for(site, seen_at(device, old.endpoint))  # seen again where it was: not a move
        assert moves == []

        row_for(site, seen_at(device, new.endpoint))
        assert [(m.key, m.connection) for m in moves] == [(key, connection)]
        assert moves[0].message.endswith(f"moved to 127.0.0.1:{new.endpoint.port}; reconnecting there.")
        assert connection.state is S.MOVED
        assert connection.opened is None
        await first.aclose()  # the old session closes after the move: the connection stays with the device
        assert connection.state is S.MOVED
        assert connections.get(key) is connection

        asked = len(prompts.asked)
        second = await connection.open(ProgressReporter(OPEN_STAGES))
        assert second is not None
        assert second.endpoint == new.endpoint
        assert connection.state is S.OPEN
        assert len(prompts.asked) == asked  # same pin, remembered credentials: no question at the new address
        moved = [e for e in site.history.entries(key) if e.action == "Address"]
        assert [(e.result, e.detail["to"]) for e in moved] == [("moved", new.endpoint.base_url)]
        await second.aclose()
    assert connection.state is S.CLOSED
    assert connections.keys() == []  # closing the device forgets its connection


async def test_a_closed_registry_follows_nothing(tmp_path: Path) -> None:
    device = camera(23)
    prompts = FakePrompts(credentials=Credentials(device.info.username, device.info.password))
    site = make_site(tmp_path, prompts)
    connections, moves = registry(site)
    async with serve_device(device) as running:
        key = row_for(site, seen_at(device, running.endpoint))
        connection = started(connections, key)
        opened = await connection.open(ProgressReporter(OPEN_STAGES))
        assert opened is not None
        connections.close()
        row_for(site, seen_at(device, Endpoint("127.0.0.1", running.endpoint.port + 1)))
        assert moves == []
        assert connection.state is S.OPEN
        await opened.aclose()


async def test_a_row_re_keyed_at_login_keeps_its_connection_under_the_serial(tmp_path: Path) -> None:
    sbc = AUDIOCODES.create_simulator(serial_index=12, seed=1, clock=SystemClock())
    prompts = FakePrompts(credentials=Credentials(sbc.info.username, sbc.info.password))
    site = make_site(tmp_path, prompts)
    connections, _ = registry(site)
    served = make_self_signed("sbc.site.example", organization="Site CA")  # no serial in the certificate
    async with serve_device(sbc, certificate=served) as running:
        mediant = DeviceIdentity("audiocodes", "Mediant")  # what the probe learns: no serial
        candidate = DeviceCandidate(running.endpoint, mediant, identified=True)
        found_as = row_for(site, candidate)
        connection = started(connections, found_as)
        opened = await connection.open(ProgressReporter(OPEN_STAGES))
        assert opened is not None
        serial_key = f"audiocodes:{sbc.info.serial}"
        assert connection.row_key == serial_key
        assert connections.keys() == [serial_key]
        assert site.inventory.get(found_as) is None
        assert site.states(serial_key) is DeviceState.ONLINE
        await opened.aclose()
    assert connections.keys() == []


def test_a_certificate_changed_mid_session_marks_the_row_and_is_explained_once(tmp_path: Path) -> None:
    site = make_site(tmp_path, FakePrompts())
    connections, _ = registry(site)
    identity = DeviceIdentity("axis", "P3818", "ACCC8E0A0A0A")
    candidate = DeviceCandidate(Endpoint("127.0.0.1", 8443), identity, identified=True)
    key = row_for(site, candidate)
    other = CertificateDetails.from_der(make_self_signed("x", organization="y").cert_der)
    error = CertificateChangedError("changed", certificate=other, identity=key, trusted_fingerprint="ab")
    message = connections.certificate_changed(error)
    assert message is not None
    assert message.startswith("The certificate of P3818 (ACCC8E0A0A0A) at 127.0.0.1:8443 changed.")
    assert site.states(key) is DeviceState.CERTIFICATE_CHANGED
    assert connections.certificate_changed(error) is None


def test_a_row_merged_away_by_another_takes_its_connection_with_it(tmp_path: Path) -> None:
    site = make_site(tmp_path, FakePrompts())
    connections, _ = registry(site)
    by_mac = DeviceIdentity("axis", "P3818", mac="AC:CC:8E:0A:0A:0B")
    key = row_for(site, DeviceCandidate(Endpoint("127.0.0.1", 8443), by_mac, identified=True))
    started(connections, key)
    no_serial_yet = DeviceIdentity("axis", "P3818")
    other = row_for(site, DeviceCandidate(Endpoint("127.0.0.1", 9443), no_serial_yet, identified=True))
    with_serial = DeviceIdentity("axis", "P3818", serial="B8A44F000001", mac=by_mac.mac)
    site.inventory.learn_identity(other, with_serial, DeviceState.ONLINE)  # the MAC row merges into it
    assert site.inventory.get(key) is None
    assert connections.keys() == []
