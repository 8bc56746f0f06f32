"""AxisSimulator: an AXIS Q3819-PVE-style four-sensor panoramic camera as a Starlette ASGI app."""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import threading
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from app.core.clock import Clock
from app.vendors.axis.models import (
    BASIC_DEVICE_INFO_PATH,
    SERVICE_TYPE,
    SNAPSHOT_PATH,
    STITCHING_PATH,
    VENDOR_ID,
)
from app.vendors.axis.simulator import stitching
from app.vendors.axis.simulator.digest import HttpAuthenticator
from app.vendors.axis.simulator.panorama import PanoramaRenderer, views_from
from app.vendors.base import MdnsAdvert, SimulatedDeviceInfo
from app.vendors.simulation import RequestLog, Scenario, ScenarioKind, Scenarios

MODEL_NUMBER = "Q3819-PVE"
MODEL = f"AXIS {MODEL_NUMBER}"
FIRMWARE = "11.11.73"
USERNAME = "root"
RESOLUTIONS = {"1920x540": (1920, 540), "1280x360": (1280, 360), "960x270": (960, 270)}

SCENARIOS = (
    Scenario("basic_auth_only", "the camera offers only HTTP Basic"),
    Scenario("parallax_unsupported", "getCapabilities says no parallax methods; they answer 2004"),
    Scenario("blending_disabled", "setBlendingAmount answers 2214"),
    Scenario("stitching_disabled", "rotateAngle and restore answer 2212"),
    Scenario("documented_parallax_field", "answers `parallaxCompensationDistance`, not the misspelt field"),
    Scenario("legacy_api_only", "getSupportedVersions offers only 1.0"),
    Scenario("future_api_only", "getSupportedVersions offers only 4.0, which the app does not know"),
    Scenario("internal_error", "stitching calls fail with 8000", ScenarioKind.PER_REQUEST),
)


class AxisSimulator:
    """A simulated multisensor camera; starts misaligned by seeded amounts so there is something to fix."""

    def __init__(self, *, serial_index: int = 0, seed: int = 0, clock: Clock) -> None:
        rng = random.Random(seed * 7919 + serial_index)
        serial = f"ACCC8E{0x4A0000 + serial_index:06X}"
        self.password = f"pass-{rng.randrange(16**6):06x}"
        self.info = SimulatedDeviceInfo(
            vendor=VENDOR_ID,
            model=MODEL,
            serial=serial,
            mac=":".join(serial[i : i + 2] for i in range(0, 12, 2)),
            firmware=FIRMWARE,
            username=USERNAME,
            password=self.password,
            scheme="https",
            advert=MdnsAdvert(
                SERVICE_TYPE, f"{MODEL} - {serial}", f"axis-{serial.lower()}.local.", {"macaddress": serial}
            ),
            extra={"sensors": 4},
        )
        self.state = stitching.StitchingState.misaligned(rng)
        self.gains = {i: (rng.uniform(0.95, 1.05), 1.0, rng.uniform(0.95, 1.05)) for i in self.state.sensors}
        self.auth = HttpAuthenticator(USERNAME, self.password, f"AXIS_{serial}", clock, rng)
        self._seed = seed
        self._renderer: PanoramaRenderer | None = None
        self.requests = RequestLog(clock)
        self.scenarios = Scenarios(SCENARIOS, self._scenario_changed)
        self._render_lock = threading.Lock()
        self._app = Starlette(
            routes=[
                Route(BASIC_DEVICE_INFO_PATH, self._basic_device_info, methods=["POST"]),
                Route(STITCHING_PATH, self._stitching, methods=["POST"]),
                Route(SNAPSHOT_PATH, self._snapshot, methods=["GET"]),
            ]
        )

    def _scenario_changed(self, name: str, on: bool) -> None:
        state = self.state
        if name == "basic_auth_only":
            self.auth.basic_only = on
        elif name == "parallax_unsupported":
            state.capabilities["getParallaxCompensationDistance"] = not on
            state.capabilities["setParallaxCompensationDistance"] = not on
        elif name == "blending_disabled":
            state.blending_disabled = on
        elif name == "stitching_disabled":
            state.stitching_disabled = on
        elif name == "documented_parallax_field":
            state.misspelt_parallax_field = not on
        elif name in ("legacy_api_only", "future_api_only"):
            only = {"legacy_api_only": ("1.0",), "future_api_only": ("4.0",)}[name]
            state.versions = only if on else stitching.SUPPORTED_VERSIONS

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve one ASGI request as the camera would."""
        if scope["type"] == "http":
            receive, send = await self.requests.record(scope, receive, send)
        await self._app(scope, receive, send)

    async def start(self) -> None:
        """Nothing runs in the background: the camera only answers requests."""

    async def stop(self) -> None:
        """Nothing to stop."""

    @property
    def renderer(self) -> PanoramaRenderer:
        """The panorama renderer, built on first use (~11 MB of scene a site of 250 devices must not pay)."""
        if self._renderer is None:
            self._renderer = PanoramaRenderer(self._seed)
        return self._renderer

    def misalignment(self) -> float:
        """Largest remaining difference (degrees) between neighbouring sensors on any axis; 0 is aligned."""
        sensors = [self.state.sensors[i] for i in sorted(self.state.sensors)]
        return max(
            abs(a.effective(axis) - b.effective(axis))
            for a, b in itertools.pairwise(sensors)
            for axis in stitching.AXES
        )

    def _authorize(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        verdict = self.auth.check(request.method, header) if header else "denied"
        if verdict == "ok":
            return None
        challenge = self.auth.challenge(stale=verdict == "stale")
        return PlainTextResponse("401 Unauthorized", status_code=401, headers={"WWW-Authenticate": challenge})

    async def _json_body(self, request: Request) -> Any:
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        return body

    async def _basic_device_info(self, request: Request) -> Response:
        body = await self._json_body(request)
        method = body.get("method") if isinstance(body, dict) else None
        if method != "getAllUnrestrictedProperties":
            denied = self._authorize(request)
            if denied is not None:
                return denied
        envelope: dict[str, Any] = {"apiVersion": "1.3", "method": method}
        if isinstance(body, dict) and isinstance(body.get("context"), str):
            envelope["context"] = body["context"]
        if method in ("getAllUnrestrictedProperties", "getAllProperties"):
            envelope["data"] = {"propertyList": self._properties(full=method == "getAllProperties")}
        else:
            envelope["error"] = {"code": 2002 if method else 4001, "message": "Method not supported."}
        return JSONResponse(envelope)

    def _properties(self, *, full: bool) -> dict[str, str]:
        properties = {
            "Brand": "AXIS",
            "BuildDate": "Oct 02 2025 10:12",
            "HardwareID": "9A4.1",
            "ProdFullName": f"{MODEL} Panoramic Camera",
            "ProdNbr": MODEL_NUMBER,
            "ProdShortName": MODEL,
            "ProdType": "Panoramic Camera",
            "ProdVariant": "",
            "SerialNumber": self.info.serial,
            "Version": FIRMWARE,
            "WebURL": "http://www.axis.com",
        }
        if full:
            properties |= {
                "Architecture": "aarch64",
                "Soc": "Axis Artpec-8",
                "SocSerialNumber": "00000000-1A2B3C4D",
            }
        return properties

    async def _stitching(self, request: Request) -> Response:
        denied = self._authorize(request)
        if denied is not None:
            return denied
        body = await self._json_body(request)
        failure = 8000 if self.scenarios.take("internal_error") else None
        return JSONResponse(stitching.handle(self.state, body, fail_with=failure))

    async def _snapshot(self, request: Request) -> Response:
        denied = self._authorize(request)
        if denied is not None:
            return denied
        resolution = request.query_params.get("resolution", "1920x540")
        size = RESOLUTIONS.get(resolution)
        if size is None:
            return PlainTextResponse(f"Error: invalid resolution {resolution}", status_code=400)
        jpeg = await asyncio.to_thread(self._render, size)
        return Response(jpeg, media_type="image/jpeg", headers={"Cache-Control": "no-cache"})

    def _render(self, size: tuple[int, int]) -> bytes:
        offsets = {
            i: {axis: s.effective(axis) for axis in stitching.AXES} for i, s in self.state.sensors.items()
        }
        with self._render_lock:
            return self.renderer.render_jpeg(
                views_from(offsets, self.gains), self.state.blending, self.state.parallax, size=size
            )
