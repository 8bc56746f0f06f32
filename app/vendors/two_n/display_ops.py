"""The Display tab's device work: upload a picture or video, remove it, read the screen back (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import DeviceError
from app.core.progress import ProgressReporter
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.image import ConvertedImage
from app.vendors.two_n.transfers import (
    DISPLAY_UPLOAD_STAGES,
    DisplayVideo,
    upload_display_image,
    upload_display_video,
)

REMOVE_STAGES = ("Removing image",)


@dataclass(frozen=True, slots=True)
class Screen:
    """What a display shows: its PNG when the device reports it (a simulated one), else what this app
    last uploaded to it (None when nothing was)."""

    image: bytes | None
    from_device: bool


async def read_screen(client: TwoNClient, display: str, uploaded: bytes | None = None) -> Screen:
    """The display's screen from the device; a real intercom cannot report it, so `uploaded` stands in."""
    try:
        return Screen(await client.simulator_screen(display), from_device=True)
    except DeviceError:
        return Screen(uploaded, from_device=False)


async def show_picture(
    client: TwoNClient, display: str, image: ConvertedImage, reporter: ProgressReporter,
    *, duration_ms: int | None,
) -> Screen:
    """Upload a converted picture (a notification for `duration_ms`, else an overlay); read the screen."""
    reporter.stage(DISPLAY_UPLOAD_STAGES[0], message="Converted")  # converted before the op started
    await upload_display_image(client, display, image, reporter, duration_ms=duration_ms)
    return await read_screen(client, display, image.data)


async def show_video(
    client: TwoNClient, display: str, video: DisplayVideo, reporter: ProgressReporter,
    *, duration_ms: int | None, repeat: int | None,
) -> Screen:
    """Upload a checked video as the options say, then read the screen."""
    await upload_display_video(client, display, video, reporter, duration_ms=duration_ms, repeat=repeat)
    return await read_screen(client, display)


async def remove_from_display(client: TwoNClient, display: str, reporter: ProgressReporter) -> Screen:
    """DELETE what the display shows, then read the screen."""
    reporter.stage(REMOVE_STAGES[0])
    await client.delete_display_image(display)
    return await read_screen(client, display)
