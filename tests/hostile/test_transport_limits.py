"""The transport's overall deadline and body cap, on a real loopback peer and on in-process answers."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator

import httpx
import pytest

from app.backend import transport as transport_module
from app.backend.body import BodyTooLargeError
from app.backend.session import probe_client
from app.backend.transport import MIN_UPLOAD_RATE, DeviceTransport
from app.core.errors import DeviceProtocolError, DeviceTimeoutError
from tests.hostile.peer import Behaviour, HostilePeer


async def test_a_trickling_peer_is_cut_at_the_deadline_though_every_read_is_in_time() -> None:
    async with HostilePeer(Behaviour.TRICKLE, trickle_interval=0.05) as peer, probe_client() as http:
        transport = DeviceTransport(
            http, f"https://127.0.0.1:{peer.port}", timeout=httpx.Timeout(5.0), deadline=0.5
        )
        with pytest.raises(DeviceTimeoutError) as caught:
            await transport.request("GET", "/")

    assert caught.value.detail == "overall deadline"
    assert peer.bytes_sent > 2  # it did answer, byte by byte, each well within the 5 s read timeout


def test_an_upload_gets_a_deadline_scaled_by_its_size() -> None:
    transport = DeviceTransport(httpx.AsyncClient(), "https://127.0.0.1:1", deadline=10.0)
    small = transport.client.build_request("PUT", "https://127.0.0.1:1/x", content=b"x")
    large = transport.client.build_request("PUT", "https://127.0.0.1:1/x", content=b"x" * (8 << 20))

    assert transport.deadline_for(small) == pytest.approx(10.0, abs=0.01)
    assert transport.deadline_for(large) == pytest.approx(10.0 + (8 << 20) / MIN_UPLOAD_RATE, abs=0.01)


def test_a_call_with_a_long_timeout_gets_a_longer_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport_module, "DEADLINE_PER_CALL_TIMEOUT", 2.0)
    transport = DeviceTransport(httpx.AsyncClient(), "https://127.0.0.1:1", deadline=10.0)
    request = transport.client.build_request("GET", "https://127.0.0.1:1/x")

    assert transport.deadline_for(request, httpx.Timeout(120.0)) == pytest.approx(240.0)
    assert transport.deadline_for(request, httpx.Timeout(1.0)) == pytest.approx(10.0)


def _answering(status: int, headers: dict[str, str], body: bytes) -> DeviceTransport:
    """A transport whose peer streams `body` in 64 KiB pieces (as a socket would: nothing read ahead)."""

    async def pieces() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    def answer(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=headers, content=pieces())

    return DeviceTransport(httpx.AsyncClient(transport=httpx.MockTransport(answer)), "https://127.0.0.1:1")


async def test_an_answer_announcing_more_than_the_cap_is_refused_before_it_is_read() -> None:
    transport = _answering(200, {"Content-Length": str(2 << 20)}, b"short")
    with pytest.raises(BodyTooLargeError, match="announced 2 MiB"):
        await transport.request("GET", "/")


async def test_a_gzip_bomb_is_stopped_at_the_cap_after_decoding() -> None:
    bomb = gzip.compress(b"\0" * (8 << 20))
    with pytest.raises(BodyTooLargeError):
        await _answering(200, {"Content-Encoding": "gzip"}, bomb).request("GET", "/", max_body=1 << 20)


async def test_a_gzipped_answer_within_the_cap_is_decoded() -> None:
    transport = _answering(200, {"Content-Encoding": "gzip"}, gzip.compress(b'{"a": 1}'))
    assert (await transport.request("GET", "/")).json() == {"a": 1}


@pytest.mark.parametrize("coding", ["br", "gzip, gzip", "compress"])
async def test_a_content_coding_the_app_does_not_read_is_a_protocol_error(coding: str) -> None:
    with pytest.raises(DeviceProtocolError, match="content coding"):
        await _answering(200, {"Content-Encoding": coding}, b"whatever").request("GET", "/")


async def test_a_redirect_is_not_followed_and_is_a_protocol_error() -> None:
    transport = _answering(302, {"Location": "http://127.0.0.1:9/x"}, b"")
    with pytest.raises(DeviceProtocolError, match="redirected") as caught:
        await transport.request("GET", "/", check_status=False)
    assert caught.value.code == 302
