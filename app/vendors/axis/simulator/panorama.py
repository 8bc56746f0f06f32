"""A synthetic panorama as a four-sensor camera would stitch it: seams move with each sensor's offsets.

The scene has two depth layers (a street of buildings at 30 m, a fence and lamp posts at 4 m). Each
sensor renders its slice of the scene through its own pan, tilt and roll error; the parallax between
neighbouring sensors shifts each layer by an amount that vanishes at the compensation distance; seams
are cut sharp (blending 0) or cross-faded over up to OVERLAP_PX pixels (blending 100).
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

WIDTH = 1920
HEIGHT = 540
FIELD_OF_VIEW_DEG = 180.0
MARGIN_PX = 64
OVERLAP_PX = 36
BACKGROUND_DISTANCE_M = 30.0
FOREGROUND_DISTANCE_M = 4.0
#: Pixel shift between neighbouring sensors per 1/m of depth mismatch (an ~8 cm lens baseline).
PARALLAX_PX_M = 44.0


@dataclass(frozen=True, slots=True)
class SensorView:
    """Where one sensor image points relative to perfect alignment (degrees) and its colour balance."""

    pan: float
    tilt: float
    roll: float
    gains: tuple[float, float, float] = (1.0, 1.0, 1.0)


class PanoramaRenderer:
    """Renders JPEG snapshots of one seeded scene through a set of sensor views."""

    def __init__(self, seed: int, width: int = WIDTH, height: int = HEIGHT) -> None:
        self.width = width
        self.height = height
        self.pixels_per_degree = width / FIELD_OF_VIEW_DEG
        rng = random.Random(seed)
        self._background = _draw_background(rng, width + 2 * MARGIN_PX, height + 2 * MARGIN_PX)
        self._foreground = _draw_foreground(rng, width + 2 * MARGIN_PX, height + 2 * MARGIN_PX)
        self._slices: dict[int, tuple[tuple[SensorView, float, int], Image.Image]] = {}

    def seam_positions(self, sensor_count: int) -> list[int]:
        """x of each seam between neighbouring sensors, in pixels of the full-size panorama."""
        return [round(self.width * i / sensor_count) for i in range(1, sensor_count)]

    def render(self, views: Sequence[SensorView], blending: float, parallax_m: float) -> Image.Image:
        """The stitched panorama for these sensor views, blending amount (0-100) and parallax distance."""
        count = len(views)
        bounds = [round(self.width * i / count) for i in range(count + 1)]
        slices = [self._cached_slice(i, views[i], bounds, parallax_m) for i in range(count)]
        half = max(0.0, min(blending, 100.0)) / 100.0 * OVERLAP_PX / 2
        return Image.fromarray(_stitch(slices, bounds, half))

    def render_jpeg(
        self,
        views: Sequence[SensorView],
        blending: float,
        parallax_m: float,
        size: tuple[int, int] | None = None,
        quality: int = 85,
    ) -> bytes:
        """`render` encoded as JPEG, scaled to `size` when given."""
        image = self.render(views, blending, parallax_m)
        if size is not None and size != image.size:
            image = image.resize(size, Image.Resampling.BILINEAR)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        return buffer.getvalue()

    def _cached_slice(
        self, index: int, view: SensorView, bounds: list[int], parallax_m: float
    ) -> Image.Image:
        """A nudge changes one sensor: the other slices come from the cache."""
        key = (view, parallax_m, len(bounds))
        cached = self._slices.get(index)
        if cached is not None and cached[0] == key:
            return cached[1]
        image = self._render_slice(index, view, bounds, parallax_m)
        self._slices[index] = (key, image)
        return image

    def _render_slice(
        self, index: int, view: SensorView, bounds: list[int], parallax_m: float
    ) -> Image.Image:
        left = max(0, bounds[index] - OVERLAP_PX)
        right = min(self.width, bounds[index + 1] + OVERLAP_PX)
        centre_x = (bounds[index] + bounds[index + 1]) / 2
        side = index - (len(bounds) - 2) / 2
        size = (right - left, self.height)
        shift_bg = PARALLAX_PX_M * side * (1 / BACKGROUND_DISTANCE_M - 1 / parallax_m)
        shift_fg = PARALLAX_PX_M * side * (1 / FOREGROUND_DISTANCE_M - 1 / parallax_m)
        image = self._background.transform(
            size,
            Image.Transform.AFFINE,
            self._affine(view, left, centre_x, shift_bg),
            Image.Resampling.NEAREST,
            fillcolor=(0, 0, 0),
        )
        fence = self._foreground.transform(
            size,
            Image.Transform.AFFINE,
            self._affine(view, left, centre_x, shift_fg),
            Image.Resampling.NEAREST,
        )
        image.paste(fence, (0, 0), fence)
        if view.gains != (1.0, 1.0, 1.0):
            image = image.point(_gain_table(view.gains))
        return image

    def _affine(self, view: SensorView, left: int, centre_x: float, shift_px: float) -> tuple[float, ...]:
        """Output slice pixel -> scene pixel: rotate by roll about the sensor centre, then pan/tilt."""
        roll = math.radians(view.roll)
        cos_r, sin_r = math.cos(roll), math.sin(roll)
        centre_y = self.height / 2
        dx0 = left - centre_x
        pan_px = view.pan * self.pixels_per_degree + shift_px
        tilt_px = view.tilt * self.pixels_per_degree
        c = cos_r * dx0 + sin_r * centre_y + centre_x + pan_px + MARGIN_PX
        f = sin_r * dx0 - cos_r * centre_y + centre_y - tilt_px + MARGIN_PX
        return (cos_r, -sin_r, c, sin_r, cos_r, f)


def _stitch(slices: list[Image.Image], bounds: list[int], half: float) -> np.ndarray:
    """Paste each slice's own part and cross-fade `half` pixels either side of every seam."""
    height = slices[0].height
    panorama = np.zeros((height, bounds[-1], 3), dtype=np.uint8)
    arrays = [np.asarray(s) for s in slices]
    offsets = [max(0, bounds[i] - OVERLAP_PX) for i in range(len(slices))]
    for i, array in enumerate(arrays):
        x0, x1 = bounds[i], bounds[i + 1]
        panorama[:, x0:x1] = array[:, x0 - offsets[i] : x1 - offsets[i]]
    width = math.floor(half)
    if width < 1:
        return panorama
    for i in range(1, len(slices)):
        seam = bounds[i]
        xs = np.arange(seam - width, seam + width)
        ramp = ((xs - (seam - width) + 0.5) / (2 * width)).astype(np.float32)[None, :, None]
        left = arrays[i - 1][:, xs - offsets[i - 1]].astype(np.float32)
        right = arrays[i][:, xs - offsets[i]].astype(np.float32)
        panorama[:, seam - width : seam + width] = (left * (1 - ramp) + right * ramp).astype(np.uint8)
    return panorama


def _gain_table(gains: tuple[float, float, float]) -> list[int]:
    return [min(255, round(v * g)) for g in gains for v in range(256)]


def _draw_background(rng: random.Random, width: int, height: int) -> Image.Image:
    """Sky, hills, a row of buildings with window grids, and a road with lane markings."""
    sky = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    top, low = np.array([70, 120, 190], np.float32), np.array([200, 220, 235], np.float32)
    gradient = (top * (1 - sky) + low * sky)[:, None, :].repeat(width, axis=1)
    image = Image.fromarray(gradient.astype(np.uint8).reshape(height, width, 3))
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.62)
    _draw_hills(draw, rng, width, horizon)
    x = rng.randint(-40, 0)
    while x < width:
        x = _draw_building(draw, rng, x, horizon, height) + rng.randint(6, 26)
    draw.rectangle((0, horizon, width, height), fill=(86, 88, 92))
    draw.rectangle((0, horizon, width, horizon + 6), fill=(180, 178, 170))
    lane_y = horizon + (height - horizon) // 2
    for start in range(0, width, 70):
        draw.rectangle((start, lane_y - 3, start + 40, lane_y + 3), fill=(240, 240, 235))
    return image


def _draw_hills(draw: ImageDraw.ImageDraw, rng: random.Random, width: int, horizon: int) -> None:
    phases = [rng.uniform(0, math.tau) for _ in range(3)]
    points: list[tuple[float, float]] = [(0, horizon)]
    for x in range(0, width + 8, 8):
        bump = sum(
            math.sin(x / period + phase) * amp
            for period, amp, phase in zip((310, 120, 47), (38, 16, 6), phases, strict=True)
        )
        points.append((x, horizon - 110 - bump))
    points.append((width, horizon))
    draw.polygon(points, fill=(96, 130, 104))


def _draw_building(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, horizon: int, height: int) -> int:
    """One building with a window grid; returns its right edge."""
    wide = rng.randint(70, 170)
    tall = rng.randint(int(height * 0.2), int(height * 0.5))
    shade = rng.choice([(150, 92, 72), (176, 160, 130), (120, 124, 136), (196, 186, 160), (140, 110, 96)])
    draw.rectangle((x, horizon - tall, x + wide, horizon), fill=shade, outline=(40, 40, 40), width=2)
    window = (38, 52, 70) if rng.random() < 0.6 else (230, 210, 120)
    for wy in range(horizon - tall + 14, horizon - 20, 28):
        for wx in range(x + 10, x + wide - 16, 24):
            draw.rectangle((wx, wy, wx + 12, wy + 16), fill=window)
    return x + wide


def _draw_foreground(rng: random.Random, width: int, height: int) -> Image.Image:
    """A fence with posts and two rails, and lamp posts, on a transparent layer."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    rail_top, rail_low = int(height * 0.80), int(height * 0.90)
    post_color = (52, 44, 36, 255)
    for y in (rail_top, rail_low):
        draw.rectangle((0, y, width, y + 7), fill=(120, 90, 60, 255))
    for x in range(rng.randint(0, 30), width, 58):
        draw.rectangle((x, rail_top - 26, x + 9, height), fill=post_color)
    for x in range(rng.randint(80, 200), width, rng.randint(330, 420)):
        draw.rectangle((x, int(height * 0.18), x + 7, height), fill=(30, 30, 34, 255))
        draw.rectangle((x - 22, int(height * 0.18), x + 7, int(height * 0.18) + 8), fill=(30, 30, 34, 255))
        draw.ellipse(
            (x - 30, int(height * 0.18) + 4, x - 14, int(height * 0.18) + 16), fill=(255, 240, 170, 255)
        )
    return image


def views_from(
    offsets: Mapping[int, Mapping[str, float]], gains: Mapping[int, tuple[float, float, float]]
) -> list[SensorView]:
    """SensorViews in sensor-id order from {id: {"pan","tilt","roll"}} and per-sensor colour gains."""
    return [
        SensorView(o["pan"], o["tilt"], o["roll"], gains.get(sensor_id, (1.0, 1.0, 1.0)))
        for sensor_id, o in sorted(offsets.items())
    ]
