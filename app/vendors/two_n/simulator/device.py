"""TwoNSimulator: a simulated 2N IP intercom as a Starlette-based ASGI app with injected clock and seed."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app.core.clock import Clock, SystemClock
from app.vendors.base import MdnsAdvert, SimulatedDeviceInfo
from app.vendors.simulation import RequestLog, Scenario, ScenarioKind, Scenarios
from app.vendors.two_n.endpoints import FUNCTIONS, Service
from app.vendors.two_n.models import VENDOR_ID
from app.vendors.two_n.simulator import camera, directory, display, io_ports, peripherals, phone, system
from app.vendors.two_n.simulator.directory_store import DirectoryStore
from app.vendors.two_n.simulator.envelope import Params, SimulatorError, failure, json_reply
from app.vendors.two_n.simulator.events import EventLog
from app.vendors.two_n.simulator.profiles import ModelProfile, profile_for
from app.vendors.two_n.simulator.residents import seed_residents
from app.vendors.two_n.simulator.security import Account, Authenticator, ServiceSettings, default_services
from app.vendors.two_n.simulator.state import DeviceState

log = logging.getLogger(__name__)

Handler = Callable[["TwoNSimulator", Params, Request], Awaitable[Response]]
#: Largest blob the simulated device accepts (firmware images are tens of MB).
MAX_BLOB = 64 * 1024 * 1024
REBOOT_SECONDS = 8.0
#: Faults act on every API request while on (or on `times` of them); "slow_display_bus" makes an image's
#: first upload take 2 s (§5.9.2: the internal bus is slow the first time, cached images are instant).
FAULTS = ("timeout", "malformed", "busy")
_EACH = ScenarioKind.PER_REQUEST
SCENARIOS = (
    Scenario("timeout", "API requests get no answer", _EACH),
    Scenario("malformed", "API requests are answered with a truncated JSON body", _EACH),
    Scenario("busy", "API requests are refused with error 18, request is rejected", _EACH),
    Scenario("slow_display_bus", "an image's first upload to the display takes 2 s"),
    *phone.SCENARIOS,
    *io_ports.SCENARIOS,
    *camera.SCENARIOS,
)
BASE_FIRMWARE = "2.37.1.48.0"

_HANDLERS: dict[str, Handler] = {
    **system.HANDLERS, **peripherals.HANDLERS, **camera.HANDLERS, **io_ports.HANDLERS, **display.HANDLERS,
    **phone.HANDLERS, **directory.HANDLERS}


class TwoNSimulator:
    """A stateful simulated intercom; `serial_index` picks the model (IP Verso, Vario, Style in turn)."""

    def __init__(
        self, *, serial_index: int = 0, seed: int = 0, clock: Clock | None = None,
        profile: ModelProfile | None = None, firmware: str = BASE_FIRMWARE,
        reboot_seconds: float = REBOOT_SECONDS,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.rng = random.Random(seed * 7919 + serial_index)
        self.profile = profile or profile_for(serial_index)
        self.serial = f"{self.profile.serial_prefix}-{serial_index // 10000:04d}-{serial_index % 10000:04d}"
        self.mac = "FC-1E-B3-" + "-".join(f"{(serial_index >> shift) & 0xFF:02X}" for shift in (16, 8, 0))
        self.services: dict[Service, ServiceSettings] = default_services()
        password = f"2n-{self.rng.randrange(10**6):06d}"
        self.accounts = [Account("admin", password)]
        self.authenticator = Authenticator(self.accounts, self.rng)
        self.events = EventLog(self.clock, self.rng)
        self.state = DeviceState.factory(self.profile, firmware)
        self.requests = RequestLog(self.clock)
        self.phone = phone.SipSide(self)
        self.ports = io_ports.PortLevels(self)
        self.directory = DirectoryStore(self.profile, random.Random(self.rng.random()))
        seed_residents(self.directory)
        self.scenarios = Scenarios(SCENARIOS, self._scenario_changed)
        self.reboot_seconds = reboot_seconds
        self.boot_mono = self.clock.monotonic()
        self._booted = asyncio.Event()
        self._booted.set()
        #: Set by stop(): push streams (camera) end, so the server can close their connections.
        self.stopping = asyncio.Event()
        #: Camera push streams being sent now.
        self.camera_streams = 0
        self._tasks: set[asyncio.Task[Any]] = set()
        self.info = SimulatedDeviceInfo(
            vendor=VENDOR_ID, model=self.profile.variant, serial=self.serial, mac=self.mac.replace("-", ":"),
            firmware=firmware, username="admin", password=password, scheme="https",
            advert=MdnsAdvert(
                "_https._tcp.local.", f"{self.profile.variant} {self.serial}",
                f"2n-{self.serial.replace('-', '')}.local.",
                {"vendor": "2N", "model": self.profile.variant, "serial": self.serial},
            ),
            extra={"display": "/sim/display.png"},
        )
        self.events.emit("DeviceState", {"state": "startup"})

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Nothing runs until requests or timers need it; timers are started on demand."""
        self.stopping.clear()

    async def stop(self) -> None:
        """Cancel timers; answer held requests (long polls, reboot waits) before the server stops."""
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()
        self.events.wake_all()
        self.stopping.set()
        self._booted.set()

    def later(self, seconds: float, action: Callable[[], object]) -> asyncio.Task[None]:
        """Run `action` `seconds` from now on the simulator's clock (due time fixed now, not at start)."""
        due = self.clock.monotonic() + seconds

        async def run() -> None:
            await self.clock.sleep(due - self.clock.monotonic())
            action()

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    @property
    def up_time(self) -> int:
        """Seconds since the last boot."""
        return int(self.clock.monotonic() - self.boot_mono)

    @property
    def rebooting(self) -> bool:
        """True while the device is down for a restart."""
        return not self._booted.is_set()

    def reboot(
        self, seconds: float | None = None, before_boot: Callable[[], object] | None = None
    ) -> None:
        """Go down for `seconds` (requests get no answer meanwhile), then boot with a fresh event log."""
        self._booted.clear()
        seconds = self.reboot_seconds if seconds is None else seconds

        def boot() -> None:
            if before_boot is not None:
                before_boot()
            self.boot_mono = self.clock.monotonic()
            self.state.after_reboot()
            self.ports.after_reboot()
            self.phone.calls.clear()  # a restart drops every call
            self.authenticator.nonces.clear()  # Digest nonces do not survive a restart
            self.events.reboot()
            self.events.emit("DeviceState", {"state": "startup"})
            self._booted.set()
            self.later(2.0, lambda: self.events.emit(
                "RegistrationStateChanged", {"sipAccount": 1, "state": "registered"}))

        self.later(seconds, boot)

    def _scenario_changed(self, name: str, on: bool) -> None:
        self.phone.scenario_changed(name, on)
        self.ports.scenario_changed(name, on)

    # -- ASGI --------------------------------------------------------------------------------

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve one HTTP request as the intercom would."""
        if scope["type"] != "http":
            return
        receive, send = await self.requests.record(scope, receive, send)
        request = Request(scope, receive)
        response = await self.handle(request)
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        """Check path, method, service, transport, auth and privilege in the device's order, then answer."""
        if request.url.path.startswith("/sim/"):
            return await display.debug_endpoint(self, request)
        # A restarting intercom does not answer at all; the request waits until it is back.
        await self._booted.wait()
        version = self.state.sw_version
        try:
            fault = next((name for name in FAULTS if self.scenarios.take(name)), None)
            if fault is not None:
                return await self._faulty(fault, version)
            function = FUNCTIONS.get(request.url.path)
            handler = _HANDLERS.get(request.url.path)
            if function is None or handler is None:
                raise SimulatorError(2)
            if request.method not in function.methods:
                raise SimulatorError(3)
            account = self._authorise(request, function.service, function.privilege)
            params = await Params.read(request, MAX_BLOB)
            request.state.account = account
            return await handler(self, params, request)
        except _Challenge as challenge:
            return failure(version, SimulatorError(9), challenge.header)
        except SimulatorError as err:
            return failure(version, err)

    def _authorise(self, request: Request, service: Service, privilege: str) -> Account | None:
        settings = self.services[service]
        if not settings.enabled:
            raise SimulatorError(4)
        if settings.connection == "https" and request.url.scheme != "https":
            raise SimulatorError(7)
        # Assumed: system/info "regardless of access rights" (§5.1) answers without any login.
        if settings.auth == "none" or (not privilege and request.url.path == "/api/system/info"):
            return None
        uri = request.scope.get("raw_path", request.url.path.encode()).decode()
        if request.scope.get("query_string"):
            uri = f"{uri}?{request.scope['query_string'].decode()}"
        check = self.authenticator.check(
            settings.auth, request.headers.get("authorization", ""), request.method, uri)
        if check.code == 9:
            raise _Challenge(check.challenge)
        if check.code:
            raise SimulatorError(check.code)
        if privilege and check.account is not None and privilege not in check.account.privileges:
            raise SimulatorError(10)
        return check.account

    @staticmethod
    async def _faulty(fault: str, version: str) -> Response:
        if fault == "timeout":
            await asyncio.Event().wait()
        if fault == "malformed":
            headers = {"Server": f"HIP{version}"}
            return Response('{"success": tru', 200, headers, media_type="application/json")
        return json_reply({"success": False, "error": {"code": 18, "description": "request is rejected"}},
                          version)


class _Challenge(Exception):  # noqa: N818  (control flow inside the simulator, not an error)
    def __init__(self, header: str) -> None:
        super().__init__(header)
        self.header = header
