"""Generate the demo's sample pictures and simulated firmware files (no third-party images).

    uv run python -m app.vendors.two_n.simulator.samples resources/two_n
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from app.vendors.two_n.simulator.firmware_file import build_firmware
from app.vendors.two_n.simulator.profiles import PROFILES

DEMO_FIRMWARE_VERSION = "2.38.0.50.1"


def site_photo(size: tuple[int, int] = (4000, 3000)) -> Image.Image:
    """A camera-sized 'photo' of a building entrance: sky, facade, door, sign, sensor noise."""
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    sky = Image.new("RGB", size, (90, 140, 210))
    image = Image.blend(sky, image, 0.35)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, height * 2 // 5, width, height], fill=(180, 170, 150))
    for row in range(6):
        for column in range(10):
            left, top = column * width // 10 + 60, height * 2 // 5 + row * height // 10 + 40
            draw.rectangle([left, top, left + width // 14, top + height // 16], fill=(70, 90, 110))
    draw.rectangle([width * 2 // 5, height * 3 // 5, width * 3 // 5, height], fill=(100, 60, 30))
    draw.rectangle([width * 2 // 5, height * 11 // 20, width * 3 // 5, height * 3 // 5 - 10],
                   fill=(20, 60, 120))
    noise = Image.merge("RGB", [Image.effect_noise((width // 4, height // 4), 30) for _ in range(3)])
    return Image.blend(image, noise.resize(size).filter(ImageFilter.BLUR), 0.12)


def logo(size: tuple[int, int] = (1600, 900)) -> Image.Image:
    """A transparent company logo: a dark rounded badge and a ring, everything else see-through."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rounded_rectangle([width // 8, height // 4, width * 7 // 8, height * 3 // 4], height // 8,
                           fill=(16, 42, 110, 255))
    radius = height // 6
    centre = (width // 4, height // 2)
    for angle in range(0, 360, 3):
        x = centre[0] + radius * math.cos(math.radians(angle))
        y = centre[1] + radius * math.sin(math.radians(angle))
        draw.ellipse([x - 14, y - 14, x + 14, y + 14], fill=(250, 190, 30, 255))
    bar = [width * 2 // 5, height * 9 // 20, width * 4 // 5, height * 11 // 20]
    draw.rectangle(bar, fill=(255, 255, 255, 255))
    return image


def write_samples(directory: Path) -> list[Path]:
    """Write the pictures and one firmware file per simulated model into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    photo = site_photo()
    path = directory / "site-photo-12mp-progressive.jpg"
    photo.save(path, "JPEG", quality=85, progressive=True)
    written.append(path)
    path = directory / "company-logo-transparent.png"
    logo().save(path, "PNG", optimize=True)
    written.append(path)
    path = directory / "entrance-sign.bmp"
    photo.resize((400, 300)).save(path, "BMP")
    written.append(path)
    path = directory / "welcome.gif"
    logo((480, 270)).convert("RGB").quantize(64).save(path, "GIF")
    written.append(path)
    firmware_dir = directory / "firmware"
    firmware_dir.mkdir(exist_ok=True)
    for profile in PROFILES:
        path = firmware_dir / f"{profile.firmware_package}-{DEMO_FIRMWARE_VERSION}-simulated.bin"
        path.write_bytes(build_firmware(profile.firmware_package, DEMO_FIRMWARE_VERSION, size=256 * 1024,
                                        seed=len(profile.firmware_package)))
        written.append(path)
    return written


def main() -> None:
    """Command-line entry."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    for path in write_samples(parser.parse_args().directory):
        print(f"{path}  {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
