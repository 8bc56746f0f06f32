"""Per-service auth (none, Basic, Digest; HTTP vs HTTPS) and every documented error code as a typed error."""

from __future__ import annotations

import json

import httpx
import pytest

from app.backend.transport import DeviceTransport
from app.core.errors import (
    AuthenticationError,
    DeviceBusyError,
    DeviceProtocolError,
    InvalidParameterError,
    NotSupportedError,
    PermissionDeniedError,
)
from app.core.models import Credentials, Endpoint
from app.vendors.simulation import RequestLog
from app.vendors.two_n.api import TwoNApi
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.endpoints import Service
from app.vendors.two_n.errors import (
    DOCUMENTED_CODES,
    TwoNAuthMethodError,
    TwoNAuthorisationRequiredError,
    TwoNConnectionTypeError,
    TwoNError,
    TwoNInsufficientPrivilegesError,
    TwoNInvalidParameterError,
    TwoNInvalidPathError,
    TwoNServiceDisabledError,
    error_for,
)
from app.vendors.two_n.models import SwitchAction
from app.vendors.two_n.simulator import TwoNSimulator
from app.vendors.two_n.simulator.security import Account


async def test_digest_challenge_is_answered_and_remembered(client: TwoNClient, received: RequestLog) -> None:
    await client.system_status()
    first, second = received
    assert "authorization" not in first.headers
    assert second.headers["authorization"].startswith("Digest ")
    assert 'username="admin"' in second.headers["authorization"]
    await client.switch_status()
    # The Switch service is challenged once too; System is now authenticated up front.
    await client.system_status()
    assert received[-1].headers["authorization"].startswith("Digest ")
    assert len(received) == 2 + 2 + 1


async def test_basic_service(client: TwoNClient, received: RequestLog, sim: TwoNSimulator) -> None:
    sim.services[Service.SWITCH].auth = "basic"
    await client.switch_status()
    assert received[-1].headers["authorization"].startswith("Basic ")


async def test_service_without_auth_sends_no_credentials(client: TwoNClient, received: RequestLog) -> None:
    await client.camera_caps()
    assert len(received) == 1
    assert "authorization" not in received[-1].headers


async def test_wrong_password_is_code_9_with_http_401(http: httpx.AsyncClient, endpoint: Endpoint,
                                                      sim: TwoNSimulator) -> None:
    client = TwoNClient(http, endpoint, Credentials("admin", "wrong"))
    with pytest.raises(TwoNAuthorisationRequiredError) as caught:
        await client.login()
    assert isinstance(caught.value, AuthenticationError)
    assert caught.value.code == 9
    response = await http.get("/api/system/status")
    assert response.status_code == 401
    assert response.json()["error"] == {"code": 9, "description": "authorisation required"}
    assert response.headers["www-authenticate"].startswith("Digest ")


async def test_basic_against_digest_service_is_code_8(http: httpx.AsyncClient) -> None:
    response = await http.get("/api/system/status", auth=httpx.BasicAuth("admin", "x"))
    assert response.status_code == 200
    assert response.json()["error"]["code"] == 8


async def test_https_only_service_over_http_is_code_7(sim: TwoNSimulator) -> None:
    transport = httpx.ASGITransport(app=sim)
    async with httpx.AsyncClient(transport=transport, base_url="http://intercom.test") as http:
        client = TwoNClient(http, Endpoint("intercom.test", 80, "http"), Credentials("admin", "x"))
        with pytest.raises(TwoNConnectionTypeError) as caught:
            await client.system_status()
        assert isinstance(caught.value, PermissionDeniedError)
        # Logging is "HTTP" (both accepted) in the document's screenshot.
        assert await client.log_caps()


async def test_disabled_service_is_code_4(client: TwoNClient, sim: TwoNSimulator) -> None:
    sim.services[Service.DISPLAY].enabled = False
    with pytest.raises(TwoNServiceDisabledError) as caught:
        await client.display_caps()
    assert isinstance(caught.value, NotSupportedError)
    assert "Services / HTTP API" in caught.value.message


async def test_missing_privilege_is_code_10(http: httpx.AsyncClient, endpoint: Endpoint,
                                            sim: TwoNSimulator) -> None:
    sim.accounts.append(Account("viewer", "pw", frozenset({"switches.monitoring"})))
    client = TwoNClient(http, endpoint, Credentials("viewer", "pw"))
    assert await client.switch_status()
    with pytest.raises(TwoNInsufficientPrivilegesError):
        await client.switch_control(1, SwitchAction.ON)


async def test_unknown_path_is_code_2(client: TwoNClient) -> None:
    with pytest.raises(TwoNInvalidPathError):
        await client.api.call("GET", "/api/nothing/here")


async def test_invalid_parameter_carries_param(client: TwoNClient) -> None:
    with pytest.raises(TwoNInvalidParameterError) as caught:
        await client.snapshot(999, 999)
    assert caught.value.param == "width"
    assert isinstance(caught.value, InvalidParameterError)


@pytest.mark.parametrize("code", DOCUMENTED_CODES)
async def test_every_documented_code_decodes_to_its_type(code: int) -> None:
    body = {"success": False, "error": {"code": code, "param": "port", "description": "x"}}
    status = 401 if code == 9 else 200

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        api = TwoNApi(DeviceTransport(http, "https://intercom.test"), None)
        with pytest.raises(TwoNError) as caught:
            await api.call("GET", "/api/io/status")
    assert type(caught.value) is type(error_for(code))
    assert caught.value.code == code
    assert caught.value.param == "port"


def test_codes_map_to_the_generic_tree() -> None:
    assert isinstance(error_for(1), NotSupportedError)
    assert isinstance(error_for(8), TwoNAuthMethodError)
    assert isinstance(error_for(8), AuthenticationError)
    assert isinstance(error_for(13), InvalidParameterError)
    assert isinstance(error_for(18), DeviceBusyError)
    assert isinstance(error_for(19), InvalidParameterError)
    assert isinstance(error_for(99), DeviceProtocolError)


async def test_documented_quirks_are_tolerated() -> None:
    """§2.3 prints `"success" : true,` (trailing comma); §5.2.2 writes `parameter` instead of `param`."""
    replies = iter([
        '{\n  "success" : true,\n}',
        json.dumps({"success": False, "error": {"code": 12, "parameter": "fileId",
                                                "description": "invalid parameter"}}),
    ])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=next(replies), headers={"content-type": "application/json"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        api = TwoNApi(DeviceTransport(http, "https://intercom.test"), None)
        assert await api.call("GET", "/api/log/unsubscribe", params={"id": 1}) == {}
        with pytest.raises(TwoNInvalidParameterError) as caught:
            await api.call("GET", "/api/firmware/apply", params={"fileId": "zz"})
    assert caught.value.param == "fileId"


async def test_malformed_reply_is_a_protocol_error(client: TwoNClient, sim: TwoNSimulator) -> None:
    sim.scenarios.enable("malformed", times=1)
    with pytest.raises(DeviceProtocolError):
        await client.system_info()
    sim.scenarios.enable("busy")
    with pytest.raises(DeviceBusyError):
        await client.system_info()
