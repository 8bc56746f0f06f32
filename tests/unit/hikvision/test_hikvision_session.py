"""Token handling: sign-in, areaDomain, renewal before expiry and on LAP500004, back-off, credentials."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.errors import AuthenticationError, DeviceBusyError, RateLimitedError
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.errors import (
    HikCredentialsError,
    HikProtocolError,
    HikRateLimitedError,
    HikTokenError,
    HikvisionError,
)
from app.vendors.hikvision.simulator import AREA_PREFIX, HikPartnerSimulator

from .conftest import TOKEN_HOST, area_calls, with_time


async def test_sign_in_posts_keys_to_token_host_and_keeps_area_domain(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    await client.login()
    [seen] = sim.requests
    assert (seen.method, seen.path) == ("POST", "/api/hpcgw/v1/token/get")
    assert seen.json() == {"appKey": sim.app_key, "secretKey": sim.secret_key}
    assert seen.headers["content-type"] == "application/json"
    assert client.session.area_domain == f"{TOKEN_HOST}{AREA_PREFIX}"
    assert client.region == "Europe"
    assert client.token is not None
    assert client.token.value.startswith("hpc.")
    assert client.token.value in sim.tokens


async def test_every_later_call_goes_to_area_domain_with_bearer(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    await client.search_sites()
    seen = sim.requests[-1]
    assert seen.path == f"{AREA_PREFIX}/api/hpcgw/v1/site/search"
    assert seen.headers["authorization"] == f"Bearer {client.token.value if client.token else ''}"
    assert seen.json() == {"page": 1, "pageSize": 20, "search": ""}


async def test_token_host_rejects_area_calls(http: httpx.AsyncClient, client: HikPartnerClient) -> None:
    await client.login()
    assert client.token is not None
    response = await http.post(
        f"{TOKEN_HOST}/api/hpcgw/v1/site/search",
        json={},
        headers={"Authorization": f"Bearer {client.token.value}"},
    )
    assert response.json()["errorCode"] == "LAP500005"


async def test_wrong_secret_is_a_credentials_error_without_retry(
    http: httpx.AsyncClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    client = HikPartnerClient(http, TOKEN_HOST, sim.app_key, "not-the-secret", clock=clock)
    with pytest.raises(HikCredentialsError) as caught:
        await client.search_sites()
    assert caught.value.code == "LAP300002"
    assert isinstance(caught.value, AuthenticationError)
    assert "secret" in caught.value.message
    assert len(sim.requests) == 1


async def test_token_is_renewed_before_it_expires(http: httpx.AsyncClient, clock: ManualClock) -> None:
    sim = HikPartnerSimulator(seed=1, clock=clock, token_lifetime=3600.0)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim)) as http:
        client = HikPartnerClient(
            http, TOKEN_HOST, sim.app_key, sim.secret_key, clock=clock, renew_margin=600
        )
        await client.search_sites()
        first = client.token
        clock.advance(3000.0)  # inside the 600 s margin, not yet expired
        await client.search_sites()
    assert client.token is not first
    paths = [seen.path for seen in sim.requests]
    assert paths.count("/api/hpcgw/v1/token/get") == 2
    assert client.token is not None
    assert area_calls(sim, "site/search")[-1].headers["authorization"] == f"Bearer {client.token.value}"


async def test_token_is_renewed_once_on_lap500004(client: HikPartnerClient, sim: HikPartnerSimulator) -> None:
    await client.login()
    old = client.token
    sim.scenarios.enable("token_expiry")
    page = await client.search_sites()
    assert page.total == 0
    assert client.token is not old
    assert [s.path.rsplit("/", 2)[-1] for s in sim.requests] == ["get", "search", "get", "search"]


async def test_token_error_twice_in_a_row_is_raised(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    await client.login()
    sim.scenarios.enable("token_rejected", times=2)
    with pytest.raises(HikTokenError) as caught:
        await client.search_sites()
    assert caught.value.code == "LAP500004"


async def test_concurrent_calls_share_one_renewal(client: HikPartnerClient, sim: HikPartnerSimulator) -> None:
    await client.login()
    sim.scenarios.enable("token_expiry")
    await asyncio.gather(*(client.search_sites() for _ in range(5)))
    assert len(area_calls(sim, "token/get")) == 2


async def test_rate_limit_backs_off_then_succeeds(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    await client.login()
    sim.scenarios.enable("rate_limited", times=2)
    page = await with_time(clock, client.search_sites())
    assert page.rows == ()
    assert len(area_calls(sim, "site/search")) == 3
    assert clock.monotonic() >= 4.0  # waited 1 s then 3 s before the retries


async def test_rate_limit_gives_up_after_bounded_retries(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    await client.login()
    sim.scenarios.enable("rate_limited", times=10)
    with pytest.raises(HikRateLimitedError) as caught:
        await with_time(clock, client.search_sites())
    assert isinstance(caught.value, RateLimitedError)
    assert caught.value.code == "EVZ10029"
    assert len(area_calls(sim, "site/search")) == 4


async def test_identity_names_the_region(client: HikPartnerClient) -> None:
    identity = await client.read_identity()
    assert identity.vendor == "hikvision"
    assert identity.model == "Hik-Partner Pro cloud"
    assert identity.key.startswith("hikvision:hpp-")
    assert identity.name == "Hik-Partner Pro (Europe)"


async def test_service_errors_and_malformed_answers_are_typed(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    await client.login()
    sim.scenarios.enable("unavailable", times=1)
    with pytest.raises(DeviceBusyError) as busy:
        await client.search_sites()
    assert busy.value.code == "LAP500001"
    sim.scenarios.enable("malformed", times=1)
    with pytest.raises(HikProtocolError, match="not JSON"):
        await client.search_sites()
    assert (await client.search_sites()).total == 0  # the next call works again


async def test_http_429_carrying_the_envelope_is_the_vendors_rate_limit(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    await client.login()
    sim.scenarios.enable("throttled_http", times=2)
    page = await with_time(clock, client.search_sites())
    assert page.rows == ()
    assert len(area_calls(sim, "site/search")) == 3  # backed off twice, as for EVZ10029 in a 200

    sim.scenarios.enable("throttled_http", times=10)
    with pytest.raises(HikRateLimitedError) as caught:
        await with_time(clock, client.search_sites())
    assert caught.value.code == "EVZ10029"


async def test_http_error_carrying_the_envelope_is_read_as_the_vendors_error(
    client: HikPartnerClient,
) -> None:
    await client.login()
    with pytest.raises(HikvisionError) as caught:
        await client.session.call("/api/hpcgw/v1/no/such/api", {}, context="Calling")
    assert caught.value.code == "LAP000002"
    assert "No resource found" in caught.value.detail
