"""Every vendor client's main reads against a hostile loopback peer: a typed error, bounded time and bytes."""

from __future__ import annotations

import pytest

from app.backend.session import pinned_client
from app.core.errors import AppError, DeviceError
from app.core.models import Endpoint
from app.sim.certs import make_self_signed
from tests.hostile.peer import ODD_CONTENT, Behaviour, HostilePeer
from tests.hostile.targets import CLIENT_CALLS, ClientCall

#: What loopback socket buffers may hold beyond what the client read before it hung up.
SOCKET_SLACK = 16 << 20


async def _outcome(target: ClientCall, peer: HostilePeer, endpoint: Endpoint) -> object:
    """The call's result, or the AppError it raised (any other exception fails the test)."""
    der = peer.certificate.cert_der if peer.certificate else make_self_signed("not the peer").cert_der
    async with pinned_client(der) as http:
        client = target.build(http, endpoint)
        try:
            return await target.call(client)
        except AppError as err:
            return err


@pytest.mark.parametrize("behaviour", list(Behaviour), ids=lambda b: b.value)
@pytest.mark.parametrize("target", CLIENT_CALLS, ids=lambda t: t.name)
async def test_a_hostile_peer_costs_a_client_at_most_a_typed_error(
    target: ClientCall, behaviour: Behaviour
) -> None:
    async with HostilePeer(behaviour) as peer:
        peer.honest = target.honest(Endpoint("127.0.0.1", peer.port))
        outcome = await _outcome(target, peer, Endpoint("127.0.0.1", peer.port))

    if target.any_body and behaviour in ODD_CONTENT:
        assert isinstance(outcome, bytes | DeviceError)
    else:
        assert isinstance(outcome, DeviceError), f"{target.name} accepted {behaviour.value}: {outcome!r}"
    assert peer.bytes_sent <= target.cap + SOCKET_SLACK


@pytest.mark.parametrize("target", CLIENT_CALLS, ids=lambda t: t.name)
async def test_a_plain_http_peer_behind_an_https_address_is_a_typed_error(target: ClientCall) -> None:
    async with HostilePeer(Behaviour.WRONG_TYPES, tls=False) as peer:
        outcome = await _outcome(target, peer, Endpoint("127.0.0.1", peer.port, "https"))

    assert isinstance(outcome, DeviceError)
