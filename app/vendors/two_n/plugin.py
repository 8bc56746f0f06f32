"""The 2N plugin: how a 2N IP intercom is recognised, identified, driven and simulated."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import httpx

from app.backend import evidence
from app.backend.transport import DeviceTransport
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
from app.vendors.base import AcceptanceTest, SimulatedDevice, VendorKind
from app.vendors.two_n.client import TwoNClient, identity_from_info
from app.vendors.two_n.device import TwoNDevice
from app.vendors.two_n.models import VENDOR_ID

if TYPE_CHECKING:
    from app.core.clock import Clock

log = logging.getLogger(__name__)

#: The HTTP API document names no DNS-SD service. 2N intercoms serve their web interface and API
#: on HTTP and HTTPS, so discovery browses the generic web types and claims records whose instance
#: name is the intercom's device name, "2N IP ..." by default (§5.1.1 `deviceName`). The
#: unauthenticated /api/system/info probe (available "regardless of the set access rights") confirms.
SERVICE_TYPES = ("_https._tcp.local.", "_http._tcp.local.")


def _looks_like_2n(record: DiscoveryRecord) -> bool:
    vendor = record.txt.get("vendor", "") or record.txt.get("manufacturer", "")
    return record.instance_name.upper().startswith("2N ") or vendor.upper().startswith("2N")


class TwoNPlugin:
    """VendorPlugin for 2N IP intercoms (IP Verso, IP Vario, IP Style and siblings)."""

    vendor_id: VendorId = VENDOR_ID
    display_name = "2N IP intercom"
    short_name = "2N"
    kind = VendorKind.LAN_DEVICE
    service_types: tuple[str, ...] = SERVICE_TYPES
    default_ports: tuple[int, ...] = (443, 80)
    default_scheme: Scheme = "https"
    in_demo = True
    client_type = TwoNDevice
    acceptance_tests = (
        AcceptanceTest("door test", (evidence.TWO_N_DOOR_TEST,), frozenset({"passed"})),
        AcceptanceTest("test call", (evidence.TWO_N_TEST_CALL,), frozenset({"passed"})),
    )

    def match(self, record: DiscoveryRecord) -> DeviceCandidate | None:
        """Claim web-service records named like a 2N intercom; identity comes from the probe."""
        if record.service_type not in SERVICE_TYPES or not _looks_like_2n(record):
            return None
        scheme: Scheme = "https" if record.service_type.startswith("_https") else "http"
        host = record.addresses[0] if record.addresses else record.host_name
        identity = DeviceIdentity(
            vendor=VENDOR_ID, model=record.txt.get("model", ""), serial=record.txt.get("serial", ""),
            name=record.instance_name,
        )
        return DeviceCandidate(
            Endpoint(host, record.port, scheme), identity, identified=False, record=record,
            addresses=record.addresses,
        )

    async def identify(self, http: httpx.AsyncClient, endpoint: Endpoint) -> DeviceIdentity | None:
        """GET /api/system/info without credentials; None when the answer is not a 2N intercom's."""
        client = TwoNClient(
            http, endpoint, None, transport=DeviceTransport.for_probe(http, endpoint.base_url, str(endpoint))
        )
        try:
            info = await client.system_info()
        except DeviceError as err:
            log.debug("%s is not a 2N intercom: %s", endpoint, err)
            return None
        if not info.variant.upper().startswith("2N"):
            return None
        return identity_from_info(info)

    def create_client(
        self, http: httpx.AsyncClient, endpoint: Endpoint, credentials: Credentials
    ) -> TwoNDevice:
        """A TwoNDevice answering each service's Basic or Digest challenge with `credentials`."""
        return TwoNDevice(http, endpoint, credentials)

    def create_simulator(self, *, serial_index: int, seed: int, clock: Clock) -> SimulatedDevice:
        """A simulated intercom; the model (IP Verso, IP Vario, IP Style) rotates with `serial_index`."""
        from app.vendors.two_n.simulator import TwoNSimulator

        return TwoNSimulator(serial_index=serial_index, seed=seed, clock=clock)


PLUGIN = TwoNPlugin()
