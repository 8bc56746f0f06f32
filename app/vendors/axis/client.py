"""AxisClient: VAPIX basic device info and the stitching API (stitching.cgi) over one DeviceTransport."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Mapping
from typing import Any

import httpx

from app.backend.transport import DeviceTransport
from app.core.decoding import as_object, decode_json
from app.core.errors import DeviceProtocolError
from app.core.models import Credentials, DeviceIdentity, Endpoint
from app.vendors.axis.auth import AxisAuth
from app.vendors.axis.errors import AxisVersionNotSupportedError, error_for
from app.vendors.axis.models import (
    BASIC_DEVICE_INFO_PATH,
    SNAPSHOT_PATH,
    STITCHING_PATH,
    VENDOR_ID,
    ApiVersion,
    BasicDeviceInfo,
    RotationAxis,
    StitchingCapabilities,
    number_field,
)
from app.vendors.base import AlignsStitching, DeviceClient

log = logging.getLogger(__name__)

#: The request format this client sends: the document shows every request as apiVersion "3.0".
DOCUMENTED_VERSION = ApiVersion(3, 0)
BASIC_DEVICE_INFO_VERSION = "1.0"
CALL_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
SNAPSHOT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
#: A stitched panorama JPEG at full resolution stays well under this.
SNAPSHOT_MAX_BODY = 32 << 20


def choose_version(offered: list[str]) -> ApiVersion:
    """3.0, the version whose requests this client sends, when the camera offers any 3.x; 2003 otherwise."""
    parsed = [v for v in (ApiVersion.parse(text) for text in offered) if v is not None]
    # Assumed (the document does not say): a camera offering 3.x also accepts 3.0 requests, as VAPIX
    # minor versions only add to a major version.
    if any(v.major == DOCUMENTED_VERSION.major for v in parsed):
        return DOCUMENTED_VERSION
    raise AxisVersionNotSupportedError(
        f"The camera offers stitching API {', '.join(offered) or 'none'}; this app sends requests in the "
        f"{DOCUMENTED_VERSION} format the API document shows, which this camera does not offer.",
        code=2003,
    )


async def post_json(
    transport: DeviceTransport,
    path: str,
    body: Mapping[str, Any],
    *,
    auth: httpx.Auth | None = None,
    timeout: httpx.Timeout = CALL_TIMEOUT,
) -> dict[str, Any]:
    """POST one JSON call and return its `data`; the envelope's `error` raises the typed AxisError."""
    response = await transport.request("POST", path, json=dict(body), auth=auth, timeout=timeout)
    what = f"the answer of {transport.device_label} to {path}"
    envelope = as_object(decode_json(response.content, what), what)
    if "apiVersion" not in envelope:
        # Every VAPIX JSON answer, error or not, carries apiVersion (stitching API document, examples).
        raise DeviceProtocolError(f"{transport.device_label} answered {path} with unexpected JSON.")
    method = str(body.get("method", ""))
    error = envelope.get("error")
    if isinstance(error, dict):
        code = error.get("code")
        raise error_for(code if isinstance(code, int) else 8002, str(error.get("message", "")), method=method)
    data = envelope.get("data", {})
    if not isinstance(data, dict):
        raise DeviceProtocolError(f"{transport.device_label} sent a malformed `data` for {method}.")
    return data


async def read_basic_device_info(
    transport: DeviceTransport, *, auth: httpx.Auth | None = None
) -> BasicDeviceInfo:
    """Unauthenticated product name, number, serial and firmware (getAllUnrestrictedProperties)."""
    data = await post_json(
        transport,
        BASIC_DEVICE_INFO_PATH,
        {
            "apiVersion": BASIC_DEVICE_INFO_VERSION,
            "context": "commissioner",
            "method": "getAllUnrestrictedProperties",
        },
        auth=auth,
    )
    return BasicDeviceInfo.decode(data)


def identity_from(info: BasicDeviceInfo) -> DeviceIdentity:
    """The app's DeviceIdentity for an Axis device."""
    return DeviceIdentity(
        vendor=VENDOR_ID,
        model=info.model,
        serial=info.serial_number,
        firmware=info.firmware,
        mac=info.mac,
        name=info.product_full_name,
    )


class AxisClient(DeviceClient, AlignsStitching):
    """One Axis multisensor camera: identity, stitching settings, sensor rotation and snapshots.

    The stitching API version is negotiated on first use (getSupportedVersions, then 3.0, the format
    this client's requests follow) and sent with every later call.
    """

    def __init__(self, transport: DeviceTransport, credentials: Credentials) -> None:
        self.transport = transport
        self.auth = AxisAuth(credentials.username, credentials.password)
        self._version: ApiVersion | None = None
        self._contexts = itertools.count(1)

    @classmethod
    def connect(cls, http: httpx.AsyncClient, endpoint: Endpoint, credentials: Credentials) -> AxisClient:
        """A client for the device at `endpoint` on an already trusted `http` client."""
        return cls(
            DeviceTransport(http, endpoint.base_url, device_label=f"Axis camera at {endpoint}"), credentials
        )

    @property
    def api_version(self) -> ApiVersion | None:
        """The negotiated stitching API version, or None before negotiation."""
        return self._version

    async def login(self) -> None:
        """Prove the credentials (and admin level, which stitching needs) by negotiating the version."""
        await self.negotiate_version()

    async def read_device_info(self) -> BasicDeviceInfo:
        """Product name, serial and firmware as the camera reports them (basic device info)."""
        return await read_basic_device_info(self.transport, auth=self.auth)

    async def read_identity(self) -> DeviceIdentity:
        """Product, serial and firmware from basic device info."""
        return identity_from(await self.read_device_info())

    async def aclose(self) -> None:
        """Nothing to log out of (Digest/Basic are stateless); the injected httpx client stays open."""

    async def get_supported_versions(self) -> list[str]:
        """The "Major.Minor" versions the camera supports (getSupportedVersions; sent without apiVersion)."""
        data = await self._post({"context": self._context(), "method": "getSupportedVersions"})
        versions = data.get("apiVersions")
        if not isinstance(versions, list) or not all(isinstance(v, str) for v in versions):
            raise DeviceProtocolError(
                "The camera's list of stitching API versions is malformed.", detail=str(data)
            )
        return list(versions)

    async def negotiate_version(self) -> ApiVersion:
        """Ask the camera's versions and keep the one whose request format this client sends."""
        self._version = choose_version(await self.get_supported_versions())
        log.info("%s: stitching API %s", self.transport.device_label, self._version)
        return self._version

    async def get_capabilities(self) -> StitchingCapabilities:
        """Supported stitching methods and the limits for blending, parallax, sensor ids and angles."""
        return StitchingCapabilities.decode(await self._call("getCapabilities"))

    async def get_blending_amount(self) -> float:
        """Current blending amount, 0 (sharp seams) to 100 (maximum blur)."""
        return number_field(await self._call("getBlendingAmount"), "blendingAmount")

    async def set_blending_amount(self, amount: float) -> None:
        """Set the blending amount."""
        await self._call("setBlendingAmount", {"blendingAmount": amount})

    async def get_parallax_compensation_distance(self) -> float:
        """Current parallax compensation distance in metres.

        The document's example answers `parallaxCompensationDistance` but its response syntax shows
        `parallaxComensationDistance` (sic); both are read.
        """
        data = await self._call("getParallaxCompensationDistance")
        return number_field(data, "parallaxCompensationDistance", "parallaxComensationDistance")

    async def set_parallax_compensation_distance(self, metres: float) -> None:
        """Set the distance (metres) at which the seams are aligned."""
        await self._call("setParallaxCompensationDistance", {"parallaxCompensationDistance": metres})

    async def rotate_angle(self, sensor_id: int, axis: RotationAxis, angle: float) -> None:
        """Rotate one sensor image by `angle` degrees about `axis` (relative to where it is now)."""
        # Assumed: the document does not say whether `angle` is relative or absolute; relative is used.
        await self._call("rotateAngle", {"id": sensor_id, "axis": axis.value, "angle": angle})

    async def restore(self, sensor_id: int) -> None:
        """Return one sensor to its factory stitching (removes rotations, blending and parallax changes)."""
        await self._call("restore", {"id": sensor_id})

    async def snapshot(self, resolution: str | None = None) -> bytes:
        """One JPEG snapshot of the (stitched) view from /axis-cgi/jpg/image.cgi."""
        params = {"resolution": resolution} if resolution else None
        response = await self.transport.request(
            "GET",
            SNAPSHOT_PATH,
            params=params,
            auth=self.auth,
            timeout=SNAPSHOT_TIMEOUT,
            max_body=SNAPSHOT_MAX_BODY,
        )
        if not response.headers.get("content-type", "").startswith("image/jpeg"):
            raise DeviceProtocolError(
                "The camera's snapshot is not a JPEG image.", detail=response.headers.get("content-type", "")
            )
        return response.content

    async def _call(self, method: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """One versioned call; a 2003 answer (firmware changed under us) renegotiates once and retries."""
        negotiated_now = self._version is None
        version = self._version or await self.negotiate_version()
        try:
            return await self._post(self._body(version, method, params))
        except AxisVersionNotSupportedError:
            if negotiated_now:
                raise
            log.info("%s: stitching API %s refused; negotiating again", self.transport.device_label, version)
        return await self._post(self._body(await self.negotiate_version(), method, params))

    def _body(self, version: ApiVersion, method: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
        body: dict[str, Any] = {"apiVersion": str(version), "context": self._context(), "method": method}
        if params is not None:
            body["params"] = dict(params)
        return body

    async def _post(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return await post_json(self.transport, STITCHING_PATH, body, auth=self.auth)

    def _context(self) -> str:
        return f"commissioner-{next(self._contexts)}"
