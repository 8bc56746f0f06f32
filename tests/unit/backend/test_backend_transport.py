"""The choke point: bounded retries for reads only, status mapping, explicit errors."""

from __future__ import annotations

import httpx
import pytest

from app.backend.transport import DeviceTransport
from app.core.errors import DeviceBusyError, DeviceTimeoutError, DeviceUnreachableError, NotSupportedError


def _flaky(failures: int, seen: list[str]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if len(seen) <= failures:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json={"ok": True})

    return httpx.MockTransport(handler)


async def test_reads_are_retried_a_bounded_number_of_times() -> None:
    seen: list[str] = []
    client = httpx.AsyncClient(transport=_flaky(2, seen))
    transport = DeviceTransport(client, "http://device.test", retry_delays=(0.0, 0.0))
    assert (await transport.request("GET", "/status")).json() == {"ok": True}
    assert seen == ["GET", "GET", "GET"]

    seen.clear()
    with pytest.raises(DeviceUnreachableError):
        await DeviceTransport(
            httpx.AsyncClient(transport=_flaky(10, seen)), "http://device.test", retry_delays=(0.0, 0.0)
        ).request("GET", "/status")
    assert seen == ["GET", "GET", "GET"]


async def test_writes_are_never_retried() -> None:
    seen: list[str] = []
    transport = DeviceTransport(
        httpx.AsyncClient(transport=_flaky(1, seen)), "http://device.test", retry_delays=(0.0, 0.0)
    )
    with pytest.raises(DeviceUnreachableError):
        await transport.request("POST", "/config", json={"a": 1})
    assert seen == ["POST"]


async def test_timeouts_and_statuses_map_to_the_error_tree() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/slow":
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(int(request.url.path.strip("/")), text="nope")

    transport = DeviceTransport(
        httpx.AsyncClient(transport=httpx.MockTransport(handler)), "http://device.test", retry_delays=()
    )
    with pytest.raises(DeviceTimeoutError):
        await transport.request("GET", "/slow")
    with pytest.raises(NotSupportedError) as not_found:
        await transport.request("GET", "/404")
    assert not_found.value.code == 404
    with pytest.raises(DeviceBusyError):
        await transport.request("POST", "/409")
    response = await transport.request("GET", "/404", check_status=False)
    assert response.status_code == 404
