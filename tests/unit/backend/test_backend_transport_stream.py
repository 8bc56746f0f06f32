"""DeviceTransport.stream(): a push stream handed over unread, its failures mapped like any call's."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from app.backend.transport import DeviceTransport
from app.core.errors import DeviceProtocolError, DeviceTimeoutError, DeviceUnreachableError


class Chunks(httpx.AsyncByteStream):
    """A body that yields `parts` and then fails with `error` (None: ends), counting how far it was read."""

    def __init__(self, parts: list[bytes], error: Exception | None = None) -> None:
        self.parts, self.error, self.read, self.closed = parts, error, 0, False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.parts:
            self.read += 1
            yield part
        if self.error is not None:
            raise self.error

    async def aclose(self) -> None:
        self.closed = True


def transport_for(handler: httpx.MockTransport) -> DeviceTransport:
    return DeviceTransport(httpx.AsyncClient(transport=handler), "http://camera.test", retry_delays=())


async def test_the_body_is_read_only_as_the_caller_reads_and_closed_on_exit() -> None:
    body = Chunks([b"one", b"two", b"three"])
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"content-type": "multipart/x-mixed-replace; boundary=x"},
                              stream=body)

    device = transport_for(httpx.MockTransport(answer))
    async with device.stream("GET", "/live", params={"fps": 5}) as response:
        assert body.read == 0
        first = await anext(response.aiter_raw())
    assert first == b"one"
    assert body.read == 1
    assert body.closed
    assert (seen[0].url.path, seen[0].url.params["fps"], seen[0].headers["accept-encoding"]) == (
        "/live", "5", "identity")


async def test_a_stream_cut_off_while_read_is_a_device_error() -> None:
    async def read_all(error: Exception) -> None:
        answer = httpx.MockTransport(lambda request: httpx.Response(200, stream=Chunks([b"one"], error)))
        async with transport_for(answer).stream("GET", "/live") as response:
            await response.aread()

    with pytest.raises(DeviceUnreachableError, match=r"camera\.test"):
        await read_all(httpx.ReadError("connection reset"))
    with pytest.raises(DeviceTimeoutError):
        await read_all(httpx.ReadTimeout("no data"))


async def test_a_refused_connection_and_a_redirect() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(DeviceUnreachableError, match="cannot be reached"):
        async with transport_for(httpx.MockTransport(refuse)).stream("GET", "/live"):
            pass
    moved = httpx.MockTransport(lambda request: httpx.Response(302, headers={"location": "http://elsewhere"}))
    with pytest.raises(DeviceProtocolError, match="does not follow redirects"):
        async with transport_for(moved).stream("GET", "/live"):
            pass
