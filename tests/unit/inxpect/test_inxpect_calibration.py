"""The calibration wizard controller driven directly against the simulator."""

from __future__ import annotations

import json

from app.core.clock import ManualClock
from app.vendors.inxpect.calibration import CalibrationController, CalibrationStep
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
