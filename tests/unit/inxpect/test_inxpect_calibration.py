"""The calibration wizard controller driven directly against the simulator."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from app.core.clock import ManualClock
from app.core.models import DeviceIdentity
from app.vendors.inxpect.calibration import CalibrationController, CalibrationStep
from app.vendors.inxpect.calibration_export import export_calibration, export_path
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.live import CalibrationQuality
from app.vendors.inxpect.simulator import InxpectSimulator
from tests.unit.inxpect.conftest import last_request


async def test_full_calibration_with_walk_test(
    client: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    controller = CalibrationController(client)
    sim.use_scene("empty")
    clock.advance(3)
    assert (await controller.validate_preconditions()).static
    await controller.validate_start()
    assert controller.step is CalibrationStep.RUNNING
    sim.use_scene("calibration")
    clock.advance(20)
    result = await controller.validate_stop()
    assert result.quality is CalibrationQuality.GOOD
    assert controller.data is not None
    assert controller.data.mse < 200
    coefficient = await controller.validate_save()
    assert json.loads(last_request(sim, "/calibrationStatus")[2]) == {"operation": 3}
    assert coefficient == controller.data.value
    assert controller.step is CalibrationStep.WALK_TEST
    sim.use_scene("site")
    walk = None
    for _ in range(200):
        clock.advance(0.1)
        walk = await controller.validate_walk_test()
        if controller.step is CalibrationStep.DONE:
            break
    assert walk is not None
    assert walk.passed
    assert 7500 <= walk.alarm_at_mm <= 8000  # where the alarm started, a few samples inside the boundary
    assert "as configured" in walk.message


async def test_moving_scene_fails_preconditions(client: InxpectClient, clock: ManualClock) -> None:
    clock.advance(1)
    check = await CalibrationController(client).validate_preconditions()
    assert not check.static
    assert "moving" in check.message


async def test_failed_calibration_offers_retry(
    client: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    controller = CalibrationController(client)
    sim.use_scene("empty")
    await controller.validate_start()
    clock.advance(10)
    result = await controller.validate_stop()
    assert not result.can_save
    assert controller.data is None
    controller.retry()
    assert controller.step is CalibrationStep.PRECONDITIONS


async def test_zone_based_calibration_sends_operation_2_and_saves_like_standard(
    client: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    controller = CalibrationController(client)
    sim.use_scene("empty")
    clock.advance(3)
    await controller.validate_start(zone_based=True)
    assert json.loads(last_request(sim, "/calibrationStatus")[2]) == {"operation": 2}
    assert controller.zone_based
    sim.use_scene("calibration")
    clock.advance(20)
    assert (await controller.validate_stop()).can_save
    coefficient = await controller.validate_save()
    assert sim.config.calibration_coefficient == coefficient


async def test_support_export_holds_the_stop_code_and_every_peak(
    client: InxpectClient, sim: InxpectSimulator, clock: ManualClock, tmp_path: Path
) -> None:
    controller = CalibrationController(client)
    sim.use_scene("empty")
    clock.advance(3)
    await controller.validate_start(zone_based=True)
    sim.use_scene("calibration")
    clock.advance(20)
    result = await controller.validate_stop()
    assert result.code == 0
    peaks = sim.radar.calibration.peaks if sim.radar.calibration else []
    assert peaks
    identity = DeviceIdentity("inxpect", "MSK-101-POE", serial="../20001", firmware="=1+1")
    json_path = export_path(tmp_path, identity, datetime(2026, 12, 5, 21, 0, tzinfo=UTC), ".json")
    assert json_path.parent == tmp_path
    assert json_path.name == "inxpect-calibration-20001-20261205T210000Z.json"
    record = await export_calibration(client, identity, result, json_path, zone_based=True)
    body = json.loads(json_path.read_bytes())
    assert body["operation"] == 2
    assert body["stopErrorCode"] == 0
    assert body["calibrationData"]["peaks"] == peaks
    assert body["calibrationData"]["value"] == record.data.value == sim.radar.calibration.value  # type: ignore[union-attr]
    csv_path = json_path.with_suffix(".csv")
    await export_calibration(client, identity, result, csv_path, zone_based=True)
    rows = list(csv.reader(io.StringIO(csv_path.read_text())))
    assert ["firmware", "'=1+1"] in rows  # device text never runs as a spreadsheet formula
    peak_rows = rows[rows.index(["peak", "value"]) + 1:]
    assert [int(value) for _, value in peak_rows] == peaks
