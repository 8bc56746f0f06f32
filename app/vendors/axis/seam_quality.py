"""Seam quality from a stitched preview: how much the picture jumps at each seam, lower is better.

The camera hands out only the stitched snapshot, not the overlapping sensor strips, so the figure is read
from the snapshot: the columns either side of a seam are compared in pairs mirrored about it (the column
just left with the column just right, the second left with the second right, ...) over a band of
1/40 of the width (48 px of a 1920 px preview). Where neighbouring sensors agree the picture runs on
smoothly and mirrored columns differ little; a pan, tilt or roll misalignment shifts one side and the
difference grows. The figure is their mean absolute difference in grey levels (0-255). It never reaches
0 on a real scene (the scene itself changes across the band), so the technician nudges until it stops
falling and keeps the best. Measured on the simulated camera: it falls strictly as a tilt nudge nears
alignment at every seam tried, mostly for roll, but it barely follows pan (a horizontal shift swaps one
texture for a similar one, and near and far objects want different pans), so pan is judged by eye.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

#: Band either side of a seam as a fraction of the panorama width (48 px of 1920; wider follows roll better).
BAND_FRACTION = 1 / 40


@dataclass(frozen=True, slots=True)
class SeamFigure:
    """One seam's mismatch in grey levels (0-255): 0 when the two sides mirror exactly, lower is better."""

    left_sensor: int
    right_sensor: int
    mismatch: float


def seam_positions(width: int, sensor_count: int) -> list[int]:
    """x of each seam in a panorama of `width` pixels split evenly between `sensor_count` sensors."""
    # Assumption: the document gives no seam positions; equal sensor widths is what the preview shows.
    return [round(width * i / sensor_count) for i in range(1, sensor_count)]


def grey_from_jpeg(data: bytes) -> np.ndarray:
    """The snapshot's luminance as a float32 array (rows, columns); JPEG draft mode decodes only the luma."""
    with Image.open(io.BytesIO(data)) as image:
        image.draft("L", image.size)
        return np.asarray(image.convert("L"), dtype=np.float32)


def seam_mismatch(grey: np.ndarray, sensor_count: int) -> list[float]:
    """Mismatch (grey levels, lower is better) at each seam of a grey panorama, left to right."""
    width = grey.shape[1]
    band_px = max(1, round(width * BAND_FRACTION))
    figures = []
    for seam in seam_positions(width, sensor_count):
        band = max(1, min(band_px, seam, width - seam))
        left = grey[:, seam - band : seam][:, ::-1]  # mirrored: k-th column left pairs with k-th right
        right = grey[:, seam : seam + band]
        figures.append(float(np.abs(right - left).mean()))
    return figures


def seam_figures(data: bytes, sensor_ids: Sequence[int]) -> list[SeamFigure]:
    """Each seam's figure from a JPEG snapshot; a few ms of CPU, so callers run it off the GUI thread."""
    mismatches = seam_mismatch(grey_from_jpeg(data), len(sensor_ids))
    return [SeamFigure(sensor_ids[i], sensor_ids[i + 1], value) for i, value in enumerate(mismatches)]


class BestSeams:
    """The lowest figure seen per seam since the last reset, so the technician knows when to stop."""

    def __init__(self) -> None:
        self._best: dict[tuple[int, int], float] = {}

    def update(self, figures: Sequence[SeamFigure]) -> dict[tuple[int, int], float]:
        """Take in a new preview's figures; returns the best per (left, right) sensor pair so far."""
        for figure in figures:
            key = (figure.left_sensor, figure.right_sensor)
            self._best[key] = min(self._best.get(key, figure.mismatch), figure.mismatch)
        return dict(self._best)

    def reset(self) -> None:
        """Forget the bests (blending or parallax changed, or a sensor was restored: a new baseline)."""
        self._best.clear()


def seam_hint(figure: SeamFigure, best: float) -> str:
    """A plain line for one seam: its figure, and whether it is the best so far or how far above it."""
    name = f"Seam {figure.left_sensor}|{figure.right_sensor}: {figure.mismatch:.1f}"
    # Half a grey level is below what JPEG noise lets the figure resolve.
    if figure.mismatch <= best + 0.5:
        return f"{name}  ✓ best so far"
    return f"{name}  (best so far {best:.1f})"
