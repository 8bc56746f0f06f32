"""Simulated camera (§5.8): caps, a JPEG snapshot (now or up to 30 s back), and with `fps` >= 1 the
`multipart/x-mixed-replace` push stream of JPEGs at that rate."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from app.vendors.simulation import Scenario
from app.vendors.two_n.simulator.envelope import Params, SimulatorError, ok
from app.vendors.two_n.simulator.scene import render_snapshot

if TYPE_CHECKING:
    from app.vendors.two_n.simulator.device import Handler, TwoNSimulator

#: Assumed: the document shows no stream, so parts look as common MJPEG servers send them (a boundary
#: token, Content-Type and Content-Length per part).
BOUNDARY = "2n-camera-frame"
#: Assumed: the camera sends at most this many frames a second, whatever `fps` asks (the document is silent).
MAX_STREAM_FPS = 30
#: §5.8.2: `time` lies within the intercom memory, ⟨-30, 0⟩ seconds.
MEMORY_SECONDS = 30
STREAM_STALLS = "camera_stream_stalls"
SCENARIOS = (
    Scenario(STREAM_STALLS, "the camera's live stream stops sending after two frames (connection open)"),)


async def caps(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/camera/caps (§5.8.1)."""
    return ok(sim.state.sw_version, {
        "jpegResolution": [{"width": w, "height": h} for w, h in sim.profile.camera_resolutions],
        "sources": [{"source": "internal"}, {"source": "external"}],
    })


def _picture(sim: TwoNSimulator, params: Params) -> tuple[int, int, str]:
    width = params.integer("width", required=True)
    height = params.integer("height", required=True)
    assert width is not None
    assert height is not None
    if (width, height) not in sim.profile.camera_resolutions:
        raise SimulatorError(12, "width")
    source = params.text("source") or "internal"
    if source not in ("internal", "external"):
        raise SimulatorError(12, "source")
    return width, height, source


async def snapshot(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/camera/snapshot (§5.8.2): one JPEG, or with `fps` >= 1 (and no `time`) the push stream.

    Wrong parameters are answered in the JSON envelope, as the document says.
    """
    width, height, source = _picture(sim, params)
    fps = params.integer("fps", low=0)
    moment = params.integer("time", low=-MEMORY_SECONDS, high=0)
    headers = {"Server": f"HIP{sim.state.sw_version}"}
    if fps and moment is None:
        frames = _frames(sim, width, height, source, min(fps, MAX_STREAM_FPS))
        return StreamingResponse(frames, 200, headers,
                                 media_type=f"multipart/x-mixed-replace; boundary={BOUNDARY}")
    at = sim.clock.now() + timedelta(seconds=moment or 0)
    image = render_snapshot(width, height, at, sim.serial, source)
    return Response(image, 200, headers, media_type="image/jpeg")


async def _frames(sim: TwoNSimulator, width: int, height: int, source: str, fps: int) -> AsyncIterator[bytes]:
    """One part per frame at `fps` on the simulator's clock, until the client leaves or the device stops."""
    interval, due, number = 1.0 / fps, sim.clock.monotonic(), 0
    sim.camera_streams += 1
    try:
        while not sim.stopping.is_set():
            if number >= 2 and STREAM_STALLS in sim.scenarios.active:
                await sim.stopping.wait()
                return
            number += 1
            jpeg = await asyncio.to_thread(render_snapshot, width, height, sim.clock.now(), sim.serial,
                                           source, frame=number)
            yield (f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n\r\n"
                   .encode() + jpeg + b"\r\n")
            due += interval
            await sim.clock.sleep(max(due - sim.clock.monotonic(), 0.0))
    finally:
        sim.camera_streams -= 1


HANDLERS: dict[str, Handler] = {"/api/camera/caps": caps, "/api/camera/snapshot": snapshot}
