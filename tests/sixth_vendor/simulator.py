"""A simulated Lumen controller: unauthenticated hello, Basic-protected identity and clock."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.core.clock import Clock
from app.vendors.base import MdnsAdvert, SimulatedDeviceInfo
from app.vendors.simulation import RequestLog, Scenario, ScenarioKind, Scenarios
from tests.sixth_vendor.models import DEVICE_PATH, HELLO_PATH, MODEL, SERVICE_TYPE, TIME_PATH, VENDOR_ID

USERNAME = "admin"
SCENARIOS = (
    Scenario("busy", "authenticated calls answer 503 Service Unavailable", ScenarioKind.PER_REQUEST),
)
FIRMWARE = "1.0.3"


class LumenSimulator:
    """One controller; `utc` is the clock a client set, `requests` what it was asked (the common log)."""

    def __init__(self, *, serial_index: int, clock: Clock) -> None:
        serial = f"LU{serial_index:06d}"
        mac = ":".join(f"{part:02X}" for part in (0x02, 0x4C, 0x55, *serial_index.to_bytes(3, "big")))
        self.info = SimulatedDeviceInfo(
            vendor=VENDOR_ID, model=MODEL, serial=serial, mac=mac, firmware=FIRMWARE, username=USERNAME,
            password=secrets.token_hex(6),
            advert=MdnsAdvert(SERVICE_TYPE, f"Lumen {MODEL} {serial}", f"lumen-{serial.lower()}.local."),
        )
        self.utc: int | None = None
        self.requests = RequestLog(clock)
        self.scenarios = Scenarios(SCENARIOS)
        self._app = Starlette(routes=[
            Route(HELLO_PATH, self._hello, methods=["GET"]),
            Route(DEVICE_PATH, self._device, methods=["GET"]),
            Route(TIME_PATH, self._time, methods=["PUT"]),
        ])

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve one ASGI request."""
        if scope["type"] == "http":
            receive, send = await self.requests.record(scope, receive, send)
        await self._app(scope, receive, send)

    async def start(self) -> None:
        """Nothing runs in the background."""

    async def stop(self) -> None:
        """Nothing runs in the background."""

    def _identity(self, *, full: bool) -> dict[str, str]:
        body = {"vendor": "lumen", "model": MODEL, "serial": self.info.serial}
        return body | {"firmware": FIRMWARE, "mac": self.info.mac} if full else body

    async def _hello(self, request: Request) -> Response:
        return JSONResponse(self._identity(full=False))

    async def _device(self, request: Request) -> Response:
        return self._refusal(request) or JSONResponse(self._identity(full=True))

    async def _time(self, request: Request) -> Response:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        self.utc = int((await request.json())["utc"])
        return Response(status_code=204)

    def _refusal(self, request: Request) -> Response | None:
        """401 without the right credentials, 503 while `busy` is on; None when the call may proceed."""
        if not self._authorised(request):
            return Response(status_code=401, headers={"WWW-Authenticate": 'Basic realm="lumen"'})
        return Response(status_code=503) if self.scenarios.take("busy") else None

    def _authorised(self, request: Request) -> bool:
        expected = base64.b64encode(f"{USERNAME}:{self.info.password}".encode()).decode()
        return secrets.compare_digest(request.headers.get("authorization", ""), f"Basic {expected}")
