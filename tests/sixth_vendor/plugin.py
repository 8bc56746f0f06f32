"""The Lumen plugin: `_lumen._tcp` discovery, /api/hello identification, client and simulator factories."""

from __future__ import annotations

from typing import Final

import httpx

from app.core.clock import Clock
from app.core.models import (
    Credentials,
    DeviceCandidate,
    DeviceIdentity,
    DiscoveryRecord,
    Endpoint,
    Scheme,
    VendorId,
)
from app.vendors.base import VendorKind
from tests.sixth_vendor.client import LumenClient
from tests.sixth_vendor.models import HELLO_PATH, MODEL, SERVICE_TYPE, VENDOR_ID, identity_from
from tests.sixth_vendor.simulator import LumenSimulator


class LumenPlugin:
    """VendorPlugin for Lumen door controllers."""

    vendor_id: VendorId = VENDOR_ID
    display_name = "Lumen door controller"
    short_name = "Lumen"
    kind = VendorKind.LAN_DEVICE
    service_types: tuple[str, ...] = (SERVICE_TYPE,)
    default_ports: tuple[int, ...] = (443,)
    default_scheme: Scheme = "https"
    in_demo = False
    client_type = LumenClient

    def match(self, record: DiscoveryRecord) -> DeviceCandidate | None:
        """Claim `_lumen._tcp` records; the serial is learnt from the probe."""
        if record.service_type != SERVICE_TYPE or not record.addresses:
            return None
        identity = DeviceIdentity(vendor=VENDOR_ID, model=MODEL)
        endpoint = Endpoint(record.addresses[0], record.port, "https")
        return DeviceCandidate(endpoint, identity, record=record, addresses=record.addresses)

    async def identify(self, http: httpx.AsyncClient, endpoint: Endpoint) -> DeviceIdentity | None:
        """GET /api/hello without credentials; None when the answer is not a Lumen's."""
        try:
            response = await http.get(f"{endpoint.base_url}{HELLO_PATH}", timeout=5.0)
            return identity_from(response.json()) if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError):
            return None

    def create_client(
        self, http: httpx.AsyncClient, endpoint: Endpoint, credentials: Credentials
    ) -> LumenClient:
        """A LumenClient on the trusted `http` client."""
        return LumenClient(http, endpoint, credentials)

    def create_simulator(self, *, serial_index: int, seed: int, clock: Clock) -> LumenSimulator:
        """A simulated controller whose serial follows `serial_index`."""
        return LumenSimulator(serial_index=serial_index, clock=clock)


PLUGIN: Final = LumenPlugin()
