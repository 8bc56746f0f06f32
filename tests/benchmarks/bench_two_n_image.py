"""A 4000x3000 JPEG to a display-ready image for each 2N display, off the event loop (executor).

Prints median and max conversion time per display and mode, and the worst event-loop stall seen
while conversions ran (the loop is where the GUI lives). Asserts nothing.
    uv run python -m tests.benchmarks.bench_two_n_image [--runs 15]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import time

from PIL import Image, ImageDraw, ImageFilter

from app.vendors.two_n.image import (
    DOCUMENTED_FORMATS,
    DOCUMENTED_RESOLUTIONS,
    ConversionOptions,
    DisplayTarget,
    FitMode,
    convert_image_async,
)


def camera_photo(progressive: bool) -> bytes:
    """A 12 MP photo-like JPEG: gradient sky, shapes and sensor noise (so it compresses like a photo)."""
    width, height = 4000, 3000
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(base)
    for index in range(40):
        x, y = (index * 397) % width, (index * 211) % height
        draw.ellipse([x, y, x + 400, y + 300], fill=((index * 53) % 255, (index * 97) % 255, 120))
    noise = Image.merge("RGB", [Image.effect_noise((width // 4, height // 4), 40) for _ in range(3)])
    photo = Image.blend(base, noise.resize((width, height)).filter(ImageFilter.BLUR), 0.25)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=92, progressive=progressive)
    return out.getvalue()


async def measure_loop_stall(stop: asyncio.Event, worst: list[float]) -> None:
    """Largest delay of a 5 ms timer while conversions run: what the GUI would feel."""
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.005)
        worst[0] = max(worst[0], time.perf_counter() - started - 0.005)


async def run(runs: int) -> None:
    """Convert each source for each display and mode `runs` times; print the figures."""
    sources = {"baseline": camera_photo(False), "progressive": camera_photo(True)}
    stop, worst = asyncio.Event(), [0.0]
    watcher = asyncio.ensure_future(measure_loop_stall(stop, worst))
    all_times: list[float] = []
    print(f"source: 4000x3000 JPEG, {len(sources['baseline']) / 1e6:.1f} MB (baseline), "
          f"{len(sources['progressive']) / 1e6:.1f} MB (progressive); {runs} runs each")
    for model, (width, height) in DOCUMENTED_RESOLUTIONS.items():
        target = DisplayTarget("ext1", width, height, DOCUMENTED_FORMATS[model])
        for kind, data in sources.items():
            for mode in (FitMode.FIT, FitMode.FILL):
                times = []
                for _ in range(runs):
                    started = time.perf_counter()
                    result = await convert_image_async(data, target, ConversionOptions(mode))
                    times.append(time.perf_counter() - started)
                all_times.extend(times)
                print(f"{model:12} {width:4}x{height:<4} {kind:11} {mode.value:4} -> {result.format} "
                      f"{len(result.data) // 1024:4} KiB  median {statistics.median(times) * 1000:6.1f} ms  "
                      f"max {max(times) * 1000:6.1f} ms")
    stop.set()
    await watcher
    print(f"ALL: median {statistics.median(all_times) * 1000:.1f} ms, max {max(all_times) * 1000:.1f} ms "
          f"(target < 250 ms); worst event-loop stall during conversions {worst[0] * 1000:.1f} ms")


def main() -> None:
    """Command-line entry."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    asyncio.run(run(parser.parse_args().runs))


if __name__ == "__main__":
    main()
