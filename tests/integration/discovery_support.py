"""A tiny vendor (plugin + simulator) of our own, so discovery tests do not depend on any real vendor."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.core.clock import Clock, SystemClock
from app.core.models import (
    Credentials,
    DeviceCandidate,
    DeviceIdentity,
    DiscoveryRecord,
    Endpoint,
    Scheme,
    VendorId,
)
from app.discovery.inventory import DeviceEntry, DeviceInventory
from app.vendors.base import MdnsAdvert, SimulatedDeviceInfo
from app.vendors.simulation import RequestLog, Scenarios

# A service type no other process on this machine announces: tests of several engineers share loopback mDNS.
SERVICE_TYPE = f"_cmt{secrets.token_hex(3)}._tcp.local."
MODEL = "Probe Test 1"


@dataclass
class FakeDevice:
    """A simulated device: GET /fake/identity answers its identity without login; it has no scenarios."""

    info: SimulatedDeviceInfo
    requests: RequestLog = field(default_factory=lambda: RequestLog(SystemClock()))
    scenarios: Scenarios = field(default_factory=lambda: Scenarios(()))

    def __post_init__(self) -> None:
        self._app = Starlette(routes=[Route("/fake/identity", self._identity)])

    async def _identity(self, request: Request) -> JSONResponse:
        info = self.info
        return JSONResponse({"fake": True, "model": info.model, "serial": info.serial,
                             "firmware": info.firmware, "mac": info.mac})

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        receive, send = await self.requests.record(scope, receive, send)
        await self._app(scope, receive, send)

    async def start(self) -> None:
        """Nothing runs in the background."""

    async def stop(self) -> None:
        """Nothing runs in the background."""


class StrangerDevice(FakeDevice):
    """Some other HTTPS device: it answers every path with 404."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        receive, send = await self.requests.record(scope, receive, send)
        await JSONResponse({"error": "not found"}, status_code=404)(scope, receive, send)


class FakePlugin:
    """A VendorPlugin for FakeDevice: claims SERVICE_TYPE records, identifies with GET /fake/identity."""

    vendor_id: VendorId = "two_n"
    display_name = "Probe Test vendor"
    service_types: tuple[str, ...] = (SERVICE_TYPE,)
    default_ports: tuple[int, ...] = ()
    default_scheme: Scheme = "https"
    capabilities: frozenset[str] = frozenset()

    def match(self, record: DiscoveryRecord) -> DeviceCandidate | None:
        if record.service_type != SERVICE_TYPE:
            return None
        identity = DeviceIdentity(vendor=self.vendor_id, model="", serial=record.txt.get("serial", ""))
        return DeviceCandidate(Endpoint(record.addresses[0], record.port), identity, record=record,
                               addresses=record.addresses)

    async def identify(self, http: httpx.AsyncClient, endpoint: Endpoint) -> DeviceIdentity | None:
        response = await http.get(f"{endpoint.base_url}/fake/identity")
        if response.status_code != 200 or not response.json().get("fake"):
            return None
        body = response.json()
        return DeviceIdentity(vendor=self.vendor_id, model=body["model"], serial=body["serial"],
                              firmware=body["firmware"], mac=body["mac"])

    def create_client(self, http: httpx.AsyncClient, endpoint: Endpoint, credentials: Credentials) -> Any:
        raise NotImplementedError("the test vendor has no client")

    def create_simulator(self, *, serial_index: int, seed: int, clock: Clock) -> FakeDevice:
        serial = f"PT{seed:04d}{serial_index:05d}"
        advert = MdnsAdvert(SERVICE_TYPE, f"Probe Test - {serial}", f"pt-{serial.lower()}.local.",
                            {"serial": serial})
        return FakeDevice(SimulatedDeviceInfo(
            vendor=self.vendor_id, model=MODEL, serial=serial, mac=f"02:00:00:00:{serial_index // 256:02X}:"
            f"{serial_index % 256:02X}", firmware="1.2.3", username="admin", password="pw", advert=advert,
        ))


FAKE_PLUGIN = FakePlugin()


def fake_lookup(_vendor: VendorId) -> FakePlugin:
    """A plugin_for() for run_site that always gives the test vendor."""
    return FAKE_PLUGIN


async def wait_for_entries(
    inventory: DeviceInventory, predicate: Callable[[list[DeviceEntry]], bool], timeout: float = 15.0
) -> list[DeviceEntry]:
    """Wait until `predicate(inventory.entries())` holds, woken by inventory changes; return the entries."""
    changed = asyncio.Event()
    unsubscribe = inventory.subscribe(lambda _change: changed.set())
    try:
        async with asyncio.timeout(timeout):
            while not predicate(inventory.entries()):
                await changed.wait()
                changed.clear()
    finally:
        unsubscribe()
    return inventory.entries()
