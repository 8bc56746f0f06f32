"""Relays and the directory import against a simulated intercom served over HTTPS on loopback (Digest)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.backend.session import pinned_client
from app.core.clock import SystemClock
from app.core.models import Credentials
from app.core.paths import resource
from app.core.progress import ProgressReporter
from app.sim.server import RunningDevice, serve_device
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.directory_csv import guess_mapping, parse_rows, read_table
from app.vendors.two_n.directory_import import IMPORT_STAGES, import_directory, plan_import, read_directory
from app.vendors.two_n.errors import TwoNInvalidParameterError
from app.vendors.two_n.io_control import drive_output, read_ports
from app.vendors.two_n.models import IoAction
from app.vendors.two_n.simulator import TwoNSimulator


@pytest.fixture
async def intercom() -> AsyncIterator[tuple[TwoNSimulator, TwoNClient]]:
    sim = TwoNSimulator(serial_index=1, seed=4, clock=SystemClock())
    running: RunningDevice
    async with serve_device(sim) as running, pinned_client(running.certificate.cert_der) as http:
        yield sim, TwoNClient(http, running.endpoint, Credentials(sim.info.username, sim.info.password))


async def test_the_sample_list_is_imported_over_https(intercom: tuple[TwoNSimulator, TwoNClient]) -> None:
    sim, client = intercom
    table = read_table(resource("two_n", "residents.csv").read_bytes())
    rows = parse_rows(table, guess_mapping(table.headers))
    plan = plan_import(rows, await read_directory(client), delete_missing=True)
    result = await import_directory(client, plan, ProgressReporter(IMPORT_STAGES))
    assert (result.failed, result.mismatches) == ((), ())
    names = sorted(e.text("name") for e in await read_directory(client))
    assert names == sorted(r.name for r in rows.rows)
    creates = [r for r in sim.requests.for_path("/api/dir/create") if r.status == 200]
    assert creates[-1].headers["authorization"].startswith("Digest ")
    assert [u["name"] for u in creates[-1].json()["users"]] == ["Eva Horakova", "Tomas Kral"]


async def test_an_output_is_driven_over_https(intercom: tuple[TwoNSimulator, TwoNClient]) -> None:
    sim, client = intercom
    ports = await read_ports(client)
    assert [(p.port, p.kind) for p in ports] == [
        ("input1", "input"), ("tamper", "input"), ("relay1", "output")]
    assert await drive_output(client, "relay1", IoAction.ON) == 1
    assert sim.ports.outputs["relay1"] is True
    with pytest.raises(TwoNInvalidParameterError):
        await client.io_control("tamper", IoAction.ON)
    assert sim.ports.inputs["tamper"] is False
