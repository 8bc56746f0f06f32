"""The stitching preview: one snapshot and each seam's mismatch figure, read off the GUI thread (Qt-free)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from app.vendors.axis.client import AxisClient
from app.vendors.axis.seam_quality import SeamFigure, seam_figures


@dataclass(frozen=True, slots=True)
class StitchedPreview:
    """A stitched JPEG snapshot and each seam's figure; `figures` is None when the JPEG cannot be read."""

    jpeg: bytes
    sensor_count: int
    figures: tuple[SeamFigure, ...] | None


async def read_preview(client: AxisClient, sensor_ids: Sequence[int]) -> StitchedPreview:
    """A fresh snapshot with the mismatch of each seam between `sensor_ids`, computed in a worker thread."""
    data = await client.snapshot()
    figures: tuple[SeamFigure, ...] | None
    try:
        figures = tuple(await asyncio.to_thread(seam_figures, data, sensor_ids))
    except (OSError, ValueError):  # not a picture PIL can read (UnidentifiedImageError is an OSError)
        figures = None
    return StitchedPreview(data, len(sensor_ids), figures)
