"""Basic, Digest (SHA-256, stale nonce), single-flight bearer re-login and expiring cloud tokens."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest

from app.backend.auth import ExpiringTokenSession, TokenRejected, TokenSession, basic_auth, digest_auth
from app.backend.transport import DeviceTransport
from app.core.clock import ManualClock
from app.core.errors import AuthenticationError
from tests.unit.backend.auth_servers import BasicServer, DigestServer, TokenServer

BASE = "http://device.test"


def _transport(app: Any, auth: httpx.Auth | None = None) -> DeviceTransport:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE, auth=auth)
    return DeviceTransport(client, BASE, device_label="test device")


async def test_basic_auth_is_accepted_and_a_wrong_password_maps_to_authentication_error() -> None:
    server = BasicServer("root", "pass-basic-1")
    good = _transport(server, basic_auth("root", "pass-basic-1"))
    assert (await good.request("GET", "/x")).json() == {"user": "root"}
    bad = _transport(server, basic_auth("root", "wrong-one"))
    with pytest.raises(AuthenticationError) as caught:
        await bad.request("GET", "/x")
    assert caught.value.code == 401
    assert server.attempts == ["root", "root"]


@pytest.mark.parametrize("algorithm", ["SHA-256", "MD5"])
async def test_digest_answers_the_challenge_and_reuses_it(algorithm: str) -> None:
    server = DigestServer("admin", "pass-digest-1", algorithm=algorithm)
    transport = _transport(server, digest_auth("admin", "pass-digest-1"))
    first = await transport.request("GET", "/a")
    second = await transport.request("GET", "/b")
    assert first.json() == {"path": "/a", "algorithm": algorithm}
    assert second.json()["path"] == "/b"
    # One challenge, then the answer; the next request answers the cached challenge at once.
    assert server.seen == [("/a", None), ("/a", server.nonce), ("/b", server.nonce)]


async def test_digest_stale_nonce_is_answered_with_the_new_nonce() -> None:
    server = DigestServer("admin", "pass-digest-2")
    transport = _transport(server, digest_auth("admin", "pass-digest-2"))
    await transport.request("GET", "/a")
    old_nonce = server.nonce
    server.rotate_nonce()
    response = await transport.request("GET", "/b")
    assert response.json() == {"path": "/b", "algorithm": "SHA-256"}
    assert server.seen[-2:] == [("/b", old_nonce), ("/b", server.nonce)]
    assert old_nonce != server.nonce


async def test_digest_wrong_password_fails_after_one_answer() -> None:
    server = DigestServer("admin", "pass-digest-3")
    transport = _transport(server, digest_auth("admin", "not-it"))
    with pytest.raises(AuthenticationError):
        await transport.request("GET", "/a")
    assert len(server.seen) == 2  # the challenge and one answer: no loop that could lock the account


class SessionApi:
    """What a vendor client does: log in for a token, send it, turn a 403 into TokenRejected."""

    def __init__(self, server: TokenServer, password: str) -> None:
        self.transport = _transport(server)
        self.password = password

    async def login(self) -> str:
        response = await self.transport.request(
            "POST", "/login", json={"username": "admin", "password": self.password}
        )
        return str(response.json()["token"])

    async def read(self, token: str) -> int:
        response = await self.transport.request(
            "GET", "/data", headers={"Authorization": f"Bearer {token}"}, check_status=False
        )
        if response.status_code == 403:
            raise TokenRejected(code=403)
        return int(response.json()["value"])


async def test_token_session_logs_in_once_for_concurrent_first_calls() -> None:
    server = TokenServer("admin", "pass-token-1", ManualClock())
    api = SessionApi(server, "pass-token-1")
    session = TokenSession(api.login)
    results = await asyncio.gather(*(session.call(api.read) for _ in range(10)))
    assert results == [42] * 10
    assert server.logins == 1
    assert session.token is not None
    assert server.data_requests == [session.token] * 10


async def test_ten_concurrent_rejections_share_exactly_one_relogin() -> None:
    server = TokenServer("admin", "pass-token-2", ManualClock(), reject_together=10)
    api = SessionApi(server, "pass-token-2")
    session = TokenSession(api.login)
    await session.call(api.read)
    old_token = session.token
    server.revoke_all()  # the device rebooted: every session token is gone

    results = await asyncio.gather(*(session.call(api.read) for _ in range(10)))

    assert results == [42] * 10
    assert server.logins == 2  # the first login and exactly one re-login
    assert session.login_count == 2
    assert Counter(server.data_requests[1:]) == {old_token: 10, session.token: 10}
    assert session.token != old_token


async def test_a_token_rejected_again_after_relogin_is_not_retried_forever() -> None:
    server = TokenServer("admin", "pass-token-3", ManualClock(), lifetime=0.0)  # every token dead at once
    api = SessionApi(server, "pass-token-3")
    session = TokenSession(api.login)
    with pytest.raises(TokenRejected):
        await session.call(api.read)
    assert server.logins == 2
    assert len(server.data_requests) == 2


async def test_a_failing_login_is_shared_by_concurrent_callers() -> None:
    gate = asyncio.Event()
    server = TokenServer("admin", "pass-token-4", ManualClock(), login_gate=gate)
    api = SessionApi(server, "wrong-password")
    session = TokenSession(api.login)
    waiting = 0

    async def caller() -> int:
        nonlocal waiting
        waiting += 1  # no suspension point until the session's login or its lock
        return await session.call(api.read)

    calls = asyncio.gather(*(caller() for _ in range(10)), return_exceptions=True)
    while waiting < 10 or server.logins < 1:
        await asyncio.sleep(0)
    gate.set()
    outcomes = await calls
    assert all(isinstance(outcome, AuthenticationError) for outcome in outcomes)
    assert server.logins == 1  # one refused login, not ten: no lockout
    assert server.data_requests == []


class CloudApi:
    """A cloud client: token with expiry, the expiry code arrives in a 200 body."""

    def __init__(self, server: TokenServer, clock: ManualClock) -> None:
        self.transport = _transport(server)
        self.clock = clock
        self.fetches = 0

    async def fetch(self) -> tuple[str, float]:
        self.fetches += 1
        response = await self.transport.request(
            "POST", "/login", json={"username": "app-key", "password": "app-secret-1"}
        )
        body = response.json()
        return str(body["token"]), self.clock.monotonic() + float(body["expiresIn"])

    async def read(self, token: str) -> int:
        response = await self.transport.request("GET", "/data", params={"token": token})
        if response.json()["code"] == "TOKEN_EXPIRED":
            raise TokenRejected(code="TOKEN_EXPIRED")
        return int(response.json()["value"])


async def test_expiring_token_is_refreshed_before_it_ends() -> None:
    clock = ManualClock()
    server = TokenServer("app-key", "app-secret-1", clock, lifetime=3600.0, expiry_in_body=True)
    api = CloudApi(server, clock)
    session = ExpiringTokenSession(api.fetch, clock, margin=60.0)

    first = await session.token()
    clock.advance(3539.0)
    assert await session.token() == first
    clock.advance(2.0)  # now inside the margin: refresh while the old token still works
    second = await session.token()

    assert second != first
    assert api.fetches == 2
    assert session.expires_at == 3541.0 + 3600.0
    assert await session.call(api.read) == 42
    assert server.data_requests == [second]


async def test_expiring_token_is_refreshed_once_on_the_vendor_expiry_code() -> None:
    clock = ManualClock()
    server = TokenServer("app-key", "app-secret-1", clock, expiry_in_body=True, reject_together=10)
    api = CloudApi(server, clock)
    session = ExpiringTokenSession(api.fetch, clock, margin=60.0)
    stale = await session.token()
    server.revoke_all()  # the cloud ended the token early

    results = await asyncio.gather(*(session.call(api.read) for _ in range(10)))

    assert results == [42] * 10
    assert api.fetches == 2
    assert Counter(server.data_requests) == {stale: 10, await session.token(): 10}


async def test_invalidate_with_an_old_token_keeps_the_new_one() -> None:
    clock = ManualClock()
    server = TokenServer("app-key", "app-secret-1", clock)
    api = CloudApi(server, clock)
    session = ExpiringTokenSession(api.fetch, clock)
    old = await session.token()
    session.invalidate()
    new = await session.token()
    session.invalidate(old)
    assert await session.token() == new
    assert api.fetches == 2


async def test_concurrent_first_requests_share_one_token_fetch() -> None:
    clock = ManualClock()
    gate = asyncio.Event()
    server = TokenServer("app-key", "app-secret-1", clock, login_gate=gate)
    api = CloudApi(server, clock)
    session = ExpiringTokenSession(api.fetch, clock)
    waiting = 0

    async def caller() -> int:
        nonlocal waiting
        waiting += 1  # no suspension point until the fetch or the session's lock
        return await session.call(api.read)

    calls = asyncio.gather(*(caller() for _ in range(10)))
    while waiting < 10 or server.logins < 1:
        await asyncio.sleep(0)
    gate.set()
    assert await calls == [42] * 10
    assert api.fetches == 1
    assert server.data_requests == server.issued * 10
