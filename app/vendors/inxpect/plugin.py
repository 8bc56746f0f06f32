"""The Inxpect plugin: how an MSK-101-POE is recognised, identified, driven and simulated."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

import httpx

from app.backend import evidence
from app.backend.transport import DeviceTransport
from app.core.clock import SystemClock
from app.core.decoding import decode_json
from app.core.errors import DeviceError
from app.core.models import (
    Credentials,
    DeviceCandidate,
    DeviceIdentity,
    DiscoveryRecord,
    Endpoint,
    Scheme,
    VendorId,
)
from app.vendors.base import AcceptanceTest, PasswordRecovery, VendorKind
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.device import InxpectDevice
from app.vendors.inxpect.identity import SERVICE_TYPE, VENDOR_ID, device_id_from_host, identity_for
from app.vendors.inxpect.password_recovery import as_password_recovery

if TYPE_CHECKING:
    from app.core.clock import Clock
    from app.vendors.inxpect.simulator import InxpectSimulator

log = logging.getLogger(__name__)



class InxpectPlugin:
    """VendorPlugin for the Inxpect MSK-101-POE."""

    vendor_id: VendorId = VENDOR_ID
    display_name = "Inxpect MSK-101-POE"
    short_name = "Inxpect"
    kind = VendorKind.LAN_DEVICE
    service_types: tuple[str, ...] = (SERVICE_TYPE,)
    default_ports: tuple[int, ...] = (443,)
    default_scheme: Scheme = "https"
    in_demo = True
    client_type = InxpectDevice
    acceptance_tests = (AcceptanceTest("walk test", (evidence.WALK_TEST,), frozenset({"passed"})),)

    def match(self, record: DiscoveryRecord) -> DeviceCandidate | None:
        """Claim an `_https._tcp` record whose host name is `msk101poe-<id>.local`; the id is the serial."""
        if record.service_type.rstrip(".").lower() != SERVICE_TYPE.rstrip(".").lower():
            return None
        device_id = device_id_from_host(record.host_name)
        if not device_id:
            return None
        host = record.addresses[0] if record.addresses else record.host_name.rstrip(".")
        return DeviceCandidate(
            endpoint=Endpoint(host, record.port, "https"),
            identity=identity_for(device_id),
            identified=True,
            record=record,
            addresses=record.addresses,
        )

    async def identify(self, http: httpx.AsyncClient, endpoint: Endpoint) -> DeviceIdentity | None:
        """GET /contents.json (the web server's file list, document §2, served without login).

        An MSK answers with a JSON object holding the `fA` file array; anything else is not an MSK.
        The serial comes from the host name when the endpoint is `msk101poe-<id>.local`, else it is
        learnt after login from /sensorInfo.
        """
        transport = DeviceTransport.for_probe(http, endpoint.base_url, str(endpoint))
        try:
            response = await transport.request("GET", "/contents.json", check_status=False)
            if response.status_code != 200:
                return None
            body = decode_json(response.content, "the web server's file list")
        except DeviceError as err:
            log.debug("inxpect probe of %s failed: %s", endpoint, err)
            return None
        if not isinstance(body, dict) or not isinstance(body.get("fA"), list) or "vc" not in body:
            return None
        return identity_for(device_id_from_host(endpoint.host))

    def create_client(
        self, http: httpx.AsyncClient, endpoint: Endpoint, credentials: Credentials
    ) -> InxpectDevice:
        """An InxpectClient on the trusted `http` client; the MSK has only a password (username unused)."""
        return InxpectDevice(http, endpoint, credentials)

    def password_recovery(self, http: httpx.AsyncClient, endpoint: Endpoint) -> PasswordRecovery:
        """The power-cycle recovery (§3.15): the network board back to factory, factory password included."""
        return as_password_recovery(InxpectClient(http, endpoint, Credentials("", "")), SystemClock())

    def create_simulator(self, *, serial_index: int, seed: int, clock: Clock) -> InxpectSimulator:
        """A simulated MSK-101-POE in factory state (default password), id unique per `serial_index`."""
        from app.vendors.inxpect.simulator import InxpectSimulator

        return InxpectSimulator(device_id=20000 + serial_index, seed=seed, clock=clock, plays_technician=True)


PLUGIN: Final = InxpectPlugin()
