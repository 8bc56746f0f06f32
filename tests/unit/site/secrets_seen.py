"""What a peer could keep of the requests it received: user names offered, secrets carried (RequestLog)."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import re
from typing import TypeVar

from app.core.models import Scheme
from app.vendors.base import SimulatedDevice
from app.vendors.simulation import RecordedRequest, RequestLog

D = TypeVar("D", bound=SimulatedDevice)


def served_over(device: D, scheme: Scheme) -> D:
    """`device`, served over `scheme` (a simulator answering on plain HTTP, as a rogue or old device does)."""
    device.info = dataclasses.replace(device.info, scheme=scheme)
    return device


def username_in(authorization: str) -> str:
    """The user name a Basic or Digest Authorization header names ("" when none)."""
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(value).decode("utf-8", "replace").partition(":")[0]
        except (binascii.Error, ValueError):
            return ""
    match = re.search(r'username="([^"]*)"', value)
    return match.group(1) if match else ""


def usernames(log: RequestLog) -> set[str]:
    """Every user name an Authorization header offered."""
    return {username_in(r.headers["authorization"]) for r in log if r.headers.get("authorization")}


def carries(request: RecordedRequest, secret: str) -> bool:
    """True when the request brought any Authorization or Cookie, or `secret` in its body or query."""
    headers = request.headers
    return bool(headers.get("authorization") or headers.get("cookie")) or (
        secret.encode() in request.body or secret in request.query
    )


def leaks(log: RequestLog, *secrets: str) -> list[RecordedRequest]:
    """Requests that carried credentials of any kind or one of `secrets`."""
    return [r for r in log if any(carries(r, secret) for secret in secrets)]
