"""A logged-in device: its client and the httpx client under it, closed together."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from app.core.models import Credentials, DeviceIdentity, Endpoint
from app.vendors.base import DeviceClient


@dataclass(slots=True)
class OpenedDevice:
    """A logged-in device: its client and the httpx client under it (closed together)."""

    identity: DeviceIdentity
    endpoint: Endpoint
    client: DeviceClient
    http: httpx.AsyncClient
    remember_credentials: Callable[[Credentials], None] | None = None
    #: A new client to the device verified as `http` is (its pin or CA), for another event loop.
    open_http: Callable[[], Awaitable[httpx.AsyncClient]] | None = None
    #: on_closed(device): told once this session is closed (the connection that opened it listens).
    on_closed: Callable[[OpenedDevice], None] | None = None
    #: The credentials the device accepted at login (None for the cloud).
    credentials: Credentials | None = None

    async def aclose(self) -> None:
        """Log out where the vendor has a logout, then close the connection pool."""
        try:
            await self.client.aclose()
        finally:
            await self.http.aclose()
            if self.on_closed is not None:
                self.on_closed(self)
