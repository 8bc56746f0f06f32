"""Every vendor client's main reads against a hostile loopback peer: a typed error, bounded time and bytes.

The calls of one behaviour run side by side (one peer each), so a trickling or silent peer costs one
deadline for all of them.
"""

from __future__ import annotations

import asyncio

import pytest

from app.backend.session import pinned_client
from app.core.errors import AppError, DeviceError
from app.core.models import Endpoint
from app.sim.certs import make_self_signed
from tests.hostile.peer import ODD_CONTENT, Behaviour, HostilePeer
from tests.hostile.targets import CLIENT_CALLS, ClientCall

#: What loopback socket buffers may hold beyond what the client read before it hung up.
SOCKET_SLACK = 16 << 20


async def _outcome(target: ClientCall, peer: HostilePeer, scheme: str = "https") -> object:
    """The call's result, or the AppError it raised (any other exception fails the test)."""
    endpoint = Endpoint("127.0.0.1", peer.port, scheme)
    der = peer.certificate.cert_der if peer.certificate else make_self_signed("not the peer").cert_der
    async with pinned_client(der) as http:
        client = target.build(http, endpoint)
        try:
            return await target.call(client)
        except AppError as err:
            return err


async def _against(behaviour: Behaviour, target: ClientCall) -> str:
    """"" when the call ended acceptably against a peer behaving so, else what went wrong."""
    async with HostilePeer(behaviour) as peer:
        peer.honest = target.honest(Endpoint("127.0.0.1", peer.port))
        outcome = await _outcome(target, peer)
    acceptable = (DeviceError, bytes) if target.any_body and behaviour in ODD_CONTENT else (DeviceError,)
    if not isinstance(outcome, acceptable):
        return f"{target.name} accepted it: {outcome!r}"[:300]
    if peer.bytes_sent > target.cap + SOCKET_SLACK:
        return f"{target.name} read {peer.bytes_sent} bytes, over its cap of {target.cap}"
    return ""


@pytest.mark.parametrize("behaviour", list(Behaviour), ids=lambda b: b.value)
async def test_a_hostile_peer_costs_each_client_call_at_most_a_typed_error(behaviour: Behaviour) -> None:
    problems = await asyncio.gather(*(_against(behaviour, target) for target in CLIENT_CALLS))
    assert [problem for problem in problems if problem] == []


async def test_a_plain_http_peer_behind_an_https_address_is_a_typed_error() -> None:
    async def one(target: ClientCall) -> object:
        async with HostilePeer(Behaviour.WRONG_TYPES, tls=False) as peer:
            return await _outcome(target, peer)

    outcomes = await asyncio.gather(*(one(target) for target in CLIENT_CALLS))
    assert [type(outcome).__name__ for outcome in outcomes if not isinstance(outcome, DeviceError)] == []
