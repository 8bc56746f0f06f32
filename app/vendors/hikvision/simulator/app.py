"""HikPartnerSimulator: the Hik-Partner Pro OpenAPI as a Starlette ASGI app on one loopback port.

Two hosts on one port: the token host is the server root (`/api/hpcgw/v1/token/get`), and the
`areaDomain` it returns is the same scheme://host:port with the path prefix `/ieuapi` (named after
the Europe area host). Tokens are accepted only under that prefix, so a client that ignores
`areaDomain` fails the way it would against the real service.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.core.clock import Clock, SystemClock
from app.vendors.base import SimulatedDeviceInfo
from app.vendors.hikvision.models import CLOUD_MODEL, VENDOR_ID
from app.vendors.hikvision.simulator.catalog import PANEL_LOGIN, PARTNERS
from app.vendors.hikvision.simulator.codes import VENDOR_TEXT
from app.vendors.hikvision.simulator.handlers import AreaHandlers
from app.vendors.hikvision.simulator.isapi import DeviceIsapi
from app.vendors.hikvision.simulator.state import CloudFaultError, CloudState
from app.vendors.simulation import RequestLog, Scenario, ScenarioKind, Scenarios

AREA_PREFIX = "/ieuapi"
TOKEN_LIFETIME = 7 * 86400.0


#: Faults act on the next area calls (all of them until disabled, or `times`); "token_expiry" is momentary.
_EACH = ScenarioKind.PER_REQUEST
SCENARIOS = (
    Scenario("token_expiry", "every token issued so far is revoked now", ScenarioKind.MOMENTARY),
    Scenario("token_rejected", "area calls answer LAP500004 whatever the token", _EACH),
    Scenario("unavailable", "area calls answer LAP500001, the service is unavailable", _EACH),
    Scenario("rate_limited", "area calls answer EVZ10029, too many calls", _EACH),
    Scenario(
        "throttled_http", "area calls answer HTTP 429 carrying the EVZ10029 envelope (a gateway throttling)",
        _EACH,
    ),
    Scenario("malformed", "area calls are answered with an HTML gateway page, not JSON", _EACH),
)


class HikPartnerSimulator:
    """The simulated cloud account: token host, area host under AREA_PREFIX, stateful and clock-driven."""

    def __init__(
        self,
        *,
        serial_index: int = 0,
        seed: int = 0,
        clock: Clock | None = None,
        token_lifetime: float = TOKEN_LIFETIME,
        long_poll_seconds: float = 20.0,
        calls_per_second: int = 50,
        extra_cameras: int = 0,
    ) -> None:
        self.clock = clock or SystemClock()
        self.state = CloudState(self.clock, seed * 1000 + serial_index, extra_cameras=extra_cameras)
        self.app_key = f"{self.state.rng.getrandbits(128):032x}"
        self.secret_key = f"{self.state.rng.getrandbits(128):032x}"
        self.token_lifetime = token_lifetime
        self.long_poll_seconds = long_poll_seconds
        self.calls_per_second = calls_per_second
        self.tokens: dict[str, float] = {}
        self.scenarios = Scenarios(SCENARIOS, self._scenario_changed)
        self.requests = RequestLog(self.clock)
        self._stopped = asyncio.Event()
        self._window: tuple[int, int] = (-1, 0)
        self._isapi = DeviceIsapi(self.clock)
        self._handlers = AreaHandlers(self.state, self)
        self.info = self._make_info(serial_index)
        self._app = Starlette(
            routes=[
                Route("/api/hpcgw/v1/token/get", self._token, methods=["POST"]),
                Route(
                    AREA_PREFIX + "/api/hpcgw/v1/device/transparent/{uri:path}",
                    self._isapi_route,
                    methods=["GET", "PUT", "POST", "DELETE"],
                ),
                Route(AREA_PREFIX + "/api/hpcgw/{rest:path}", self._area, methods=["POST"]),
                Route(
                    "/api/hpcgw/{rest:path}", self._global_host_call, methods=["GET", "POST", "PUT", "DELETE"]
                ),
            ]
        )

    def _make_info(self, serial_index: int) -> SimulatedDeviceInfo:
        devices = [
            {"serial": d.serial, "validateCode": d.validate_code, "model": d.spec.model}
            for d in self.state.world.values()
            if d.owner == "nobody" and d.cloud_connected
        ]
        trouble = [
            {
                "serial": d.serial,
                "validateCode": d.validate_code,
                "model": d.spec.model,
                "expect": "EVZ20013" if d.owner == "other" else "EVZ20023",
            }
            for d in self.state.world.values()
            if d.owner == "other" or not d.cloud_connected
        ]
        return SimulatedDeviceInfo(
            vendor=VENDOR_ID,
            model=CLOUD_MODEL,
            serial=f"HPP-CLOUD-{serial_index:02d}",
            mac="",
            firmware="OpenAPI 2.11.800",
            username=self.app_key,
            password=self.secret_key,
            advert=None,
            extra={
                "devices": devices,
                "troubleDevices": trouble,
                "areaPath": AREA_PREFIX,
                "region": "Europe",
                "tokenPath": "/api/hpcgw/v1/token/get",
                "panelLogin": "/".join(PANEL_LOGIN),
                "partners": [p.email for p in PARTNERS if p.sharing_enabled and p.companies == 1],
            },
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve one ASGI request."""
        if scope["type"] == "http":
            receive, send = await self.requests.record(scope, receive, send)
        await self._app(scope, receive, send)

    async def start(self) -> None:
        """Time-driven changes are applied lazily from the clock; only long polls wait."""
        self._stopped.clear()

    async def stop(self) -> None:
        """Answer every waiting long poll now (empty), so the server can shut down at once."""
        self._stopped.set()

    def _scenario_changed(self, name: str, on: bool) -> None:
        if name == "token_expiry" and on:
            self.tokens.clear()

    # --- routes ------------------------------------------------------------------------------
    async def _token(self, request: Request) -> Response:
        body = await _json_or_text(request)
        if not isinstance(body, dict) or not body.get("appKey") or not body.get("secretKey"):
            return _envelope_error("LAP000001")
        if body["appKey"] != self.app_key:
            return _envelope_error("LAP300001")
        if not secrets.compare_digest(str(body["secretKey"]), self.secret_key):
            return _envelope_error("LAP300002")
        token = "hpc." + "".join(
            self.state.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32)
        )
        expires_ms = int(self.clock.now().timestamp() * 1000 + self.token_lifetime * 1000)
        self.tokens[token] = expires_ms
        area = f"{request.url.scheme}://{request.url.netloc}{AREA_PREFIX}"
        return _ok({"accessToken": token, "expireTime": expires_ms, "areaDomain": area})

    async def _global_host_call(self, request: Request) -> Response:
        # The token host only issues tokens; tokens are verified by the area host (guide §2.2).
        return _envelope_error("LAP500005")

    async def _area(self, request: Request) -> Response:
        body = await _json_or_text(request)
        if self.scenarios.take("malformed"):
            return Response("<html><body>502 Bad Gateway</body></html>", media_type="text/html")
        try:
            self._check_call(request)
            handler = self._handlers.find(request.path_params["rest"])
            if handler is None:
                return JSONResponse(
                    {"errorCode": "LAP000002", "message": "No resource found."}, status_code=404
                )
            data = await handler(body if isinstance(body, dict) else {})
        except CloudFaultError as fault:
            return _envelope_error(fault.code, fault.status)
        return _ok(data)

    async def _isapi_route(self, request: Request) -> Response:
        raw = (await request.body()).decode("utf-8", "replace")
        try:
            self._check_call(request)
            serial = request.headers.get("X-Devserial", "").strip()
            level = request.headers.get("X-Userlevel")
            if not serial or (level is not None and level not in ("0", "1")):
                raise CloudFaultError("LAP000001")
            device = self.state.owned(serial)
            self.state.tick()
            if not device.online:
                raise CloudFaultError("EVZ20007")
        except CloudFaultError as fault:
            return JSONResponse({"errorCode": fault.code}, headers={"X-ErrorCode": fault.code})
        uri = "/" + request.path_params["uri"] + (f"?{request.url.query}" if request.url.query else "")
        xml, device_code = self._isapi.handle(device, request.method, uri, raw)
        return Response(
            xml,
            media_type="application/xml",
            headers={"X-ErrorCode": "0", "X-DeviceCode": device_code, "X-EZO-Code": "200"},
        )

    # --- checks ------------------------------------------------------------------------------
    def _check_call(self, request: Request) -> None:
        """Token (LAP50000x), injected faults and the per-second call limit (EVZ10029)."""
        header = request.headers.get("Authorization", "")
        if not header:
            raise CloudFaultError("LAP500002")
        scheme, _, token = header.partition(" ")
        if scheme != "Bearer" or not token.strip():
            raise CloudFaultError("LAP500003")
        expires_ms = self.tokens.get(token.strip())
        if expires_ms is None or expires_ms <= self.clock.now().timestamp() * 1000:
            raise CloudFaultError("LAP500004")
        if self.scenarios.take("token_rejected"):
            raise CloudFaultError("LAP500004")
        if self.scenarios.take("unavailable"):
            raise CloudFaultError("LAP500001")
        if self.scenarios.take("rate_limited"):
            raise CloudFaultError("EVZ10029")
        if self.scenarios.take("throttled_http"):
            raise CloudFaultError("EVZ10029", status=429)
        second = int(self.clock.monotonic())
        start, count = self._window
        self._window = (second, count + 1) if start == second else (second, 1)
        if self._window[1] > self.calls_per_second:
            raise CloudFaultError("EVZ10029")

    async def wait_for_events(self, seconds: float, poll: Callable[[], Awaitable[Any]]) -> Any:
        """Long poll: call `poll` each clock second until it returns something or `seconds` pass."""
        deadline = self.clock.monotonic() + seconds
        while True:
            found = await poll()
            remaining = deadline - self.clock.monotonic()
            if found is not None or remaining <= 0 or self._stopped.is_set():
                return found
            await self._sleep_unless_stopped(min(1.0, remaining))

    async def _sleep_unless_stopped(self, seconds: float) -> None:
        """Sleep on the injected clock, waking early when the simulator stops."""
        sleeper = asyncio.ensure_future(self.clock.sleep(seconds))
        stopper = asyncio.ensure_future(self._stopped.wait())
        try:
            await asyncio.wait({sleeper, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            stopper.cancel()


async def _json_or_text(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode("utf-8", "replace")


def _ok(data: Any) -> JSONResponse:
    payload: dict[str, Any] = {"errorCode": "0"}
    if data is not None:
        payload["data"] = data
    return JSONResponse(payload)


def _envelope_error(code: str, status: int = 200) -> JSONResponse:
    return JSONResponse({"errorCode": code, "message": VENDOR_TEXT.get(code, code)}, status_code=status)
