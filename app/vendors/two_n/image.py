"""Turn any picture into one a 2N display accepts: exact resolution, baseline JPEG (or PNG), no alpha.

CPU-bound: call `convert_image_async` (runs in an executor), never `convert_image` on the event loop.
"""

from __future__ import annotations

import asyncio
import enum
import io
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from app.core.errors import InvalidParameterError
from app.vendors.two_n.models import DisplayInfo

Color = tuple[int, int, int]

#: Fallback only: §5.9.2 gives the Verso 320 x 214 in its parameter and image tables but 214 x 240
#: in the video table and the examples section; the display's own /api/display/caps wins.
DOCUMENTED_RESOLUTIONS: dict[str, tuple[int, int]] = {
    "2N IP Verso": (320, 214), "2N IP Vario": (320, 240), "2N IP Style": (1280, 800),
}
#: Image formats per model from the §5.9.2 tables (Style/Verso intros also say GIF; their tables do not).
DOCUMENTED_FORMATS: dict[str, frozenset[str]] = {
    "2N IP Verso": frozenset({"JPEG", "BMP", "PNG"}), "2N IP Vario": frozenset({"JPEG", "GIF", "BMP"}),
    "2N IP Style": frozenset({"JPEG", "BMP", "PNG"}),
}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "BMP": "image/bmp", "GIF": "image/gif"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "BMP": "bmp", "GIF": "gif"}
JPEG_QUALITY = 90
#: A picture with at most this many colours (logos, signs, text) is sent lossless as PNG where accepted.
FLAT_COLOURS = 256


class FitMode(enum.Enum):
    """How a picture is made to match the display."""

    FIT = "fit"
    """Scale down or up until the whole picture is visible; pad the rest with the background colour."""
    FILL = "fill"
    """Scale until the display is covered; cut what overflows, around the focus point."""
    CROP = "crop"
    """Keep the picture's pixels 1:1; cut a display-sized window around the focus point."""


@dataclass(frozen=True, slots=True)
class DisplayTarget:
    """The display to produce for: its id, exact pixel size and accepted formats."""

    display: str
    width: int
    height: int
    formats: frozenset[str] = frozenset({"JPEG"})


@dataclass(frozen=True, slots=True)
class ConversionOptions:
    """Fit mode, padding/flattening colour (None = chosen from the picture) and focus (fractions 0..1)."""

    mode: FitMode = FitMode.FIT
    background: Color | None = None
    focus: tuple[float, float] = (0.5, 0.5)


@dataclass(frozen=True, slots=True)
class ConvertedImage:
    """Display-ready bytes and what they are."""

    data: bytes
    format: str
    width: int
    height: int
    source_size: tuple[int, int]

    @property
    def content_type(self) -> str:
        """MIME type of `data`."""
        return CONTENT_TYPES[self.format]

    @property
    def filename(self) -> str:
        """A file name with the right extension for the multipart part."""
        return f"display.{EXTENSIONS[self.format]}"


def target_for(variant: str, displays: Sequence[DisplayInfo], display: str | None = None) -> DisplayTarget:
    """The target from /api/display/caps; the document's table only when the device reports no display."""
    formats = next((f for name, f in DOCUMENTED_FORMATS.items() if name in variant), frozenset({"JPEG"}))
    chosen = next((d for d in displays if display in (None, d.display)), None)
    if chosen is not None:
        return DisplayTarget(chosen.display, chosen.width, chosen.height, formats)
    for name, (width, height) in DOCUMENTED_RESOLUTIONS.items():
        if name in variant:
            default_id = "internal" if "Vario" in name else "ext1"
            return DisplayTarget(display or default_id, width, height, formats)
    raise InvalidParameterError(f"The {variant or 'intercom'} reports no display.")


def open_picture(source: bytes | Path, draft_size: tuple[int, int] | None = None) -> Image.Image:
    """Decode PNG/JPEG/BMP/GIF (first frame) upright per EXIF; JPEGs decode reduced to about `draft_size`."""
    try:
        image = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source)
        if draft_size is not None and image.format == "JPEG":
            orientation = image.getexif().get(0x0112, 1)
            wanted = draft_size[::-1] if orientation in (5, 6, 7, 8) else draft_size
            image.draft("RGB", wanted)
        image.seek(0)
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as err:
        raise InvalidParameterError(f"This file is not a picture the app can read: {err}") from err
    return ImageOps.exif_transpose(image)


def _needed_size(source: tuple[int, int], target: DisplayTarget, mode: FitMode) -> tuple[int, int]:
    width, height = source
    if mode is FitMode.CROP:
        return source
    scale_w, scale_h = target.width / width, target.height / height
    scale = min(scale_w, scale_h) if mode is FitMode.FIT else max(scale_w, scale_h)
    return max(int(width * scale), 1), max(int(height * scale), 1)


def _auto_background(image: Image.Image) -> Color:
    """White behind dark artwork, black behind light artwork (judged on the opaque pixels)."""
    rgba = image.convert("RGBA")
    rgba.thumbnail((64, 64))
    raw = rgba.tobytes()
    opaque = [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 4) if raw[i + 3] > 128]
    if not opaque:
        return (0, 0, 0)
    luminance = sum(0.299 * r + 0.587 * g + 0.114 * b for r, g, b in opaque) / len(opaque)
    return (255, 255, 255) if luminance < 128 else (0, 0, 0)


def _flatten(image: Image.Image, background: Color) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, background)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _window(size: tuple[int, int], box: tuple[int, int], focus: tuple[float, float]) -> tuple[int, int]:
    """Top-left of a `box` window inside `size`, centred on `focus` and kept inside."""
    fx, fy = (min(max(value, 0.0), 1.0) for value in focus)
    left = int(fx * size[0] - box[0] / 2)
    top = int(fy * size[1] - box[1] / 2)
    return min(max(left, 0), max(size[0] - box[0], 0)), min(max(top, 0), max(size[1] - box[1], 0))


def render(picture: Image.Image, target: DisplayTarget, options: ConversionOptions) -> Image.Image:
    """The RGB image of exactly the target size that the display will show."""
    background = options.background or (_auto_background(picture) if _has_alpha(picture) else (0, 0, 0))
    flat = _flatten(picture, background)
    scaled_size = _needed_size(flat.size, target, options.mode)
    if scaled_size != flat.size:
        flat = flat.resize(scaled_size, Image.Resampling.BICUBIC, reducing_gap=2.0)
    canvas = Image.new("RGB", (target.width, target.height), background)
    if options.mode is FitMode.FIT:
        canvas.paste(flat, ((target.width - flat.width) // 2, (target.height - flat.height) // 2))
        return canvas
    left, top = _window(flat.size, (target.width, target.height), options.focus)
    window = flat.crop((left, top, left + target.width, top + target.height))
    canvas.paste(window, ((target.width - window.width) // 2, (target.height - window.height) // 2))
    return canvas


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def encode(image: Image.Image, target: DisplayTarget, source_size: tuple[int, int]) -> ConvertedImage:
    """Baseline JPEG; lossless PNG for flat artwork when the display accepts PNG."""
    out = io.BytesIO()
    image_format = "JPEG"
    if "PNG" in target.formats and image.getcolors(FLAT_COLOURS) is not None:
        image_format = "PNG"
        image.save(out, "PNG", optimize=True)
    elif "JPEG" in target.formats or not target.formats:
        # progressive=False: §5.9.2 "Progressive JPEG images are not supported".
        image.save(out, "JPEG", quality=JPEG_QUALITY, progressive=False, optimize=False, subsampling="4:2:0")
    else:
        image_format = "BMP"
        image.save(out, "BMP")
    return ConvertedImage(out.getvalue(), image_format, image.width, image.height, source_size)


def convert_image(source: bytes | Path, target: DisplayTarget,
                  options: ConversionOptions | None = None) -> ConvertedImage:
    """Decode, size, flatten and encode `source` for `target` (CPU-bound; see convert_image_async)."""
    options = options or ConversionOptions()
    try:
        with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as probe:
            source_size = probe.size
            if probe.getexif().get(0x0112, 1) in (5, 6, 7, 8):
                source_size = source_size[::-1]
    except (UnidentifiedImageError, OSError) as err:
        raise InvalidParameterError(f"This file is not a picture the app can read: {err}") from err
    draft = _needed_size(source_size, target, options.mode)
    picture = open_picture(source, draft)
    return encode(render(picture, target, options), target, source_size)


async def convert_image_async(
    source: bytes | Path, target: DisplayTarget, options: ConversionOptions | None = None,
    *, executor: Executor | None = None,
) -> ConvertedImage:
    """convert_image in an executor, so the event loop (and the Qt thread) never waits on Pillow."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor, convert_image, source, target, options)
