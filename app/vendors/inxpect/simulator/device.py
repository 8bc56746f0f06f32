"""InxpectSimulator: a stateful MSK-101-POE as the REST API document describes it, as an ASGI app."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any, Final

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.core.clock import Clock
from app.vendors.base import MdnsAdvert, SimulatedDeviceInfo
from app.vendors.inxpect.identity import MODEL_NAME, SERVICE_TYPE, VENDOR_ID, host_name_for
from app.vendors.inxpect.ifw_builder import web_contents, web_files
from app.vendors.inxpect.models import NetFlag, format_version
from app.vendors.inxpect.simulator import factory
from app.vendors.inxpect.simulator.radar import RadarEngine
from app.vendors.inxpect.simulator.scene import RadarScene
from app.vendors.inxpect.simulator.updates import Phase, UpdateRefusedError, UpdateSession
from app.vendors.simulation import RequestLog, Scenario, ScenarioKind, Scenarios

log = logging.getLogger(__name__)

TOKEN_LIFETIME_S: Final = 900.0
UNAUTHENTICATED_RESET_WINDOW_S: Final = 20.0  # §3.15
# Assumed: the document gives no start-up time; the simulated sensor answers again 4 s after power returns.
POWER_OFF_S: Final = 4.0
#: The demo's technician unplugs the sensor this long after the app first asks for an unauthenticated reset.
UNPLUG_AFTER_S: Final = 2.0
DEFAULT_FILE_CHUNK_SIZE: Final = 256 * 1024
#: New network settings take effect this long after the PUT is answered (the board restarts its network).
NETWORK_RESTART_S: Final = 1.0
LOGIN_FAILED: Final = 1
Handler = Callable[[Request], Awaitable[Response]]


#: Radar faults the document lists (§3.5 `alarmStatus`, type 2) by scenario name; each stays until disabled.
RADAR_FAULTS: Final = {
    "input_voltage_out_of_range": 100,
    "detection_error": 101,
    "security_error": 102,
    "head_fault": 103,
    "masking_fault": 104,
    "motion_detector_not_responding": 105,
    "masking_not_ready": 106,
    "corrupted_storage": 107,
    "communication_fault": 1001,
}
_ONCE: Final = ScenarioKind.MOMENTARY
SCENARIOS: Final = (
    Scenario("token_expiry", "every session token expires now: the next call answers 403", _ONCE),
    Scenario("reboot", "the sensor restarts: sessions end, calibration data is lost", _ONCE),
    Scenario(
        "power_cycle",
        f"the sensor loses power for {POWER_OFF_S:.0f} s, then starts: the 20 s reset window opens", _ONCE,
    ),
    Scenario("masked", "the sensor is covered: tamper alarm, cause 3"),
    Scenario(
        "update_write_error", "update data chunks fail with a flash write error (errorCode 8)",
        ScenarioKind.PER_REQUEST,
    ),
    *(Scenario(name, f"the alarm status reports fault {code}") for name, code in RADAR_FAULTS.items()),
)


class InxpectSimulator:
    """A simulated MSK-101-POE: radar scene, alarms, calibration, tokens, factory password, updates.

    Time comes from the injected clock; frames are derived from it, so ManualClock drives the scene.
    With `plays_technician` (the demo) the scene follows the wizard: the technician walks the calibration
    object while a calibration runs and the site returns afterwards. The scene is set with `use_scene`
    and `move_sensor`; faults, token expiry and reboots are `scenarios` (SCENARIOS).
    """

    def __init__(
        self,
        *,
        device_id: int,
        seed: int,
        clock: Clock,
        fps: int = 100,
        scene: str = "site",
        password: str | None = None,
        file_chunk_size: int = DEFAULT_FILE_CHUNK_SIZE,
        plays_technician: bool = False,
    ) -> None:
        self.clock = clock
        self.plays_technician = plays_technician
        self._scene_before_calibration = scene
        self.device_id = device_id
        self._rng = random.Random(seed)
        self.password = password or factory.DEFAULT_PASSWORD
        self.password_is_default = password is None
        self.config = factory.factory_configuration()
        self.net = factory.factory_net_settings()
        self.name = f"msk101poe-{device_id}"
        #: Called (NETWORK_RESTART_S after the answer) when stored network settings change: whoever serves
        #: the simulator moves it to its new address and announces it there if name resolution is on.
        self.on_address_changed: Callable[[], None] | None = None
        self.sensor_firmware = factory.SENSOR_FIRMWARE
        self.comboard_firmware = factory.COMBOARD_FIRMWARE
        self.web_contents: dict[str, Any] = web_contents(factory.WEB_VERSION, web_files(factory.WEB_VERSION))
        self.tokens: dict[str, float] = {}
        #: While power is off (device seconds, from and until) the sensor answers nothing useful.
        self.power_off: tuple[float, float] | None = None
        self.scene = RadarScene(scene, seed, fps, factory.MAX_DISTANCE_MM, factory.MIN_DISTANCE_MM)
        self.radar = RadarEngine(self.scene, clock.monotonic())
        self.update = UpdateSession(file_chunk_size, write_fails=self._update_write_fails)
        self.requests = RequestLog(clock)
        self.scenarios = Scenarios(SCENARIOS, self._scenario_changed)
        self.info = self._info()
        self._app = Starlette(routes=self._routes())

    def _info(self) -> SimulatedDeviceInfo:
        host = host_name_for(str(self.device_id))
        return SimulatedDeviceInfo(
            vendor=VENDOR_ID,
            model=MODEL_NAME,
            serial=str(self.device_id),
            mac=":".join(f"{b:02x}" for b in (0x02, 0x1D, 0xC9, *self.device_id.to_bytes(3, "big"))),
            firmware=format_version(self.sensor_firmware),
            username="",
            password=self.password,
            scheme="https",
            advert=(
                MdnsAdvert(SERVICE_TYPE, f"{MODEL_NAME} {self.name}", host, {"path": "/"})
                if self.net["netConfiguration"] & NetFlag.NAME_RESOLUTION
                else None
            ),
            extra={"password_is_default": self.password_is_default, "scene": self.scene.name},
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve one ASGI request."""
        if scope["type"] == "http":
            receive, send = await self.requests.record(scope, receive, send)
            if not self.powered():
                # A sensor without power answers nothing; the nearest an ASGI app gets is 503, no body.
                await Response(status_code=503)(scope, receive, send)
                return
        await self._app(scope, receive, send)

    async def start(self) -> None:
        """Power on: the 20 s unauthenticated reset window starts now."""
        self.reboot()

    async def stop(self) -> None:
        """Nothing runs in the background: frames are computed from the clock on demand."""

    def store_net_settings(self, settings: dict[str, Any]) -> None:
        """Keep new network settings (§3.9); a change restarts the network: `on_address_changed` follows."""
        changed = settings != self.net
        self.net = settings
        self.info = self._info()  # name resolution off: no mDNS announcement after the restart
        if changed and self.on_address_changed is not None:
            asyncio.get_running_loop().call_later(NETWORK_RESTART_S, self.on_address_changed)

    # --- named scenarios -------------------------------------------------------------------------

    def power_cycle(self, *, after: float = 0.0, off_for: float = POWER_OFF_S) -> None:
        """Cut the power `after` seconds from now for `off_for` seconds; the sensor then starts again."""
        start = self._now() + after
        self.power_off = (start, start + off_for)

    def powered(self) -> bool:
        """Whether the sensor has power now; ends a due power cut with a start-up (the reset window opens)."""
        if self.power_off is None:
            return True
        start, end = self.power_off
        now = self._now()
        if now < start:
            return True
        if now < end:
            return False
        self.power_off = None
        self.reboot(at=end)
        return True

    def reboot(self, at: float | None = None) -> None:
        """Restart (at device time `at`, default now): sessions end, calibration data is lost, frame counting
        restarts, the reset window reopens."""
        self.tokens.clear()
        events = self.radar.events
        position, reference = self.radar.position, self.radar.reference_position
        self.radar = RadarEngine(self.scene, self._now() if at is None else at)
        self.radar.events, self.radar.position, self.radar.reference_position = events, position, reference
        self.update = UpdateSession(self.update.file_chunk_size, write_fails=self._update_write_fails)

    def use_scene(self, name: str) -> None:
        """Change what moves in front of the sensor ("site", "calibration", "crowd", "empty")."""
        self._advance()
        self.scene.use(name)

    def move_sensor(self, elevation: int, rotation: int) -> None:
        """Tilt or turn the sensor (tamper alarm if anti-tamper is on and it moved beyond tolerance)."""
        self._advance()
        self.radar.position = (elevation, rotation)

    def calibration_started(self) -> None:
        """The demo's technician starts walking the calibration object (only with `plays_technician`)."""
        if self.plays_technician:
            self._scene_before_calibration = self.scene.name
            self.use_scene("calibration")

    def reset_refused(self) -> None:
        """The demo's technician, asked to power-cycle the sensor, unplugs it (with `plays_technician`)."""
        if self.plays_technician and self.power_off is None:
            self.power_cycle(after=UNPLUG_AFTER_S)

    def calibration_stopped(self) -> None:
        """The demo's technician is done; the site's usual traffic comes back."""
        if self.plays_technician and self.scene.name == "calibration":
            self.use_scene(self._scene_before_calibration)

    def _update_write_fails(self) -> bool:
        return self.scenarios.take("update_write_error")

    def _scenario_changed(self, name: str, on: bool) -> None:
        if name == "token_expiry":
            self.tokens.clear()
        elif name == "reboot":
            self.reboot()
        elif name == "power_cycle":
            self.power_cycle()
        elif name == "masked":
            self._advance()
            self.radar.masked = on
        elif name in RADAR_FAULTS:
            self._advance()
            (self.radar.faults.add if on else self.radar.faults.discard)(RADAR_FAULTS[name])

    # --- plumbing ----------------------------------------------------------------------------------

    def _now(self) -> float:
        return self.clock.monotonic()

    def _advance(self) -> None:
        self.radar.advance(self._now(), self.config)

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        expires = self.tokens.get(token)
        if expires is None or expires <= self._now():
            self.tokens.pop(token, None)
            return False
        return True

    def _issue_token(self) -> str:
        token = f"{self._rng.getrandbits(128):032x}"
        self.tokens[token] = self._now() + TOKEN_LIFETIME_S
        return token

    def _routes(self) -> list[Route]:
        from app.vendors.inxpect.simulator.routes import build_routes

        return build_routes(self)

    def guard(
        self, handler: Handler, *, allow_default: bool = False, public: bool = False, scene: bool = True
    ) -> Handler:
        """Wrap a handler: demand a live token, refuse while the password is default.

        With `scene` the radar first processes every frame acquired since the last such request; routes
        that report nothing from the radar (session, identity, update chunks) pass False and skip that.
        """

        async def guarded(request: Request) -> Response:
            if not public:
                if not self._authorised(request):
                    return JSONResponse({"errorCode": 403}, status_code=403)
                if self.password_is_default and not allow_default:
                    return JSONResponse({"errorCode": 100}, status_code=403)
            if scene:
                self._advance()
            return await handler(request)

        return guarded

    def update_refused(self, err: UpdateRefusedError) -> Response:
        """The answer to a broken update step: its errorCode (the session keeps its state until forced)."""
        log.info("simulated MSK refused update step: %s", err)
        return JSONResponse({"errorCode": err.code})

    def finish_update(self, files: list[tuple[dict[str, Any], bytearray]], destination: int) -> None:
        """Install what an update delivered, then reboot as the device does after an update."""
        if destination == 2:
            for manifest, data in files:
                if manifest["file"] == "contents.json":
                    self.web_contents = json.loads(data)
        else:
            version = max(int(manifest["vc"]) for manifest, _ in files)
            if destination == 0:
                self.sensor_firmware = version
            else:
                self.comboard_firmware = version
            self.reboot()

    def in_reset_window(self) -> bool:
        """Whether /comboardReset is allowed without login (first 20 s after start, §3.15)."""
        return self._now() - self.radar.boot_time < UNAUTHENTICATED_RESET_WINDOW_S

    def phase(self) -> Phase:
        """Where the update session is (for tests)."""
        return self.update.phase
