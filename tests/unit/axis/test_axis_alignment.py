"""The alignment session: nudges, undo/redo by inverse rotation, limits, restore and the record."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.backend.history import HistoryEntry
from app.core.errors import InvalidParameterError, NotSupportedError
from app.vendors.axis.alignment import (
    ALIGNMENT_ACTION,
    RESTORE_ACTION,
    AlignmentSession,
    Nudge,
    baseline_from_history,
)
from app.vendors.axis.client import AxisClient
from app.vendors.axis.models import RotationAxis
from app.vendors.axis.simulator import AxisSimulator

from .conftest import stitching_bodies

PAN, TILT, ROLL = RotationAxis.PAN, RotationAxis.TILT, RotationAxis.ROLL


@pytest.fixture
async def session(client: AxisClient) -> AlignmentSession:
    session = AlignmentSession(client, "AXIS Q3819-PVE")
    await session.load()
    return session


def rotations(sim: AxisSimulator) -> list[object]:
    return [b["params"] for b in stitching_bodies(sim) if b["method"] == "rotateAngle"]


async def test_load_reads_capabilities_blending_and_parallax(session: AlignmentSession) -> None:
    assert session.sensor_ids == [0, 1, 2, 3]
    assert (session.blending, session.parallax) == (50.0, 10.0)
    assert not session.changed


async def test_undo_and_redo_send_inverse_and_repeat(session: AlignmentSession, sim: AxisSimulator) -> None:
    await session.nudge(1, PAN, 0.05)
    await session.nudge(1, ROLL, -0.2)
    undone = await session.undo()
    assert undone is not None
    assert undone.nudge == Nudge(1, ROLL, 0.2)
    assert undone.offset == 0.0
    assert session.can_redo
    redone = await session.redo()
    assert redone is not None
    assert redone.offset == pytest.approx(-0.2)
    assert rotations(sim) == [
        {"id": 1, "axis": "pan", "angle": 0.05},
        {"id": 1, "axis": "roll", "angle": -0.2},
        {"id": 1, "axis": "roll", "angle": 0.2},
        {"id": 1, "axis": "roll", "angle": -0.2},
    ]
    assert sim.state.sensors[1].correction == pytest.approx({"pan": 0.05, "tilt": 0.0, "roll": -0.2})
    assert session.offset(1, PAN) == pytest.approx(0.05)


async def test_a_new_nudge_clears_redo(session: AlignmentSession) -> None:
    await session.nudge(0, TILT, 0.1)
    await session.undo()
    await session.nudge(0, PAN, 0.1)
    assert not session.can_redo
    assert await session.redo() is None


async def test_soft_limit_warns_and_hard_limit_refuses_without_sending(
    session: AlignmentSession, sim: AxisSimulator
) -> None:
    result = await session.nudge(2, PAN, 1.5)
    assert "soft limit ±1.4°" in result.warning
    assert session.warning(2, TILT) == ""
    await session.nudge(3, ROLL, 180)
    sent = len(rotations(sim))
    assert "the camera gives for rotateAngle" in session.refusal(Nudge(3, ROLL, 0.01))
    with pytest.raises(InvalidParameterError):
        await session.nudge(3, ROLL, 0.01)
    assert len(rotations(sim)) == sent


async def test_restore_forgets_that_sensors_history_and_rereads_settings(
    session: AlignmentSession, sim: AxisSimulator
) -> None:
    await session.set_blending(0.0)
    await session.nudge(0, PAN, 0.3)
    await session.nudge(1, PAN, 0.2)
    await session.restore(0)
    assert stitching_bodies(sim)[-3]["params"] == {"id": 0}
    assert session.offset(0, PAN) == 0.0
    assert session.offset(1, PAN) == pytest.approx(0.2)
    assert session.blending == 50.0
    undone = await session.undo()
    assert undone is not None
    assert undone.nudge.sensor_id == 1
    assert not session.can_undo


async def test_blending_and_parallax_are_range_checked_before_sending(
    session: AlignmentSession, sim: AxisSimulator
) -> None:
    with pytest.raises(InvalidParameterError):
        await session.set_parallax(60.0)
    await session.set_parallax(25.0)
    assert stitching_bodies(sim)[-1]["params"] == {"parallaxCompensationDistance": 25.0}
    assert sim.state.parallax == 25.0
    assert session.changed


@pytest.mark.parametrize("scenarios", [("parallax_unsupported",)])
async def test_unsupported_methods_have_a_reason(session: AlignmentSession) -> None:
    assert session.parallax is None
    assert "does not support setParallaxCompensationDistance" in session.unsupported_reason(
        "setParallaxCompensationDistance"
    )
    assert session.unsupported_reason("rotateAngle") == ""
    with pytest.raises(NotSupportedError):
        await session.set_parallax(5.0)


async def test_record_and_baseline_round_trip(session: AlignmentSession, client: AxisClient) -> None:
    await session.nudge(2, TILT, -0.15)
    record = session.record("3.0")
    assert record["sensors"]["2"] == {"pan": 0.0, "tilt": -0.15, "roll": 0.0}
    assert record["blendingAmount"] == 50.0
    assert record["parallaxCompensationDistance"] == 10.0
    now = datetime.now(UTC)
    entries = [
        HistoryEntry("axis:X", now, RESTORE_ACTION, "done", {"sensor": 1}),
        HistoryEntry("axis:X", now, ALIGNMENT_ACTION, "recorded", record),
    ]
    baseline = baseline_from_history(entries)
    assert baseline[2][TILT] == -0.15
    assert 1 not in baseline
    resumed = AlignmentSession(client, "AXIS Q3819-PVE", baseline)
    await resumed.load()
    assert resumed.offset(2, TILT) == -0.15
