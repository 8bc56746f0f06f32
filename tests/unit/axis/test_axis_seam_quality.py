"""The seam figure falls as a tilt nudge aligns a seam in the simulated camera, and rises past it."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from app.vendors.axis.client import AxisClient
from app.vendors.axis.models import RotationAxis
from app.vendors.axis.seam_quality import BestSeams, SeamFigure, seam_figures, seam_hint, seam_mismatch
from app.vendors.axis.simulator import AxisSimulator

SENSORS = [0, 1, 2, 3]
STEP = 0.2


async def zero_every_sensor(client: AxisClient, sim: AxisSimulator) -> None:
    """Undo the simulated mounting errors so every sensor points where perfect alignment would."""
    for sensor_id, sensor in sim.state.sensors.items():
        for axis in RotationAxis:
            await client.rotate_angle(sensor_id, axis, -sensor.effective(axis.value))


async def sweep(client: AxisClient, sensor_id: int, start: float, steps: int) -> list[float]:
    """The figure of the seam left of `sensor_id` as that sensor tilts from `start` degrees in STEP nudges."""
    await client.rotate_angle(sensor_id, RotationAxis.TILT, start)
    figures = []
    for _ in range(steps):
        figure = seam_figures(await client.snapshot(), SENSORS)[sensor_id - 1]
        assert (figure.left_sensor, figure.right_sensor) == (sensor_id - 1, sensor_id)
        figures.append(figure.mismatch)
        await client.rotate_angle(sensor_id, RotationAxis.TILT, STEP)
    await client.rotate_angle(sensor_id, RotationAxis.TILT, -(start + steps * STEP))
    return figures


def strictly_falling(values: list[float]) -> bool:
    return all(later < earlier for earlier, later in itertools.pairwise(values))


@pytest.mark.parametrize("sensor_id", [1, 2, 3])
async def test_the_figure_falls_as_a_tilt_nudge_aligns_the_seam_and_rises_past_it(
    client: AxisClient, sim: AxisSimulator, sensor_id: int
) -> None:
    await client.login()
    await zero_every_sensor(client, sim)
    towards = await sweep(client, sensor_id, -1.0, 6)  # -1.0, -0.8, ... 0.0 degrees off
    away = await sweep(client, sensor_id, 0.0, 6)  # 0.0, 0.2, ... 1.0 degrees off
    assert strictly_falling(towards), towards
    assert strictly_falling(away[::-1]), away
    assert towards[-1] == pytest.approx(away[0], abs=0.01)


async def test_the_other_seams_do_not_move_when_one_sensor_is_nudged(
    client: AxisClient, sim: AxisSimulator
) -> None:
    await client.login()
    before = seam_figures(await client.snapshot(), SENSORS)
    await client.rotate_angle(3, RotationAxis.TILT, 0.5)
    after = seam_figures(await client.snapshot(), SENSORS)
    # JPEG re-encoding moves an untouched seam by noise only; the touched seam moves by several levels.
    moved = [abs(a.mismatch - b.mismatch) >= 0.5 for a, b in zip(before, after, strict=True)]
    assert moved == [False, False, True]


def test_a_seamless_picture_scores_zero_and_a_shifted_half_scores_the_jump() -> None:
    stripes = np.tile((np.arange(20, dtype=np.float32) % 3 * 40)[:, None], (1, 80))
    assert seam_mismatch(stripes, 2) == [0.0]
    stepped = np.zeros((20, 80), dtype=np.float32)
    stepped[:, 40:] = 30.0
    assert seam_mismatch(stepped, 2) == [30.0]


def test_best_so_far_keeps_the_lowest_per_seam_and_the_hint_says_so() -> None:
    best = BestSeams()
    best.update([SeamFigure(0, 1, 20.0), SeamFigure(1, 2, 9.0)])
    lowest = best.update([SeamFigure(0, 1, 12.0), SeamFigure(1, 2, 14.0)])
    assert lowest == {(0, 1): 12.0, (1, 2): 9.0}
    assert seam_hint(SeamFigure(0, 1, 12.0), lowest[(0, 1)]) == "Seam 0|1: 12.0  ✓ best so far"
    assert seam_hint(SeamFigure(1, 2, 14.0), lowest[(1, 2)]) == "Seam 1|2: 14.0  (best so far 9.0)"
    best.reset()
    assert best.update([SeamFigure(1, 2, 14.0)]) == {(1, 2): 14.0}
