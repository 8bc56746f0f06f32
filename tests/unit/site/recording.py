"""A simulator wrapped so a test can assert on every byte of every request it actually received."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from app.core.models import Scheme
from app.vendors.base import SimulatedDevice


@dataclass
class Received:
    """One request as it arrived: what a rogue peer could keep."""

    method: str
    path: str
    query: bytes
    authorization: str
    cookie: str
    body: bytes = b""

    def carries(self, secret: str) -> bool:
        """True when the secret (or any Authorization or Cookie) reached the peer in this request."""
        raw = secret.encode()
        return bool(self.authorization or self.cookie) or raw in self.body or raw in self.query


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


class RecordingDevice:
    """`inner`, served as it is (or over `scheme`), recording every request before it answers."""

    def __init__(self, inner: SimulatedDevice, *, scheme: Scheme | None = None) -> None:
        self.inner = inner
        self.info = dataclasses.replace(inner.info, scheme=scheme) if scheme else inner.info
        self.received: list[Received] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Record, then let the simulator answer."""
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        record = Received(scope["method"], scope["path"], scope.get("query_string", b""),
                          headers.get("authorization", ""), headers.get("cookie", ""))
        self.received.append(record)

        async def receive_and_keep() -> Any:
            message = await receive()
            if message["type"] == "http.request":
                record.body += message.get("body", b"")
            return message

        await self.inner(scope, receive_and_keep, send)

    async def start(self) -> None:
        """Start the simulator."""
        await self.inner.start()

    async def stop(self) -> None:
        """Stop the simulator."""
        await self.inner.stop()

    def usernames(self) -> set[str]:
        """Every user name an Authorization header offered."""
        return {username_in(r.authorization) for r in self.received if r.authorization}

    def leaks(self, *secrets: str) -> list[Received]:
        """Requests that carried credentials or one of `secrets`."""
        return [r for r in self.received if any(r.carries(secret) for secret in secrets)]
