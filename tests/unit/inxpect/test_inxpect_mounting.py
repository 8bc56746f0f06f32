"""Mounting check against the live position read from the simulated sensor."""

from __future__ import annotations

from app.core.clock import ManualClock
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.mounting import mounting_verdict
from app.vendors.inxpect.simulator import InxpectSimulator
from tests.unit.inxpect.conftest import last_request


async def test_mounting_as_configured(
    client: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    clock.advance(0.1)
    ok, words = mounting_verdict(
        await client.read_position(), await client.read_configuration(), await client.read_installations()
    )
    assert "authorization" in last_request(sim, "/installationConfigurations")[1]
    assert ok
    assert words.startswith("✓ Mounting is right: volumetric")


async def test_tilted_and_turned_sensor_is_flagged(
    client: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    sim.move_sensor(-35, 80)
    clock.advance(0.1)
    position = await client.read_position()
    assert last_request(sim, "/sensorPositionStatus")[0] == "GET"
    ok, words = mounting_verdict(
        position, await client.read_configuration(), await client.read_installations()
    )
    assert not ok
    assert "further down than configured (-15°)" in words
    assert "rotated +80°" in words
