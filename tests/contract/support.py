"""Opening a vendor's client on its served simulator the way the app does, and the one request shape."""

from __future__ import annotations

from typing import Any

import httpx

from app.core.clock import Clock
from app.core.models import Credentials
from app.sim.server import RunningDevice
from app.vendors.base import AnyPlugin, SetsFirstPassword
from app.vendors.simulation import RecordedRequest
from tests.contract.vendor_cases import FIRST_PASSWORD


async def logged_in(
    plugin: AnyPlugin, running: RunningDevice, http: httpx.AsyncClient, clock: Clock, password: str = ""
) -> Any:
    """The plugin's client logged in with the simulator's credentials (or `password`), first password set.

    A client that waits on a clock (restarts, polls) waits on the simulator's.
    """
    info = running.device.info
    credentials = Credentials(info.username, password or info.password)
    client = plugin.create_client(http, running.endpoint, credentials)
    if hasattr(client, "clock"):
        client.clock = clock
    await client.login()
    if isinstance(client, SetsFirstPassword) and client.needs_first_password():
        await client.set_first_password(FIRST_PASSWORD)
    return client


def assert_one_shape(requests: list[RecordedRequest]) -> None:
    """Every recorded request is a RecordedRequest that was answered, in arrival order."""
    assert requests
    assert all(isinstance(r, RecordedRequest) for r in requests)
    assert all(r.status is not None and r.method and r.path.startswith("/") for r in requests)
    assert all(r.size >= len(r.body) for r in requests)
    assert [r.at for r in requests] == sorted(r.at for r in requests)
