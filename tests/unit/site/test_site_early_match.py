"""Devices are matched to the plan before any login, as far as what they tell without credentials allows,
and again when a login tells more."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from app.core.clock import SystemClock
from app.core.models import Credentials, DeviceCandidate, DeviceIdentity, DiscoveryRecord, Endpoint
from app.core.progress import ProgressReporter
from app.discovery.identify import Identification, Identifier
from app.discovery.service import address_source
from app.sim.certs import DeviceCertificate, make_self_signed
from app.sim.server import serve_device
from app.site.connection import OPEN_STAGES, DeviceConnection
from app.site.plan import PlanRow
from app.site.visit_state import matchable_devices, visit_state
from app.vendors.audiocodes.plugin import PLUGIN as MEDIANT
from app.vendors.inxpect.plugin import PLUGIN as RADAR
from tests.unit.site.support import FakePrompts, Site, make_site


def _matches(rows: tuple[PlanRow, ...], site: Site) -> list[tuple[str, str, str]]:
    state = visit_state(rows, matchable_devices(site.inventory.entries()), site.history)
    return [(m.row.name, m.by, m.device.key if m.device else "") for m in state.matching.planned]


async def test_mediants_match_by_factory_certificate_or_address_before_login_then_by_serial(
    tmp_path: Path,
) -> None:
    factory = MEDIANT.create_simulator(serial_index=8, seed=8, clock=SystemClock())
    customer = MEDIANT.create_simulator(serial_index=9, seed=9, clock=SystemClock())
    prompts = FakePrompts(credentials=Credentials(customer.info.username, customer.info.password))
    site = make_site(tmp_path, prompts)
    pair = factory.served_certificate()
    served = DeviceCertificate(pair.key_pem, pair.cert_pem, pair.cert_der)  # its "ACL_<serial>" one
    ca_issued = make_self_signed("sbc.site.example", organization="Site CA")
    async with (serve_device(factory, certificate=served) as f,
                serve_device(customer, certificate=ca_issued) as c):
        identifier = Identifier([MEDIANT])
        for running in (f, c):
            result = await identifier.identify_endpoint(running.endpoint)
            site.inventory.observe(result, source=address_source(running.endpoint))
        rows = (PlanRow(2, "SBC-01", serial=factory.info.serial),
                PlanRow(3, "SBC-02", serial=customer.info.serial, mac=customer.info.mac,
                        address=f"{c.endpoint.host}:{c.endpoint.port}"))

        before = _matches(rows, site)

        [unknown] = [e for e in site.inventory.entries() if not e.candidate.identity.serial]
        connection = DeviceConnection(site.connector, unknown.key, unknown.candidate)
        opened = await connection.open(ProgressReporter(OPEN_STAGES))
        assert opened is not None
        await opened.aclose()
        after = _matches(rows, site)

    assert before == [("SBC-01", "serial", f"audiocodes:{factory.info.serial}"),
                      ("SBC-02", "address", unknown.key)]
    assert after == [("SBC-01", "serial", f"audiocodes:{factory.info.serial}"),
                     ("SBC-02", "serial", f"audiocodes:{customer.info.serial}")]


def test_a_radar_announced_over_mdns_matches_by_its_host_names_serial_while_still_being_identified(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path, FakePrompts())
    record = DiscoveryRecord("_https._tcp.local.", "msk101poe-20000._https._tcp.local.",
                             "msk101poe-20000.local.", ("127.0.0.1",), 8443)
    claimed = RADAR.match(record)
    assert claimed is not None
    listed = dataclasses.replace(claimed, identified=False)  # as discovery lists it before the probe
    site.inventory.observe(Identification(listed, RADAR), source="mdns:msk101poe-20000")
    unknown = DeviceCandidate(Endpoint("127.0.0.1", 9443), DeviceIdentity(vendor="inxpect", model=""))
    site.inventory.observe(Identification(unknown, RADAR, "no answer", reachable=False), source="addr:x")
    rows = (PlanRow(2, "RAD-01", serial="20000"), PlanRow(3, "RAD-02", address="127.0.0.1:9443"))

    assert _matches(rows, site) == [("RAD-01", "serial", "inxpect:20000"), ("RAD-02", "", "")]
