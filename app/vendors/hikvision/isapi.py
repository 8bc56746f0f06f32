"""Decoding ISAPI pass-through answers (guide §3.23): cloud errors in headers, device errors in bodies."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import httpx

from app.backend.transport import raise_for_status
from app.core.decoding import decode_json
from app.core.errors import DeviceError
from app.vendors.hikvision.errors import HikIsapiError, error_for
from app.vendors.hikvision.models import integer
from app.vendors.hikvision.reports import IsapiResult

ISAPI_NS = "http://www.isapi.org/ver20/XMLSchema"


class IsapiSender(Protocol):
    """Anything that sends ISAPI through the cloud (HikPartnerClient)."""

    async def isapi(
        self,
        method: str,
        uri: str,
        serial: str,
        *,
        body: str = "",
        content_type: str = "application/xml",
        username: str = "",
        password: str = "",
        user_level: int | None = None,
    ) -> IsapiResult:
        """One pass-through request."""
        ...


_STATUS_CODE = re.compile(r"<statusCode>\s*([0-9]{1,9})\s*</statusCode>")
_SUB_STATUS = re.compile(r"<subStatusCode>\s*([^<]*)</subStatusCode>")


def decode_isapi(response: httpx.Response, serial: str) -> IsapiResult:
    """Raise on X-ErrorCode (cloud), X-DeviceCode or a failing ResponseStatus (device); else the body."""
    cloud_code = response.headers.get("X-ErrorCode", "").strip() or _envelope_code(response)
    if cloud_code and cloud_code != "0":
        raise error_for(cloud_code, context=f"ISAPI on {serial}")
    device_code = response.headers.get("X-DeviceCode", "").strip()
    body = response.text
    status = _isapi_status(body)
    if status is None and not device_code:
        raise_for_status(response, "Hik-Partner Pro")
    if (device_code and device_code != "0") or status not in (None, 0, 1):
        sub = _SUB_STATUS.search(body)
        reason = sub.group(1).strip() if sub else device_code
        raise HikIsapiError(
            f"The device {serial} refused the request ({reason or 'no reason given'}).",
            code=device_code or status,
            detail=body[:300],
        )
    return IsapiResult(response.status_code, response.headers.get("Content-Type", ""), body)


def _envelope_code(response: httpx.Response) -> str:
    """The cloud envelope's string `errorCode` of an HTTP error answer ("" when it has none); an ISAPI
    JSON_ResponseStatus also has `errorCode`, but as an integer."""
    if response.status_code < 400 or not response.text.lstrip().startswith("{"):
        return ""
    try:
        parsed = decode_json(response.content, "Hik-Partner Pro's error answer")
    except DeviceError:
        return ""
    code = parsed.get("errorCode") if isinstance(parsed, Mapping) else None
    return code.strip() if isinstance(code, str) else ""


def _isapi_status(body: str) -> int | None:
    """`statusCode` of an XML or JSON ResponseStatus body, or None for any other body."""
    found = _STATUS_CODE.search(body)
    if found:
        return int(found.group(1))
    if body.lstrip().startswith("{") and '"statusCode"' in body:
        try:
            parsed = decode_json(body, "the device's ISAPI status")
        except DeviceError:
            return None
        if isinstance(parsed, Mapping):
            return integer(parsed, "statusCode", default=1)
    return None


@dataclass(frozen=True, slots=True)
class DeviceDetails:
    """What the device itself reports through the pass-through (deviceInfo and time)."""

    name: str
    model: str
    firmware: str
    mac: str
    local_time: str
    time_zone: str


def xml_text(name: str, xml: str) -> str:
    """The text of the first <name> element (namespace prefixes ignored), or ""."""
    found = re.search(rf"<(?:\w+:)?{name}>\s*([^<]*?)\s*</(?:\w+:)?{name}>", xml)
    return found.group(1) if found else ""


async def read_device_details(client: IsapiSender, serial: str) -> DeviceDetails:
    """GET /ISAPI/System/deviceInfo and /ISAPI/System/time through the cloud (A.4)."""
    info = (await client.isapi("GET", "/ISAPI/System/deviceInfo", serial)).body
    clock = (await client.isapi("GET", "/ISAPI/System/time", serial)).body
    firmware = " ".join(
        p for p in (xml_text("firmwareVersion", info), xml_text("firmwareReleasedDate", info)) if p
    )
    return DeviceDetails(
        name=xml_text("deviceName", info),
        model=xml_text("model", info),
        firmware=firmware,
        mac=xml_text("macAddress", info),
        local_time=xml_text("localTime", clock),
        time_zone=xml_text("timeZone", clock),
    )


async def pulse_relay(client: IsapiSender, serial: str, port: int = 1) -> tuple[str, str]:
    """Switch output `port` on then off (door relay test, A.4); the device's state after each step."""
    states = []
    for level in ("high", "low"):
        body = f'<IOPortData version="2.0" xmlns="{ISAPI_NS}"><outputState>{level}</outputState></IOPortData>'
        await client.isapi("PUT", f"/ISAPI/System/IO/outputs/{port}/trigger", serial, body=body)
        status = await client.isapi("GET", f"/ISAPI/System/IO/outputs/{port}/status", serial)
        states.append(xml_text("ioState", status.body))
    return states[0], states[1]
