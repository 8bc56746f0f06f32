"""The simulated MSK-101-POE's endpoints (§3), each answering as the document describes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.vendors.inxpect.simulator import factory
from app.vendors.inxpect.simulator.updates import Phase, UpdateRefusedError

if TYPE_CHECKING:
    from app.vendors.inxpect.simulator.device import InxpectSimulator

OK = {"errorCode": 0}
CALIBRATION_REFUSED = 1


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def build_routes(sim: InxpectSimulator) -> list[Route]:
    """Every route of the document bound to `sim`."""
    session = _SessionRoutes(sim)
    sensor = _SensorRoutes(sim)
    live = _LiveRoutes(sim)
    update = _UpdateRoutes(sim)
    g = sim.guard
    return [
        # Assumed: §2 does not say contents.json needs a login; the simulator serves it without one.
        Route("/contents.json", g(update.contents, public=True, scene=False), methods=["GET"]),
        Route("/login", g(session.login, public=True, scene=False), methods=["PUT"]),
        Route("/logout", g(session.logout, allow_default=True, scene=False), methods=["PUT"]),
        Route("/updateToken", g(session.update_token, allow_default=True, scene=False), methods=["GET"]),
        Route(
            "/changePassword", g(session.change_password, allow_default=True, scene=False), methods=["PUT"]
        ),
        Route("/comboardReset", g(session.comboard_reset, public=True, scene=False), methods=["PUT"]),
        Route("/comBoardName", g(session.name, scene=False), methods=["GET", "PUT"]),
        Route("/netSettings", g(session.net_settings, scene=False), methods=["GET", "PUT"]),
        Route("/sensorInfo", g(sensor.info, scene=False), methods=["GET"]),
        Route("/sensorConfiguration", g(sensor.configuration), methods=["GET", "PUT"]),
        Route("/sensorPositionStatus", g(sensor.position), methods=["GET"]),
        Route("/installationConfigurations", g(sensor.installations, scene=False), methods=["GET"]),
        Route("/sensorReset", g(sensor.reset), methods=["PUT"]),
        Route("/calibrationStatus", g(sensor.calibration), methods=["PUT"]),
        Route("/calibrationData", g(sensor.calibration_data), methods=["GET"]),
        Route("/detectionStatus", g(live.detections), methods=["GET"]),
        Route("/alarmStatus", g(live.alarms), methods=["GET"]),
        Route("/eventLog", g(live.event_log), methods=["GET"]),
        *(
            # Only the final step reboots the device, so only it brings the radar up to date first.
            Route(f"/{name}", g(getattr(update, name), scene=name == "stopProcessUpdate"), methods=["PUT"])
            for name in (
                "startProcessUpdate",
                "startManifestUpdate",
                "chunkManifestUpdate",
                "stopManifestUpdate",
                "startFileUpdate",
                "chunkFileUpdate",
                "stopFileUpdate",
                "stopProcessUpdate",
            )
        ),
    ]


class _SessionRoutes:
    """Login, tokens, password, name, network settings, com board reset (§3.9-§3.13, §3.15, §3.16)."""

    def __init__(self, sim: InxpectSimulator) -> None:
        self.sim = sim

    async def login(self, request: Request) -> Response:
        body = await _json_body(request)
        if body.get("password") != self.sim.password:
            return JSONResponse({"errorCode": 1})
        token = self.sim._issue_token()
        return JSONResponse({"errorCode": 100 if self.sim.password_is_default else 0, "token": token})

    async def logout(self, request: Request) -> Response:
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        self.sim.tokens.pop(token, None)
        return JSONResponse(OK)

    async def update_token(self, request: Request) -> Response:
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        self.sim.tokens.pop(token, None)
        return JSONResponse({"errorCode": 0, "token": self.sim._issue_token()})

    async def change_password(self, request: Request) -> Response:
        body = await _json_body(request)
        new = body.get("newPassword")
        if body.get("oldPassword") != self.sim.password:
            return JSONResponse({"errorCode": 1})
        # Assumed: §3.10 gives no password rule; the simulator asks for 8 characters, like the app.
        if not isinstance(new, str) or len(new) < 8 or new == factory.DEFAULT_PASSWORD:
            return JSONResponse({"errorCode": 2})
        self.sim.password, self.sim.password_is_default = new, False
        return JSONResponse(OK)

    async def comboard_reset(self, request: Request) -> Response:
        if not self.sim._authorised(request) and not self.sim.in_reset_window():
            self.sim.reset_refused()
            return JSONResponse({"errorCode": 403}, status_code=403)
        self.sim.password, self.sim.password_is_default = factory.DEFAULT_PASSWORD, True
        self.sim.name = f"msk101poe-{self.sim.device_id}"
        self.sim.tokens.clear()
        self.sim.store_net_settings(factory.factory_net_settings())
        return JSONResponse(OK)

    async def name(self, request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse({"name": self.sim.name})
        name = (await _json_body(request)).get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 32 or not name.replace("-", "").isalnum():
            return JSONResponse({"errorCode": 1})
        self.sim.name = name
        return JSONResponse(OK)

    async def net_settings(self, request: Request) -> Response:
        if request.method == "GET":
            # The simulator really serves on loopback, so that is what the `cur*` fields report.
            current = {
                "curNetConfiguration": self.sim.net["netConfiguration"],
                "curHostAddress": "127.0.0.1",
                "curSubnet": "255.0.0.0",
                "curGateway": "0.0.0.0",  # noqa: S104  (no gateway on loopback),
            }
            return JSONResponse(self.sim.net | current)
        body = await _json_body(request)
        if not factory.valid_net_settings(body):
            return JSONResponse({"errorCode": 1})
        self.sim.store_net_settings(self.sim.net | body)
        return JSONResponse(OK)


class _SensorRoutes:
    """Info, configuration, position, installations, resets, calibration (§3.3-§3.8, §3.14)."""

    def __init__(self, sim: InxpectSimulator) -> None:
        self.sim = sim

    async def info(self, request: Request) -> Response:
        sim = self.sim
        return JSONResponse(
            {
                "sensorInfo": {
                    "model": 1,
                    "family": 5,
                    "fwVersion": sim.sensor_firmware,
                    "deviceId": 7_000_000 + sim.device_id,
                    "minDistance": factory.MIN_DISTANCE_MM,
                    "maxDistance": factory.MAX_DISTANCE_MM,
                    "minAngle": factory.MIN_ANGLE,
                    "maxAngle": factory.MAX_ANGLE,
                },
                "comBoardInfo": {
                    "model": 1,
                    "family": 5,
                    "fwVersion": sim.comboard_firmware,
                    "deviceId": sim.device_id,
                    "pinResetRequired": int(sim.password_is_default),
                },
            }
        )

    async def configuration(self, request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse({"configuration": self.sim.config.to_raw()})
        changes = (await _json_body(request)).get("configuration")
        if not isinstance(changes, dict):
            return JSONResponse({"errorCode": factory.UNKNOWN_FIELD})
        updated = factory.apply_configuration(self.sim.config, changes)
        if isinstance(updated, int):
            return JSONResponse({"errorCode": updated})
        self.sim.config = updated
        self.sim.radar.reference_position = self.sim.radar.position
        return JSONResponse(OK)

    async def position(self, request: Request) -> Response:
        elevation, rotation = self.sim.radar.position
        wobble = self.sim.radar.processed % 3 - 1  # the inclinometer's last-digit jitter
        return JSONResponse({"elevation": elevation + wobble, "rotation": rotation})

    async def installations(self, request: Request) -> Response:
        return JSONResponse({"installations": list(factory.INSTALLATIONS)})

    async def reset(self, request: Request) -> Response:
        self.sim.config = factory.factory_configuration()
        return JSONResponse(OK)

    async def calibration(self, request: Request) -> Response:
        operation = (await _json_body(request)).get("operation")
        radar = self.sim.radar
        running = radar.calibration is not None and radar.calibration.result is None
        if operation in (1, 2):
            radar.start_calibration(self.sim.clock.monotonic())
            self.sim.calibration_started()
            return JSONResponse(OK)
        if operation == 0 and running:
            code = radar.stop_calibration()
            self.sim.calibration_stopped()
            return JSONResponse({"errorCode": code})
        if operation == 3 and radar.calibration is not None and radar.calibration.result in (0, 223):
            self.sim.config = self.sim.config.with_changes(
                calibration_coefficient=radar.calibration.value,
                configurations_count=self.sim.config.configurations_count + 1,
            )
            return JSONResponse(OK)
        return JSONResponse({"errorCode": CALIBRATION_REFUSED})

    async def calibration_data(self, request: Request) -> Response:
        calibration = self.sim.radar.calibration
        if calibration is None or calibration.result is None:
            return JSONResponse({"version": 1, "value": 0, "mse": 0, "peaks": []})
        return JSONResponse(
            {"version": 1, "value": calibration.value, "mse": calibration.mse, "peaks": calibration.peaks}
        )


class _LiveRoutes:
    """Detection and alarm status, event log (§3.1, §3.2, §3.17)."""

    def __init__(self, sim: InxpectSimulator) -> None:
        self.sim = sim

    async def detections(self, request: Request) -> Response:
        frame = self.sim.radar.last_detection
        return JSONResponse(
            {
                "fps": self.sim.scene.fps,
                "acqIdx": frame.index,
                "elapsedTime": self._elapsed_ms(frame.time),
                "targets": frame.targets,
            }
        )

    async def alarms(self, request: Request) -> Response:
        radar = self.sim.radar
        return JSONResponse(
            {
                "fps": self.sim.scene.fps,
                "acqIdx": radar.last_alarm.index,
                "elapsedTime": self._elapsed_ms(radar.last_alarm.time),
                "alarms": radar.alarm_list,
            }
        )

    async def event_log(self, request: Request) -> Response:
        now = self.sim.clock.monotonic()
        return JSONResponse({"events": [event.to_raw(now) for event in reversed(self.sim.radar.events)]})

    def _elapsed_ms(self, time: float) -> int:
        return max(int((self.sim.clock.monotonic() - time) * 1000), 0)


class _UpdateRoutes:
    """The update flow (§2, §3.18-§3.25) and the web server's /contents.json."""

    def __init__(self, sim: InxpectSimulator) -> None:
        self.sim = sim

    async def contents(self, request: Request) -> Response:
        return JSONResponse(self.sim.web_contents)

    async def _step(self, action: Any) -> Response:
        try:
            result = action()
        except UpdateRefusedError as err:
            return self.sim.update_refused(err)
        return JSONResponse({"errorCode": 0, "maxChunkSize": result} if isinstance(result, int) else OK)

    async def startProcessUpdate(self, request: Request) -> Response:  # noqa: N802  (the vendor's path)
        destination = (await _json_body(request)).get("dst", -1)
        if not isinstance(destination, int) or isinstance(destination, bool):
            destination = -1  # refused below like any unknown destination
        return await self._step(lambda: self.sim.update.start_process(destination))

    async def startManifestUpdate(self, request: Request) -> Response:  # noqa: N802
        return await self._step(self.sim.update.start_manifest)

    async def chunkManifestUpdate(self, request: Request) -> Response:  # noqa: N802
        return await self._chunk(request, Phase.MANIFEST)

    async def stopManifestUpdate(self, request: Request) -> Response:  # noqa: N802
        return await self._step(self.sim.update.stop_manifest)

    async def startFileUpdate(self, request: Request) -> Response:  # noqa: N802
        return await self._step(self.sim.update.start_file)

    async def chunkFileUpdate(self, request: Request) -> Response:  # noqa: N802
        return await self._chunk(request, Phase.FILE)

    async def stopFileUpdate(self, request: Request) -> Response:  # noqa: N802
        return await self._step(self.sim.update.stop_file)

    async def stopProcessUpdate(self, request: Request) -> Response:  # noqa: N802
        force = bool((await _json_body(request)).get("force", 0))
        destination = self.sim.update.destination
        try:
            files = self.sim.update.stop_process(force)
        except UpdateRefusedError as err:
            return self.sim.update_refused(err)
        if files is not None:
            self.sim.finish_update(files, destination)
        return JSONResponse(OK)

    async def _chunk(self, request: Request, phase: Phase) -> Response:
        body = await request.body()
        update = self.sim.update
        return await self._step(
            lambda: update.chunk(
                phase, request.headers.get("x-update-filename"), request.headers.get("content-range"), body
            )
        )
