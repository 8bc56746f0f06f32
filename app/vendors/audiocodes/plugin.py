"""The AudioCodes Mediant plugin: reached by address or range scan (no mDNS), identified by its REST root."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import httpx
from cryptography import x509
from cryptography.x509.oid import NameOID

from app.backend import evidence
from app.backend.transport import DeviceTransport
from app.core.certificates import sha256_fingerprint
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
from app.vendors.audiocodes.device import AudioCodesDevice
from app.vendors.audiocodes.known_certificates import serial_for
from app.vendors.audiocodes.models import VENDOR_ID
from app.vendors.base import AcceptanceTest, VendorKind

if TYPE_CHECKING:
    from app.core.clock import Clock
    from app.vendors.audiocodes.simulator import AudioCodesSimulator

log = logging.getLogger(__name__)

#: What a Mediant is called before its status (which needs a login) names the exact product.
GENERIC_MODEL = "Mediant"
PROBE_PATH = "/api"
_FACTORY_CN = re.compile(r"ACL_([0-9]{5,20})")


def is_rest_root(body: object) -> bool:
    """True when `body` is the Mediant REST root (document section 4): versions listing v1 at /api/v1."""
    if not isinstance(body, dict):
        return False
    versions = body.get("versions")
    if not isinstance(versions, list):
        return False
    return any(
        isinstance(item, dict) and item.get("id") == "v1" and item.get("url") == "/api/v1"
        for item in versions
    )


def certificate_serial(response: httpx.Response) -> str:
    """The serial number the device's certificate tells, or "".

    The REST API names the serial only behind a login (status). Before that, the certificate is the
    one thing the device shows: its factory self-signed certificate is issued to "ACL_<serial>", and a
    certificate the app installed itself is remembered with the serial it was installed on.
    """
    stream = response.extensions.get("network_stream")
    ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
    der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    if not der:
        return ""
    remembered = serial_for(sha256_fingerprint(der))
    if remembered:
        return remembered
    try:
        names = x509.load_der_x509_certificate(der).subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    except ValueError:
        return ""
    match = _FACTORY_CN.fullmatch(str(names[0].value)) if names else None
    return match.group(1) if match else ""


def _basic_challenge(response: httpx.Response) -> bool:
    """True when a 401 asks for HTTP Basic, the REST API's only scheme (section 3)."""
    return str(response.headers.get("WWW-Authenticate", "")).lower().startswith("basic")


def _identity(serial: str) -> DeviceIdentity:
    return DeviceIdentity(vendor=VENDOR_ID, model=GENERIC_MODEL, serial=serial)


class AudioCodesPlugin:
    """Plugin object for AudioCodes Mediant devices (HTTPS, HTTP Basic, REST API /api/v1)."""

    vendor_id: VendorId = VENDOR_ID
    display_name = "AudioCodes Mediant"
    short_name = "AudioCodes"
    kind = VendorKind.LAN_DEVICE
    service_types: tuple[str, ...] = ()
    default_ports: tuple[int, ...] = (443,)
    default_scheme: Scheme = "https"
    in_demo = True
    client_type = AudioCodesDevice
    acceptance_tests = (
        AcceptanceTest("certificate installed and verified", (evidence.CERTIFICATE_REPLACED,),
                       frozenset({"confirmed"})),
    )

    def match(self, record: DiscoveryRecord) -> DeviceCandidate | None:
        """Never claims a DNS-SD record: Mediant devices do not announce themselves over mDNS."""
        return None

    async def identify(self, http: httpx.AsyncClient, endpoint: Endpoint) -> DeviceIdentity | None:
        """One unauthenticated GET /api: a Mediant lists its REST versions, or, where every request needs
        a login (section 3), challenges for HTTP Basic while presenting a Mediant's certificate (its
        factory "ACL_<serial>" one, or one the app installed). Its serial otherwise needs a login."""
        transport = DeviceTransport.for_probe(http, endpoint.base_url, str(endpoint))
        try:
            response = await transport.request("GET", PROBE_PATH, check_status=False)
            serial = certificate_serial(response)
            if response.status_code == 401:
                return _identity(serial) if serial and _basic_challenge(response) else None
            if response.status_code != 200:
                return None
            body = decode_json(response.content, "the REST root")
        except DeviceError as err:
            log.debug("AudioCodes probe of %s failed: %s", endpoint, err)
            return None
        return _identity(serial) if is_rest_root(body) else None

    def create_client(
        self, http: httpx.AsyncClient, endpoint: Endpoint, credentials: Credentials
    ) -> AudioCodesDevice:
        """An AudioCodesDevice sending HTTP Basic credentials over the already trusted `http` client."""
        return AudioCodesDevice(http, endpoint, credentials)

    def create_simulator(self, *, serial_index: int, seed: int, clock: Clock) -> AudioCodesSimulator:
        """A simulated Mediant SBC; `serial_index` makes its serial and MAC unique within a site."""
        from app.vendors.audiocodes.simulator import AudioCodesSimulator

        return AudioCodesSimulator(serial_index=serial_index, seed=seed, clock=clock)


PLUGIN = AudioCodesPlugin()
