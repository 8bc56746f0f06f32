"""The Hik-Partner Pro session: token from the token host, calls to `areaDomain`, envelope decoding.

Guide §2.2/§3.1: `token/get` on the global host returns `accessToken`, `expireTime` (epoch ms) and
`areaDomain`; every later call goes to `areaDomain` with `Authorization: Bearer <token>`. The token
is renewed `renew_margin` seconds before it ends and, once per call, on LAP500002..LAP500005, through
app.backend.auth.ExpiringTokenSession (single-flight: concurrent callers share one refresh).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import httpx

from app.backend.auth import ExpiringTokenSession
from app.backend.redact import REDACTOR
from app.backend.transport import DeviceTransport, raise_for_status
from app.core.clock import Clock, SystemClock
from app.core.decoding import as_object, decode_json
from app.core.errors import CleartextRefusedError
from app.vendors.hikvision.errors import (
    HikProtocolError,
    HikRateLimitedError,
    HikTokenError,
    error_for,
)
from app.vendors.hikvision.models import AccessToken

log = logging.getLogger(__name__)
T = TypeVar("T")

TOKEN_PATH = "/api/hpcgw/v1/token/get"  # noqa: S105 (a URL path, not a secret)
#: mq/messages blocks 20 s when empty (§3.34); the read timeout must outlast it.
LONG_POLL_TIMEOUT = httpx.Timeout(40.0, connect=10.0)
CLOUD_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
#: No quotas are documented (A.1 only names the codes): back off a bounded number of times.
RATE_LIMIT_DELAYS = (1.0, 3.0, 8.0)

REGIONS = (
    ("ieuapi", "Europe"),
    ("iusapi", "North America"),
    ("isaapi", "South America"),
    ("isgpapi", "Singapore"),
    ("hik-partnerru", "Russia"),
    ("hik-proconnectru", "Russia"),
)


def region_of(area_domain: str) -> str:
    """The region name of an `areaDomain` (Europe, North America...), or the domain itself."""
    for marker, name in REGIONS:
        if marker in area_domain:
            return name
    return area_domain


class HikCloudSession:
    """Holds the token and the area transport; `call()` is the one way to reach the cloud API."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        token_host: str,
        app_key: str,
        secret_key: str,
        *,
        clock: Clock | None = None,
        renew_margin: float = 600.0,
        rate_limit_delays: tuple[float, ...] = RATE_LIMIT_DELAYS,
    ) -> None:
        self._http = http
        self._token_host = token_host
        self._token_transport = DeviceTransport(
            http, token_host, device_label="Hik-Partner Pro", timeout=CLOUD_TIMEOUT
        )
        self._app_key = app_key
        self._secret_key = secret_key
        REDACTOR.add(secret_key)
        self._clock = clock or SystemClock()
        self._rate_limit_delays = rate_limit_delays
        self._token: AccessToken | None = None
        self._area: DeviceTransport | None = None
        self._tokens = ExpiringTokenSession(self._fetch_for_session, self._clock, margin=renew_margin)

    @property
    def token(self) -> AccessToken | None:
        """The current token, if signed in."""
        return self._token

    @property
    def area_domain(self) -> str:
        """The regional base URL from token/get ("" before sign-in)."""
        return self._token.area_domain if self._token else ""

    async def sign_in(self) -> AccessToken:
        """Fetch a fresh token now (raises HikCredentialsError on a wrong key or secret)."""
        self._tokens.invalidate()
        return await self._valid_token()

    async def _fetch_for_session(self) -> tuple[str, float]:
        """token/get for ExpiringTokenSession: the token and its end on the clock's monotonic scale."""
        token = await self._fetch_token()
        remaining = (token.expires_at - self._clock.now()).total_seconds()
        return token.value, self._clock.monotonic() + remaining

    async def _fetch_token(self) -> AccessToken:
        _require_https(self._token_host, "token service")
        response = await self._token_transport.request(
            "POST",
            TOKEN_PATH,
            json={"appKey": self._app_key, "secretKey": self._secret_key},
            retry=False,
            check_status=False,
        )
        payload = envelope(response, "Signing in to Hik-Partner Pro")
        # §3.1's example has no envelope; §2.2's (canonical) has one. Accept both.
        data = payload.get("data") if "errorCode" in payload else payload
        _raise_for_code(payload, "Signing in to Hik-Partner Pro")
        if not isinstance(data, Mapping):
            raise HikProtocolError("Hik-Partner Pro returned no token.", detail=str(payload)[:200])
        token = AccessToken.decode(data)
        if not token.value or not token.area_domain:
            raise HikProtocolError("Hik-Partner Pro returned an incomplete token answer.")
        _require_https(token.area_domain, "regional address (areaDomain)")
        REDACTOR.add(token.value, ephemeral=True)
        self._token = token
        self._area = DeviceTransport(
            self._http, token.area_domain, device_label="Hik-Partner Pro", timeout=CLOUD_TIMEOUT
        )
        log.info("Signed in to Hik-Partner Pro, region %s", region_of(token.area_domain))
        return token

    async def _valid_token(self) -> AccessToken:
        """The current token, renewed (single-flight) when missing or within the margin of its end."""
        value = await self._tokens.token()
        if self._token is None or self._token.value != value:
            raise HikProtocolError("The Hik-Partner Pro token changed while in use.")
        return self._token

    async def call(
        self,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        context: str = "",
        timeout: httpx.Timeout | None = None,
        back_off: bool = True,
    ) -> Any:
        """POST `body` to `areaDomain + path`; return the envelope's `data` or raise the code's error."""

        async def send(token: AccessToken) -> Any:
            response = await self.area.request(
                "POST",
                path,
                json=dict(body or {}),
                headers=_bearer(token),
                timeout=timeout,
                retry=False,
                check_status=False,
            )
            payload = envelope(response, context)
            _raise_for_code(payload, context)
            return payload.get("data")

        return await self.with_token(send, back_off=back_off)

    async def with_token(self, send: Callable[[AccessToken], Awaitable[T]], *, back_off: bool = True) -> T:
        """Run `send` with a valid token: renew once on a token error, back off on rate limits."""
        renewed = False
        delays = iter(self._rate_limit_delays if back_off else ())
        while True:
            token = await self._valid_token()
            try:
                return await send(token)
            except HikTokenError:
                if renewed:
                    raise
                renewed = True
                log.info("Hik-Partner Pro rejected the token; getting a new one")
                self._tokens.invalidate(token.value)
            except HikRateLimitedError as err:
                delay = next(delays, None)
                if delay is None:
                    raise
                log.warning("Hik-Partner Pro rate limit (%s); waiting %.0f s", err.code, delay)
                await self._clock.sleep(delay)

    @property
    def area(self) -> DeviceTransport:
        """The transport to `areaDomain` (exists once signed in)."""
        if self._area is None:
            raise HikTokenError("Not signed in to Hik-Partner Pro.", code="LAP500002")
        return self._area


def _require_https(url: str, what: str) -> None:
    """Refuse a cloud address that is not https: the secret or token would travel in clear."""
    if not url.lower().startswith("https://"):
        raise CleartextRefusedError(
            f"The Hik-Partner Pro {what} {url} is not an https:// address. Nothing is sent there: the "
            "account's secret and token only travel encrypted."
        )


def _bearer(token: AccessToken) -> dict[str, str]:
    return {"Authorization": f"Bearer {token.value}"}


def bearer_headers(token: AccessToken) -> dict[str, str]:
    """The Authorization header for `token`."""
    return _bearer(token)


def envelope(response: httpx.Response, context: str) -> dict[str, Any]:
    """The JSON envelope of an answer; an HTTP error status raises the vendor's error when the body
    carries its envelope (a rate limit answered 429 with LAP500007 is read as LAP500007), else the
    status's error."""
    if response.status_code >= 400:
        try:
            payload = _json_body(response)
        except HikProtocolError:
            payload = {}
        if str(payload.get("errorCode", "0")).strip() not in ("", "0"):
            _raise_for_code(payload, context)
        raise_for_status(response, "Hik-Partner Pro")
    return _json_body(response)


def _json_body(response: httpx.Response) -> dict[str, Any]:
    payload = decode_json(response.content, "Hik-Partner Pro's answer", error=HikProtocolError)
    return as_object(payload, "Hik-Partner Pro's answer", error=HikProtocolError)


def _raise_for_code(payload: Mapping[str, Any], context: str) -> None:
    """Raise the typed error when the envelope's string `errorCode` is not "0"."""
    if "errorCode" not in payload:
        return
    code = str(payload.get("errorCode", "")).strip()
    if code != "0":
        raise error_for(code, str(payload.get("message", "")), context=context)
