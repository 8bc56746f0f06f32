"""The Display tab's operations: a picture is uploaded and the screen read back showing it, removing it
clears the screen, and a display the intercom cannot report stands in with what the app uploaded."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from app.core.progress import Progress, ProgressReporter
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.display_ops import REMOVE_STAGES, read_screen, remove_from_display, show_picture
from app.vendors.two_n.image import convert_image, target_for
from app.vendors.two_n.transfers import DISPLAY_UPLOAD_STAGES


def _picture(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 140, 60)).save(out, "JPEG")
    return out.getvalue()


async def _showing(http: httpx.AsyncClient) -> object:
    return (await http.get("/sim/display.json", params={"display": "ext1"})).json()["showing"]


async def test_a_picture_is_shown_read_back_and_removed(client: TwoNClient, http: httpx.AsyncClient) -> None:
    image = convert_image(_picture((1000, 800)), target_for("2N IP Verso", await client.display_caps()))
    seen: list[Progress] = []
    screen = await show_picture(client, "ext1", image, ProgressReporter(DISPLAY_UPLOAD_STAGES, seen.append),
                                duration_ms=None)
    assert screen.from_device
    assert screen.image is not None
    assert Image.open(io.BytesIO(screen.image)).size == (image.width, image.height)
    assert [p.stage for p in seen][:2] == list(DISPLAY_UPLOAD_STAGES)
    showing = await _showing(http)
    assert isinstance(showing, dict)
    assert (showing["kind"], showing["mode"]) == ("image", "overlay")

    after = await remove_from_display(client, "ext1", ProgressReporter(REMOVE_STAGES))
    assert after.from_device
    assert await _showing(http) is None


async def test_a_screen_the_intercom_cannot_report_is_what_the_app_uploaded(client: TwoNClient) -> None:
    screen = await read_screen(client, "no-such-display", uploaded=b"last upload")
    assert (screen.image, screen.from_device) == (b"last upload", False)
    assert (await read_screen(client, "no-such-display")).image is None
