"""A logged-in device: its client and the httpx client under it, closed together."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from app.core.models import Credentials, DeviceIdentity, Endpoint
from app.vendors.base import DeviceClient

if TYPE_CHECKING:
    from app.site.connection import DeviceConnection


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
    #: The connection that opened it (told when this session closes); None for the cloud.
    connection: DeviceConnection | None = None

    async def aclose(self) -> None:
        """Log out where the vendor has a logout, then close the connection pool."""
        try:
            await self.client.aclose()
        finally:
            await self.http.aclose()
            if self.connection is not None:
                self.connection.session_closed(self)
