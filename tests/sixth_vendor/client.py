"""The Lumen client: HTTP Basic on every call, identity from /api/device, the clock set by PUT /api/time."""

from __future__ import annotations

import httpx

from app.backend.transport import DeviceTransport
from app.core.errors import DeviceProtocolError
from app.core.models import Credentials, DeviceIdentity, Endpoint
from app.vendors.base import DeviceClient, SetsTime
from tests.sixth_vendor.models import DEVICE_PATH, TIME_PATH, identity_from


class LumenClient(DeviceClient, SetsTime):
    """One Lumen controller on an injected, already trusted httpx client."""

    def __init__(self, http: httpx.AsyncClient, endpoint: Endpoint, credentials: Credentials) -> None:
        self.transport = DeviceTransport(http, endpoint.base_url, device_label=f"Lumen at {endpoint}")
        self._auth = httpx.BasicAuth(credentials.username, credentials.password)

    async def login(self) -> None:
        """Read /api/device with the credentials (401 raises AuthenticationError)."""
        await self.read_identity()

    async def read_identity(self) -> DeviceIdentity:
        """The identity /api/device reports."""
        response = await self.transport.request("GET", DEVICE_PATH, auth=self._auth)
        identity = identity_from(response.json())
        if identity is None:
            raise DeviceProtocolError("The device's answer is not a Lumen identity.")
        return identity

    async def aclose(self) -> None:
        """HTTP Basic keeps no session."""

    async def set_time(self, utc_time: int) -> None:
        """PUT /api/time with the UTC seconds."""
        await self.transport.request("PUT", TIME_PATH, json={"utc": utc_time}, auth=self._auth)
