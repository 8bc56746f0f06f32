"""The Axis plugin: `_axis-video._tcp` discovery, VAPIX identification, stitching client and simulator."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from app.backend import evidence
from app.backend.transport import DeviceTransport
from app.core.errors import (
    AuthenticationError,
    DeviceProtocolError,
    InvalidParameterError,
    NotSupportedError,
    PermissionDeniedError,
)
from app.core.models import (
    Credentials,
    DeviceCandidate,
    DeviceIdentity,
    DiscoveryRecord,
    Endpoint,
    Scheme,
    VendorId,
)
from app.vendors.axis.client import AxisClient, identity_from, read_basic_device_info
from app.vendors.axis.models import SERVICE_TYPE, VENDOR_ID
from app.vendors.base import AcceptanceTest, VendorKind

if TYPE_CHECKING:
    from app.core.clock import Clock
    from app.vendors.axis.simulator import AxisSimulator


def parse_instance_name(instance_name: str) -> tuple[str, str]:
    """(model, serial) from an Axis instance name "<model> - <serial>"; ("", "") when it is not one."""
    name = instance_name.removesuffix("." + SERVICE_TYPE).removesuffix(SERVICE_TYPE)
    model, separator, serial = name.rpartition(" - ")
    if not separator or not model:
        return "", ""
    return model.strip(), serial.strip().upper()


def format_mac(text: str) -> str:
    """A 12-hex-digit MAC (with or without separators) as AA:BB:CC:DD:EE:FF; "" when malformed."""
    digits = "".join(ch for ch in text if ch.isalnum()).upper()
    if len(digits) != 12 or any(ch not in "0123456789ABCDEF" for ch in digits):
        return ""
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


class AxisPlugin:
    """Axis cameras as the app discovers, identifies, commissions and simulates them."""

    vendor_id: VendorId = VENDOR_ID
    display_name = "Axis"
    short_name = "Axis"
    kind = VendorKind.LAN_DEVICE
    service_types: tuple[str, ...] = (SERVICE_TYPE,)
    default_ports: tuple[int, ...] = (443, 80)
    default_scheme: Scheme = "https"
    in_demo = True
    client_type = AxisClient
    acceptance_tests = (
        AcceptanceTest("alignment recorded", (evidence.ALIGNMENT_RECORDED,), frozenset({"recorded"})),
    )

    def match(self, record: DiscoveryRecord) -> DeviceCandidate | None:
        """Claim `_axis-video._tcp` records; model and serial from the instance name, MAC from TXT."""
        if record.service_type != SERVICE_TYPE or not record.addresses:
            return None
        model, serial = parse_instance_name(record.instance_name)
        mac = format_mac(record.txt.get("macaddress", "")) or format_mac(serial)
        identity = DeviceIdentity(vendor=VENDOR_ID, model=model or "Axis device", serial=serial, mac=mac)
        endpoint = Endpoint(record.addresses[0], record.port, self.default_scheme)
        return DeviceCandidate(
            endpoint=endpoint, identity=identity, record=record, addresses=record.addresses
        )

    async def identify(self, http: httpx.AsyncClient, endpoint: Endpoint) -> DeviceIdentity | None:
        """VAPIX basic device info (getAllUnrestrictedProperties, unauthenticated); None if not Axis."""
        transport = DeviceTransport.for_probe(http, endpoint.base_url, str(endpoint))
        try:
            info = await read_basic_device_info(transport)
        except (
            NotSupportedError,
            DeviceProtocolError,
            InvalidParameterError,
            AuthenticationError,
            PermissionDeniedError,
        ):
            # Not an Axis VAPIX answer (unknown path, other JSON, or a device that wants credentials here).
            return None
        if info.brand and info.brand.upper() != "AXIS":
            return None
        return identity_from(info)

    def create_client(
        self, http: httpx.AsyncClient, endpoint: Endpoint, credentials: Credentials
    ) -> AxisClient:
        """An AxisClient (Digest, or Basic where only Basic is offered) on the trusted `http` client."""
        return AxisClient.connect(http, endpoint, credentials)

    def create_simulator(self, *, serial_index: int, seed: int, clock: Clock) -> AxisSimulator:
        """A simulated AXIS Q3819-PVE panoramic camera, misaligned from its seed."""
        from app.vendors.axis.simulator import AxisSimulator

        return AxisSimulator(serial_index=serial_index, seed=seed, clock=clock)


PLUGIN = AxisPlugin()
