"""Pictures the simulated intercom produces: camera snapshots and the idle display screen (Pillow)."""

from __future__ import annotations

import functools
import io
from datetime import datetime

from PIL import Image, ImageDraw


@functools.lru_cache(maxsize=16)
def _entrance(width: int, height: int, external: bool) -> Image.Image:
    """A static entrance scene: sky, wall, a door and a path, scaled to the requested size."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.45)
    for y in range(horizon):
        shade = 170 + int(60 * y / max(horizon, 1))
        draw.line([(0, y), (width, y)], fill=(110, 150, shade))
    draw.rectangle([0, horizon, width, height], fill=(96, 92, 88) if not external else (70, 86, 60))
    door_w, door_h = width // 5, int(height * 0.42)
    left = width // 2 - door_w // 2
    draw.rectangle([left, horizon + height // 20, left + door_w, horizon + height // 20 + door_h],
                   fill=(120, 72, 40), outline=(40, 24, 12), width=max(width // 160, 1))
    knob = max(width // 120, 2)
    knob_x, knob_y = left + door_w - 3 * knob, horizon + height // 20 + door_h // 2
    draw.ellipse([knob_x - knob, knob_y - knob, knob_x + knob, knob_y + knob], fill=(220, 200, 90))
    draw.polygon([(left, height), (left + door_w, height),
                  (left + door_w - door_w // 4, horizon + height // 20 + door_h),
                  (left + door_w // 4, horizon + height // 20 + door_h)], fill=(150, 146, 140))
    return image


def render_snapshot(width: int, height: int, at: datetime, serial: str, source: str,
                    *, frame: int | None = None) -> bytes:
    """A baseline JPEG of the entrance with the camera's time stamp (and a stream's frame number)."""
    image = _entrance(width, height, source == "external").copy()
    draw = ImageDraw.Draw(image)
    stamp = f"{at:%Y-%m-%d %H:%M:%S} UTC  {serial}  {source}" + (f"  #{frame}" if frame else "")
    draw.rectangle([0, height - 14, width, height], fill=(0, 0, 0))
    draw.text((4, height - 13), stamp, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def render_idle_screen(width: int, height: int, title: str, at: datetime) -> Image.Image:
    """What a display shows with no uploaded image: the device name and clock on a dark screen."""
    image = Image.new("RGB", (width, height), (18, 24, 32))
    draw = ImageDraw.Draw(image)
    draw.text((width // 16, height // 3), title, fill=(230, 230, 230))
    draw.text((width // 16, height // 3 + 20), f"{at:%H:%M}", fill=(140, 190, 255))
    return image
