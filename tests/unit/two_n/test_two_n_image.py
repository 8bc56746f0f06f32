"""Display image conversion: exact size, baseline JPEG (SOF0 not SOF2), transparency, EXIF, formats."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from app.core.errors import InvalidParameterError
from app.vendors.two_n.image import (
    ConversionOptions,
    DisplayTarget,
    FitMode,
    convert_image,
    convert_image_async,
    target_for,
)
from app.vendors.two_n.models import DisplayInfo

VERSO = DisplayTarget("ext1", 320, 214, frozenset({"JPEG", "BMP", "PNG"}))
VARIO = DisplayTarget("internal", 320, 240, frozenset({"JPEG", "GIF", "BMP"}))


def jpeg_frame_marker(data: bytes) -> int:
    """The first SOFn marker of a JPEG: 0xC0 baseline, 0xC2 progressive."""
    index = 2
    while index < len(data):
        assert data[index] == 0xFF
        marker = data[index + 1]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3):
            return marker
        length = int.from_bytes(data[index + 2: index + 4], "big")
        index += 2 + length
    raise AssertionError("no frame marker")


def photo(size: tuple[int, int], *, progressive: bool = False, exif_orientation: int | None = None) -> bytes:
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    box = [size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2]
    ImageDraw.Draw(image).rectangle(box, fill=(200, 30, 30))
    out = io.BytesIO()
    exif = Image.Exif()
    if exif_orientation is not None:
        exif[0x0112] = exif_orientation
    image.save(out, "JPEG", progressive=progressive, quality=85, exif=exif.tobytes())
    return out.getvalue()


def test_progressive_12mp_photo_becomes_baseline_jpeg_of_exact_size() -> None:
    source = photo((4000, 3000), progressive=True)
    assert jpeg_frame_marker(source) == 0xC2
    result = convert_image(source, VERSO, ConversionOptions(FitMode.FILL))
    assert result.format == "JPEG"
    assert result.content_type == "image/jpeg"
    assert jpeg_frame_marker(result.data) == 0xC0
    with Image.open(io.BytesIO(result.data)) as image:
        assert image.size == (320, 214)
        assert not image.info.get("progressive")
    assert result.source_size == (4000, 3000)


@pytest.mark.parametrize("mode", list(FitMode))
def test_every_mode_gives_exact_resolution(mode: FitMode) -> None:
    for size in ((4000, 3000), (100, 400), (320, 214)):
        result = convert_image(photo(size), VARIO, ConversionOptions(mode))
        with Image.open(io.BytesIO(result.data)) as image:
            assert image.size == (320, 240)


def test_fit_letterboxes_with_background_and_fill_covers() -> None:
    tall = photo((100, 400))
    fit = convert_image(tall, VARIO, ConversionOptions(FitMode.FIT, background=(0, 0, 255)))
    with Image.open(io.BytesIO(fit.data)) as image:
        r, _g, b = image.convert("RGB").getpixel((5, 120))
        assert b > 200
        assert r < 40
    fill = convert_image(tall, VARIO, ConversionOptions(FitMode.FILL, background=(0, 0, 255)))
    with Image.open(io.BytesIO(fill.data)) as image:
        r, _g, b = image.convert("RGB").getpixel((5, 120))
        assert not (b > 200 and r < 40)


def test_transparent_dark_logo_is_flattened_onto_white() -> None:
    logo = Image.new("RGBA", (600, 300), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse([200, 50, 400, 250], fill=(10, 20, 90, 255))
    out = io.BytesIO()
    logo.save(out, "PNG")
    result = convert_image(out.getvalue(), VERSO)
    with Image.open(io.BytesIO(result.data)) as image:
        assert image.mode == "RGB"
        assert image.size == (320, 214)
        corner = image.getpixel((2, 2))
        centre = image.getpixel((160, 107))
    assert corner == pytest.approx((255, 255, 255), abs=8)
    assert centre[2] > centre[0]


def test_flat_artwork_goes_lossless_png_where_accepted_jpeg_on_vario() -> None:
    flat = Image.new("RGB", (320, 214), (255, 255, 255))
    ImageDraw.Draw(flat).rectangle([20, 20, 120, 120], fill=(0, 128, 0))
    out = io.BytesIO()
    flat.save(out, "BMP")
    assert convert_image(out.getvalue(), VERSO).format == "PNG"
    vario = convert_image(out.getvalue(), VARIO)
    assert vario.format == "JPEG"
    assert jpeg_frame_marker(vario.data) == 0xC0


def test_exif_rotation_is_applied() -> None:
    # A landscape sensor image marked "rotate 90" is a portrait picture.
    result = convert_image(photo((400, 100), exif_orientation=6), VARIO, ConversionOptions(FitMode.FIT))
    with Image.open(io.BytesIO(result.data)) as image:
        # Portrait content in a landscape display: bars left and right, content in the middle column.
        left, middle = image.convert("L").getpixel((10, 120)), image.convert("L").getpixel((160, 120))
    assert left < 10
    assert middle > 40
    assert result.source_size == (100, 400)


def test_gif_and_bmp_inputs() -> None:
    for fmt in ("GIF", "BMP"):
        out = io.BytesIO()
        Image.new("RGB", (50, 50), (90, 90, 90)).save(out, fmt)
        result = convert_image(out.getvalue(), VARIO)
        assert (result.width, result.height) == (320, 240)


def test_not_a_picture_is_rejected_with_a_readable_error() -> None:
    with pytest.raises(InvalidParameterError, match="not a picture"):
        convert_image(b"%PDF-1.4 not an image", VERSO)


async def test_async_conversion_runs_in_executor() -> None:
    result = await convert_image_async(photo((800, 600)), VERSO)
    assert (result.width, result.height) == (320, 214)


def test_target_prefers_display_caps_over_document_tables() -> None:
    caps = (DisplayInfo("ext1", 214, 240),)
    assert target_for("2N IP Verso", caps) == DisplayTarget("ext1", 214, 240, VERSO.formats)
    assert target_for("2N IP Verso", ()) == VERSO
    assert target_for("2N IP Vario", ()).formats == VARIO.formats
    with pytest.raises(InvalidParameterError):
        target_for("2N IP Solo", ())
