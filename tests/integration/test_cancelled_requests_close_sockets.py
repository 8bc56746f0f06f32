"""A request cancelled mid-flight (a panel closed, an overall deadline) closes its loopback connection at
once: the device sees the hang-up and nothing is left for the collector to find unclosed."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app.backend.session import probe_client
from app.backend.transport import DeviceTransport
from app.core.errors import DeviceTimeoutError
from tests.integration.hangup_peer import HangupPeer, unclosed_resources

#: Long enough that only the cancellation (never an httpx timeout) ends the request.
PATIENT = httpx.Timeout(30.0)


async def _cancel_while_stalled(stall: str) -> None:
    async with HangupPeer(stall) as peer:
        http = probe_client(PATIENT)
        transport = DeviceTransport(http, peer.url, retry_delays=())
        request = asyncio.ensure_future(transport.request("GET", "/api/status"))
        await peer.stalled.wait()
        request.cancel()
        with pytest.raises(asyncio.CancelledError):
            await request
        await peer.wait_hung_up()
        await http.aclose()


@pytest.mark.parametrize("stall", ["handshake", "body"])
def test_a_request_cancelled_mid_flight_hangs_up_and_leaves_nothing_unclosed(stall: str) -> None:
    with unclosed_resources() as unclosed:
        asyncio.run(_cancel_while_stalled(stall))
    assert unclosed == []


async def _deadline_mid_handshake() -> None:
    async with HangupPeer("handshake") as peer:
        http = probe_client(PATIENT)
        transport = DeviceTransport(http, peer.url, retry_delays=(), deadline=0.5)
        with pytest.raises(DeviceTimeoutError, match="did not finish answering"):
            await transport.request("GET", "/api/status")
        assert peer.stalled.is_set()
        await peer.wait_hung_up()
        await http.aclose()


def test_an_overall_deadline_reached_mid_handshake_hangs_up_and_leaves_nothing_unclosed() -> None:
    with unclosed_resources() as unclosed:
        asyncio.run(_deadline_mid_handshake())
    assert unclosed == []


async def _cancelled_without_closing_the_client() -> None:
    async with HangupPeer("handshake") as peer:
        transport = DeviceTransport(probe_client(PATIENT), peer.url, retry_delays=())
        request = asyncio.ensure_future(transport.request("GET", "/api/status"))
        await peer.stalled.wait()
        request.cancel()
        await asyncio.gather(request, return_exceptions=True)
        await peer.wait_hung_up()


def test_the_hang_up_does_not_wait_for_the_client_to_be_closed() -> None:
    with unclosed_resources() as unclosed:
        asyncio.run(_cancelled_without_closing_the_client())
    assert unclosed == []
