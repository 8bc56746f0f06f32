"""The Hikvision plugin: the Hik-Partner Pro cloud account (not a LAN device; nothing to discover)."""

from __future__ import annotations

import logging

import httpx

from app.backend import evidence
from app.backend.transport import DeviceTransport
from app.core.clock import Clock
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
from app.vendors.base import AcceptanceTest, VendorKind
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.models import CLOUD_MODEL, VENDOR_ID
from app.vendors.hikvision.session import TOKEN_PATH
from app.vendors.hikvision.simulator import HikPartnerSimulator

log = logging.getLogger(__name__)

#: The global token hosts of §3.1; the area host comes from token/get.
TOKEN_HOSTS = {
    "General": Endpoint("api.hik-partner.com", 443),
    "Russia": Endpoint("api.hik-partnerru.com", 443),
}


class HikvisionPlugin:
    """Hik-Partner Pro: a cloud service reached with an API key and secret, opened from "Cloud accounts…"."""

    vendor_id: VendorId = VENDOR_ID
    display_name = "Hikvision Hik-Partner Pro"
    short_name = "Hikvision"
    kind = VendorKind.CLOUD_SERVICE
    service_types: tuple[str, ...] = ()
    default_ports: tuple[int, ...] = (443,)
    default_scheme: Scheme = "https"
    in_demo = True
    client_type = HikPartnerClient
    #: What accepts a device the cloud serves: registered to the customer's site, and that site accepted.
    acceptance_tests = (
        AcceptanceTest("cloud registration", (evidence.REGISTERED_PREFIX,), frozenset({"done"})),
        AcceptanceTest("hand-over", (evidence.CLOUD_DEVICE_STATE,),
                       frozenset({evidence.HANDOVER_ACCEPTED}), result_key="handover"),
    )

    def match(self, record: DiscoveryRecord) -> DeviceCandidate | None:
        """Nothing on the LAN is a Hik-Partner Pro cloud: always None."""
        return None

    async def identify(self, http: httpx.AsyncClient, endpoint: Endpoint) -> DeviceIdentity | None:
        """Probe token/get with empty keys: a Hik-Partner Pro host answers a string `errorCode` envelope."""
        transport = DeviceTransport.for_probe(http, endpoint.base_url, str(endpoint))
        try:
            response = await transport.request(
                "POST", TOKEN_PATH, json={"appKey": "", "secretKey": ""}, check_status=False
            )
            payload = decode_json(response.content, "the token answer")
        except DeviceError as err:
            log.debug("Hik-Partner Pro probe of %s failed: %s", endpoint, err)
            return None
        if not (
            isinstance(payload, dict)
            and isinstance(payload.get("errorCode"), str)
            and payload["errorCode"].startswith(("LAP", "EVZ"))
        ):
            return None
        return DeviceIdentity(
            vendor=VENDOR_ID,
            model=CLOUD_MODEL,
            serial=f"hpp-{endpoint.host}-{endpoint.port}",
            name="Hik-Partner Pro",
        )

    def service_identity(self, endpoint: Endpoint) -> DeviceIdentity:
        """The account's service as a device of the list: keyed by the service's host and port."""
        return DeviceIdentity(
            vendor=VENDOR_ID, model=CLOUD_MODEL, serial=f"cloud@{endpoint.host}:{endpoint.port}",
            name=f"Hik-Partner Pro at {endpoint.host}",
        )

    def create_client(
        self, http: httpx.AsyncClient, endpoint: Endpoint, credentials: Credentials
    ) -> HikPartnerClient:
        """A client for the account: `endpoint` is the token host, credentials are (API key, API secret)."""
        return HikPartnerClient(http, endpoint.base_url, credentials.username, credentials.password)

    def create_simulator(self, *, serial_index: int, seed: int, clock: Clock) -> HikPartnerSimulator:
        """The simulated cloud; its info lists the registerable devices under extra["devices"]."""
        return HikPartnerSimulator(serial_index=serial_index, seed=seed, clock=clock)


PLUGIN = HikvisionPlugin()

__all__ = ["PLUGIN", "TOKEN_HOSTS", "HikvisionPlugin"]
