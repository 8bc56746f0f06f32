"""The cloud account's secret and token travel only over https: token host, areaDomain, typed address."""

from __future__ import annotations

import json

import httpx
import pytest

from app.core.errors import CleartextRefusedError
from app.site.naming import cloud_endpoint
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.session import TOKEN_PATH
from app.vendors.hikvision.simulator import HikPartnerSimulator


async def test_a_plain_http_token_host_is_refused_before_the_secret_is_sent(sim: HikPartnerSimulator) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim)) as http:
        client = HikPartnerClient(http, "http://127.0.0.1:8080", sim.app_key, sim.secret_key)
        with pytest.raises(CleartextRefusedError, match="not an https:// address"):
            await client.login()
    assert len(sim.requests) == 0


async def test_a_plain_http_area_domain_is_refused_and_never_called() -> None:
    sent: list[httpx.Request] = []

    def cloud(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path == TOKEN_PATH:
            data = {"accessToken": "hpc.t0ken", "expireTime": 4_102_444_800_000,
                    "areaDomain": "http://ieu.example/ieuapi"}
            return httpx.Response(200, json={"errorCode": "0", "data": data})
        return httpx.Response(200, json={"errorCode": "0", "data": {}})

    async with httpx.AsyncClient(transport=httpx.MockTransport(cloud)) as http:
        client = HikPartnerClient(http, "https://global.example", "key", "secret")
        with pytest.raises(CleartextRefusedError, match="areaDomain"):
            await client.login()
        with pytest.raises(CleartextRefusedError):
            await client.search_sites()
    assert {request.url.host for request in sent} == {"global.example"}
    assert all(request.url.scheme == "https" for request in sent)
    assert json.loads(sent[0].content)["secretKey"] == "secret"


def test_a_typed_http_cloud_address_is_refused() -> None:
    with pytest.raises(CleartextRefusedError, match="only sent over https"):
        cloud_endpoint("http://hik.example:8080")
    assert cloud_endpoint("https://hik.example").port == 443
