"""Simulated display (§5.9): caps, image upload/removal, and the simulator-only view of what it shows.

`GET /sim/display.png[?display=id]` is NOT part of the 2N API: it lets the demo and tests see the
picture a simulated display currently shows. `GET /sim/display.json` describes it.
"""

from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw, UnidentifiedImageError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.vendors.two_n.display_video import check_video, describe
from app.vendors.two_n.mp4 import VideoFileError, VideoInfo, read_video_info
from app.vendors.two_n.simulator.envelope import Params, SimulatorError, ok
from app.vendors.two_n.simulator.profiles import DisplaySpec
from app.vendors.two_n.simulator.scene import render_idle_screen
from app.vendors.two_n.simulator.state import DisplayContent

if TYPE_CHECKING:
    from app.vendors.two_n.simulator.device import Handler, TwoNSimulator

MAX_IMAGE_BYTES = 8 * 1024 * 1024
FIRST_UPLOAD_SECONDS = 2.0


async def caps(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/display/caps (§5.9.1)."""
    displays = [{"display": spec.display, "resolution": {"width": spec.width, "height": spec.height}}
                for spec in sim.state.displays.values()]
    return ok(sim.state.sw_version, {"displays": displays})


def _display(sim: TwoNSimulator, params: Params) -> DisplaySpec:
    name = params.text("display", required=True)
    spec = sim.state.displays.get(name or "")
    if spec is None:
        raise SimulatorError(12, "display")
    return spec


def check_image(spec: DisplaySpec, data: bytes) -> str:
    """The image's format if the display accepts it: its formats, exact resolution, baseline JPEG only."""
    if len(data) > MAX_IMAGE_BYTES:
        raise SimulatorError(13, "blob-image")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format or ""
            progressive = bool(image.info.get("progressive") or image.info.get("progression"))
            size = image.size
            image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        raise SimulatorError(12, "blob-image") from None
    if image_format not in spec.formats or progressive or size != (spec.width, spec.height):
        # §5.9.2: "Progressive JPEG images are not supported"; the image must have the display resolution.
        raise SimulatorError(12, "blob-image")
    return image_format


async def image(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/display/image: PUT shows an image (notification with `duration`, else overlay); DELETE removes."""
    spec = _display(sim, params)
    if request.method == "DELETE":
        sim.state.shown.pop(spec.display, None)
        return ok(sim.state.sw_version)
    picture, video = params.blob("blob-image"), params.blob("blob-video")
    if picture is not None and video is not None:
        raise SimulatorError(17, "blob-video")
    duration = params.integer("duration", low=1)
    # Assumed: `repeat` counts plays from 1 up; the document gives no range.
    repeat = params.integer("repeat", low=1)
    if video is not None:
        content = _video(sim, spec, video[1], duration, repeat)
    else:
        picture = params.blob("blob-image", required=True)
        assert picture is not None
        image_format = check_image(spec, picture[1])
        # §5.9.2.1: the Vario "can only display notifications"; its default time is not documented.
        notification = duration is not None or not spec.overlay
        shown_ms = duration or spec.default_notification_ms
        until = sim.clock.monotonic() + shown_ms / 1000 if notification else None
        content = DisplayContent(picture[1], image_format, notification, until)
    digest = hashlib.sha256(content.data).hexdigest()
    if "slow_display_bus" in sim.scenarios and digest not in sim.state.cached_images:
        await sim.clock.sleep(FIRST_UPLOAD_SECONDS)
    sim.state.cached_images.add(digest)
    sim.state.shown[spec.display] = content
    return ok(sim.state.sw_version)


def check_video_blob(spec: DisplaySpec, data: bytes) -> VideoInfo:
    """The video's facts if the display plays it (§5.9.2 Verso: H.264 Baseline up to level 5.2, at most
    60 s and 15 fps, the display's size), else error 12 on `blob-video` (13 when too big)."""
    # Assumed: the document names no error for a video it refuses; a bad value of `blob-video` is code 12,
    # as for a bad `blob-image`, and a model without video refuses the parameter the same way.
    if not spec.video:
        raise SimulatorError(12, "blob-video")
    if len(data) > MAX_IMAGE_BYTES:
        raise SimulatorError(13, "blob-video")
    try:
        info = read_video_info(data)
    except VideoFileError:
        raise SimulatorError(12, "blob-video") from None
    if not check_video(info, spec.video_sizes).acceptable:
        raise SimulatorError(12, "blob-video")
    return info


def _video(sim: TwoNSimulator, spec: DisplaySpec, data: bytes, duration: int | None,
           repeat: int | None) -> DisplayContent:
    """Without `duration` and `repeat` an overlay that loops; else a notification that ends at the earlier
    of the two (§5.9.2 Verso: "terminated by the event that is generated earlier")."""
    info = check_video_blob(spec, data)
    ends = [seconds for seconds in (duration and duration / 1000, repeat and repeat * info.duration_s)
            if seconds]
    until = sim.clock.monotonic() + min(ends) if ends else None
    return DisplayContent(data, "MP4", bool(ends), until, kind="video", description=describe(info))


def current(sim: TwoNSimulator, display: str) -> DisplayContent | None:
    """What `display` shows now; an ended notification is cleared."""
    content = sim.state.shown.get(display)
    if content is not None and content.until is not None and sim.clock.monotonic() >= content.until:
        del sim.state.shown[display]
        return None
    return content


def render(sim: TwoNSimulator, spec: DisplaySpec) -> bytes:
    """PNG of the display's screen: the shown image, or the idle screen."""
    content = current(sim, spec.display)
    if content is not None and content.kind == "image":
        with Image.open(io.BytesIO(content.data)) as picture:
            screen = picture.convert("RGB")
    else:
        screen = render_idle_screen(spec.width, spec.height, sim.state.device_name, sim.clock.now())
        if content is not None:
            ImageDraw.Draw(screen).text((8, 8), f"video playing: {content.description}", fill=(255, 200, 0))
    out = io.BytesIO()
    screen.save(out, "PNG")
    return out.getvalue()


async def debug_endpoint(sim: TwoNSimulator, request: Request) -> Response:
    """Simulator-only: /sim/display.png and /sim/display.json (no auth; not part of the 2N API)."""
    specs = list(sim.state.displays.values())
    name = request.query_params.get("display", specs[0].display if specs else "")
    spec = sim.state.displays.get(name)
    if spec is None:
        return JSONResponse({"error": f"no display {name!r}"}, 404)
    if request.url.path == "/sim/display.png":
        return Response(render(sim, spec), 200, media_type="image/png")
    if request.url.path == "/sim/display.json":
        content = current(sim, spec.display)
        state: dict[str, Any] = {"display": spec.display, "width": spec.width, "height": spec.height,
                                 "showing": None}
        if content is not None:
            remaining = None if content.until is None else content.until - sim.clock.monotonic()
            state["showing"] = {"kind": content.kind, "format": content.format,
                                "mode": "notification" if content.notification else "overlay",
                                "remaining_s": remaining, "bytes": len(content.data),
                                "description": content.description}
        return JSONResponse(state)
    return JSONResponse({"error": "unknown simulator endpoint"}, 404)


HANDLERS: dict[str, Handler] = {"/api/display/caps": caps, "/api/display/image": image}
