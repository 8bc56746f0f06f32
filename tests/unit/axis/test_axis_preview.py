"""read_preview: a snapshot with each seam's figure, as the panel shows them; a snapshot that is not a
picture comes back without figures instead of failing the preview."""

from __future__ import annotations

import pytest

from app.vendors.axis.client import AxisClient
from app.vendors.axis.preview import read_preview
from app.vendors.axis.seam_quality import seam_figures

SENSORS = [0, 1, 2, 3]


async def test_a_preview_is_the_snapshot_and_one_figure_per_seam(client: AxisClient) -> None:
    preview = await read_preview(client, SENSORS)
    assert preview.jpeg.startswith(b"\xff\xd8")
    assert preview.sensor_count == 4
    assert preview.figures is not None
    assert [(f.left_sensor, f.right_sensor) for f in preview.figures] == [(0, 1), (1, 2), (2, 3)]
    assert list(preview.figures) == seam_figures(preview.jpeg, SENSORS)


async def test_a_snapshot_that_is_not_a_picture_has_no_figures(
    client: AxisClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def garbled() -> bytes:
        return b"<html>not a jpeg</html>"

    monkeypatch.setattr(client, "snapshot", garbled)
    preview = await read_preview(client, SENSORS)
    assert preview.figures is None
    assert preview.jpeg == b"<html>not a jpeg</html>"
