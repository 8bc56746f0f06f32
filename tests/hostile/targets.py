"""Every vendor client's main read calls, as (build the client, make the call) pairs a hostile test drives."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from app.backend.body import DEFAULT_MAX_BODY
from app.core.models import Credentials, Endpoint
from app.vendors.audiocodes.client import FILE_MAX_BODY as AUDIOCODES_FILE_MAX_BODY
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.axis.client import SNAPSHOT_MAX_BODY, AxisClient
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.session import TOKEN_PATH
from app.vendors.inxpect.client import InxpectClient
from app.vendors.two_n.client import FILE_MAX_BODY as TWO_N_FILE_MAX_BODY
from app.vendors.two_n.client import TwoNClient
from tests.hostile.peer import Honest

CREDENTIALS = Credentials("admin", "hostile-test-password")


@dataclass(frozen=True, slots=True)
class ClientCall:
    """One read call of one vendor client against a peer at `endpoint`."""

    name: str
    build: Callable[[httpx.AsyncClient, Endpoint], Any]
    call: Callable[[Any], Awaitable[object]]
    cap: int = DEFAULT_MAX_BODY
    #: A file download: any complete body is a valid file, so a well-framed odd body is a success.
    any_body: bool = False
    honest: Callable[[Endpoint], Mapping[str, Honest]] = field(default=lambda _endpoint: {})


def _json(value: object) -> Honest:
    return Honest(json.dumps(value).encode())


def _inxpect_login(_endpoint: Endpoint) -> Mapping[str, Honest]:
    return {"/login": _json({"errorCode": 0, "token": "hostile-session"})}


def _hik_token(endpoint: Endpoint) -> Mapping[str, Honest]:
    expiry = int((time.time() + 3600) * 1000)
    data = {"accessToken": "hostile-token", "expireTime": expiry, "areaDomain": endpoint.base_url}
    return {TOKEN_PATH: _json({"errorCode": "0", "data": data})}


def _axis(http: httpx.AsyncClient, endpoint: Endpoint) -> AxisClient:
    return AxisClient.connect(http, endpoint, CREDENTIALS)


def _two_n(http: httpx.AsyncClient, endpoint: Endpoint) -> TwoNClient:
    return TwoNClient(http, endpoint, CREDENTIALS)


def _inxpect(http: httpx.AsyncClient, endpoint: Endpoint) -> InxpectClient:
    return InxpectClient(http, endpoint, CREDENTIALS)


def _audiocodes(http: httpx.AsyncClient, endpoint: Endpoint) -> AudioCodesClient:
    return AudioCodesClient(http, endpoint, CREDENTIALS)


def _hikvision(http: httpx.AsyncClient, endpoint: Endpoint) -> HikPartnerClient:
    return HikPartnerClient(http, endpoint.base_url, "hostile-key", "hostile-secret")


async def _hik_sites(client: HikPartnerClient) -> object:
    await client.login()
    return await client.search_sites()


CLIENT_CALLS = (
    ClientCall("axis-identity", _axis, lambda c: c.read_identity()),
    ClientCall("axis-capabilities", _axis, lambda c: c.get_capabilities()),
    ClientCall("axis-snapshot", _axis, lambda c: c.snapshot(), cap=SNAPSHOT_MAX_BODY),
    ClientCall("two_n-system-info", _two_n, lambda c: c.system_info()),
    ClientCall("two_n-login", _two_n, lambda c: c.login()),
    ClientCall("two_n-switch-status", _two_n, lambda c: c.switch_status()),
    ClientCall("two_n-config-backup", _two_n, lambda c: c.download_config(), cap=TWO_N_FILE_MAX_BODY),
    ClientCall("inxpect-login", _inxpect, lambda c: c.login()),
    ClientCall("inxpect-info", _inxpect, lambda c: c.read_info(), honest=_inxpect_login),
    ClientCall("inxpect-configuration", _inxpect, lambda c: c.read_configuration(), honest=_inxpect_login),
    ClientCall("inxpect-detections", _inxpect, lambda c: c.read_detections(), honest=_inxpect_login),
    ClientCall("audiocodes-status", _audiocodes, lambda c: c.status()),
    ClientCall("audiocodes-alarms", _audiocodes, lambda c: c.alarms()),
    ClientCall("audiocodes-ini-backup", _audiocodes, lambda c: c.download_ini(), cap=AUDIOCODES_FILE_MAX_BODY,
               any_body=True),
    ClientCall("hikvision-login", _hikvision, lambda c: c.login()),
    ClientCall("hikvision-sites", _hikvision, _hik_sites, honest=_hik_token),
)
