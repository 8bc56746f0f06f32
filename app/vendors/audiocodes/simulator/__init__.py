"""A faithful simulated AudioCodes Mediant SBC: a Starlette ASGI app over stateful, clock-driven state."""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
from datetime import timedelta

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.core.clock import Clock, SystemClock
from app.vendors.audiocodes.models import VENDOR_ID
from app.vendors.audiocodes.permissions import UserLevel
from app.vendors.audiocodes.simulator.common import HA_SYNC_TEXT, PERMISSIONS, described
from app.vendors.audiocodes.simulator.core_routes import CoreRoutes
from app.vendors.audiocodes.simulator.file_routes import FileRoutes
from app.vendors.audiocodes.simulator.kpi_routes import KpiRoutes
from app.vendors.audiocodes.simulator.licensing import EXTENDED_FEATURES, mint_license_key
from app.vendors.audiocodes.simulator.state import MediantState
from app.vendors.audiocodes.simulator.tls_routes import CertificateHook, ServedCertificate, TlsRoutes
from app.vendors.base import SimulatedDeviceInfo
from app.vendors.simulation import RequestLog, Scenario, ScenarioKind, Scenarios

CALL_SECONDS = 120.0
SCENARIOS = (
    Scenario("ha_sync", "changes are answered 409 while the HA mate synchronises", ScenarioKind.PER_REQUEST),
    Scenario("ha_pair", "the device is one unit of an HA pair: a JSON license install is refused with 409"),
    Scenario("clock_skew", "the device's clock is days off"),
    Scenario("debug_not_created", "a requested debug file is never created: its status answers 204"),
    Scenario("calls_in_progress", f"calls are up for the next {CALL_SECONDS:.0f} s (a graceful reset waits)"),
    Scenario(
        "locked_root", "GET /api needs authentication too (document section 3: every request does)",
        ScenarioKind.PER_REQUEST,
    ),
)
CLOCK_SKEW = timedelta(days=3, hours=4)
ALARM_INTERVAL = 90.0
_UNAUTHENTICATED = ("/api", "/index.html")

__all__ = ["SCENARIOS", "AudioCodesSimulator", "ServedCertificate"]


class AudioCodesSimulator:
    """One simulated Mediant: REST API with HTTP Basic, user levels, HA scenarios, real TLS key material.

    Its HTTPS certificate is TLS context 0's: `on_certificate_changed` is called with the new
    pair whenever context 0 gets a matching key and certificate.
    """

    def __init__(
        self,
        *,
        serial_index: int = 0,
        seed: int = 0,
        clock: Clock | None = None,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.state = MediantState(serial_index=serial_index, seed=seed, clock=self.clock)
        self.users: dict[str, tuple[str, UserLevel]] = {
            "Admin": ("Admin", UserLevel.SECURITY_ADMINISTRATOR),
            "operator": ("Operator1!", UserLevel.ADMINISTRATOR),
            "monitor": ("Monitor1!", UserLevel.MONITOR),
        }
        self._ha_sync_until: float | None = None
        self._activity: asyncio.Task[None] | None = None
        self.tls = TlsRoutes(self.state)
        routes = [
            *CoreRoutes(self.state).routes(),
            *FileRoutes(self.state).routes(),
            *self.tls.routes(),
            *KpiRoutes(self.state).routes(),
        ]
        self._app = Starlette(routes=routes)
        self.requests = RequestLog(self.clock)
        self.scenarios = Scenarios(SCENARIOS, self._scenario_changed)
        self.info = SimulatedDeviceInfo(
            vendor=VENDOR_ID,
            model=self.state.product,
            serial=self.state.serial,
            mac=self.state.mac_colons(),
            firmware=self.state.version,
            username="Admin",
            password="Admin",  # noqa: S106  (the documented factory login, shown by `sim`)
            extra={
                "license_key": mint_license_key(self.state.serial, EXTENDED_FEATURES),
                "other_users": "operator/Operator1! (Administrator), monitor/Monitor1! (Monitor)",
            },
        )

    @property
    def on_certificate_changed(self) -> CertificateHook | None:
        """Called with TLS context 0's new key and certificate; wire to RunningDevice.reload_certificate."""
        return self.tls.on_certificate_changed

    @on_certificate_changed.setter
    def on_certificate_changed(self, hook: CertificateHook | None) -> None:
        self.tls.on_certificate_changed = hook

    def served_certificate(self) -> ServedCertificate:
        """TLS context 0's key and certificate: pass them to the HTTPS server that runs this device."""
        key_pem, cert_pem, cert_der = self.state.served_pem()
        return ServedCertificate(key_pem, cert_pem, cert_der)

    def _scenario_changed(self, name: str, on: bool) -> None:
        if name == "ha_pair":
            self.state.ha_pair = on
        elif name == "calls_in_progress":
            self.state.calls_end_at = self.clock.monotonic() + CALL_SECONDS if on else None
        elif name == "debug_not_created":
            self.state.debug_not_created = on
        elif name == "clock_skew":
            self.state.clock_offset = CLOCK_SKEW if on else timedelta(0)

    def begin_ha_sync(self, seconds: float) -> None:
        """The "ha_sync" scenario for the next `seconds` of the clock only (an HA mate synchronising)."""
        self._ha_sync_until = self.clock.monotonic() + seconds

    def _ha_syncing(self) -> bool:
        timed = self._ha_sync_until is not None and self.clock.monotonic() < self._ha_sync_until
        return timed or self.scenarios.take("ha_sync")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request: restart window, Basic auth, user level (403/405), HA sync (409), the route."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        receive, send = await self.requests.record(scope, receive, send)
        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self._app(scope, receive, send)

    def _refusal(self, scope: Scope) -> Response | None:
        if self.state.is_down():
            # A restarting device's web server is not up; the nearest an ASGI app gets is 503.
            return Response(status_code=503)
        path, method = str(scope["path"]).rstrip("/") or "/", str(scope["method"])
        if path in _UNAUTHENTICATED and not (path == "/api" and self.scenarios.take("locked_root")):
            return None if method == "GET" else described("Method Not Allowed", 405)
        level = self._authenticate(scope)
        if level is None:
            return Response(
                "Unauthorized", status_code=401, headers={"WWW-Authenticate": 'Basic realm="REST API"'}
            )
        denied = self._level_refusal(path, method, level)
        if denied is not None:
            return denied
        if method in ("PUT", "POST") and not path.endswith("/authToken") and self._ha_syncing():
            return described(HA_SYNC_TEXT, 409)
        return None

    @staticmethod
    def _level_refusal(path: str, method: str, level: UserLevel) -> Response | None:
        """Table 2-2: 405 for a method the resource does not offer, 403 below its minimum level."""
        for pattern, levels in PERMISSIONS:
            if pattern.match(path):
                needed = levels.get(method)
                if needed is None:
                    return described("Method Not Allowed", 405)
                if level < needed:
                    return described("Forbidden: user access level is too low", 403)
                return None
        return None

    def _authenticate(self, scope: Scope) -> UserLevel | None:
        headers = dict(scope.get("headers", []))
        value = headers.get(b"authorization", b"").decode("latin-1")
        scheme, _, encoded = value.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            username, _, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user = self.users.get(username)
        return user[1] if user is not None and user[0] == password else None

    async def start(self) -> None:
        """Start raising and clearing alarms now and then (clock-driven)."""
        self._activity = asyncio.create_task(
            self._alarm_activity(), name=f"mediant-{self.state.serial}-alarms"
        )

    async def stop(self) -> None:
        """Stop background activity."""
        if self._activity is not None:
            self._activity.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._activity
            self._activity = None

    async def _alarm_activity(self) -> None:
        while True:
            await self.clock.sleep(ALARM_INTERVAL * (0.5 + self.state.random.random()))
            active = self.state.alarm_list("active")
            if active and self.state.random.random() < 0.5:
                self.state.clear_alarm(self.state.random.choice(active).id)
            else:
                self.state.raise_alarm()
