"""Device auth flows: Basic, Digest (RFC 7616), bearer tokens with single-flight re-login, expiring tokens."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx

from app.backend.redact import REDACTOR
from app.core.clock import Clock, SystemClock
from app.core.errors import AppError, AuthenticationError

log = logging.getLogger(__name__)

T = TypeVar("T")


def basic_auth(username: str, password: str) -> httpx.Auth:
    """HTTP Basic auth; the password is registered with the log redactor."""
    REDACTOR.add(password)
    return httpx.BasicAuth(username, password)


def digest_auth(username: str, password: str) -> httpx.Auth:
    """HTTP Digest auth (RFC 7616: MD5, SHA-256, -sess, qop=auth; a stale nonce is answered by one retry).

    One instance per client: it reuses the last challenge so later requests need no extra 401.
    """
    REDACTOR.add(password)
    return httpx.DigestAuth(username, password)


class TokenRejected(AuthenticationError):  # noqa: N818  (a signal from the device, named as the brief fixes it)
    """The device refused the bearer token (expired, revoked, device rebooted): log in again."""

    def __init__(self, message: str = "The device no longer accepts the session token.", *,
                 code: str | int | None = None, detail: str = "") -> None:
        super().__init__(message, code=code, detail=detail)


class TokenSession:
    """A bearer token from a login coroutine, shared by concurrent calls.

    `call(fn)` runs `fn(token)`; if it raises TokenRejected the session logs in again once and
    retries once. Concurrent callers that were rejected with the same token share one re-login.
    """

    def __init__(self, login: Callable[[], Awaitable[str]]) -> None:
        self._login = login
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._logins_started = 0
        self._logins_finished = 0
        self._failure: AppError | None = None

    @property
    def token(self) -> str | None:
        """The current token, or None before the first login."""
        return self._token

    @property
    def login_count(self) -> int:
        """How many times the login coroutine has been started."""
        return self._logins_started

    async def current_token(self) -> str:
        """The current token, logging in first when there is none."""
        token, _ = await self._current()
        return token

    async def call(self, fn: Callable[[str], Awaitable[T]]) -> T:
        """`await fn(token)`, with one shared re-login and one retry when the token is rejected."""
        token, seen_logins = await self._current()
        try:
            return await fn(token)
        except TokenRejected:
            log.info("Session token rejected; logging in again")
        token = await self._relogin(seen_logins)
        return await fn(token)

    def invalidate(self) -> None:
        """Drop the token (after a logout or password change); the next call logs in."""
        self._token = None

    async def _current(self) -> tuple[str, int]:
        seen_logins = self._logins_finished
        token = self._token
        if token is None:
            token = await self._relogin(seen_logins)
        return token, self._logins_finished

    async def _relogin(self, seen_logins: int) -> str:
        """Log in unless a login finished since `seen_logins`; then share its token or its failure."""
        async with self._lock:
            if self._logins_finished != seen_logins:
                if self._token is not None:
                    return self._token
                if self._failure is not None:
                    raise self._failure
            self._logins_started += 1
            self._token, self._failure = None, None
            try:
                token = await self._login()
            except AppError as err:
                self._failure = err
                raise
            finally:
                self._logins_finished += 1
            REDACTOR.add(token, ephemeral=True)
            self._token = token
            return token


class ExpiringTokenSession:
    """An access token with an expiry (cloud APIs): refreshed `margin` seconds before it ends.

    `fetch()` returns (token, expires_at) with expires_at on `clock.monotonic()`'s scale. The vendor's
    expiry code calls `invalidate(token)`; concurrent refreshes are single-flight.
    """

    def __init__(
        self,
        fetch: Callable[[], Awaitable[tuple[str, float]]],
        clock: Clock | None = None,
        *,
        margin: float = 60.0,
    ) -> None:
        self._fetch = fetch
        self._clock: Clock = clock or SystemClock()
        self._margin = margin
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._expires_at = -math.inf

    @property
    def expires_at(self) -> float:
        """When the current token ends (monotonic seconds); -inf when there is none."""
        return self._expires_at

    def _valid_token(self) -> str | None:
        if self._token is not None and self._clock.monotonic() < self._expires_at - self._margin:
            return self._token
        return None

    async def token(self) -> str:
        """A token valid for at least `margin` more seconds, fetching a new one when needed."""
        token = self._valid_token()
        if token is not None:
            return token
        async with self._lock:
            token = self._valid_token()
            if token is not None:
                return token
            token, expires_at = await self._fetch()
            REDACTOR.add(token, ephemeral=True)
            self._token, self._expires_at = token, expires_at
            log.info("Access token refreshed")
            return token

    def invalidate(self, token: str | None = None) -> None:
        """Forget the token after the vendor's expiry code; with `token`, only if it is still current."""
        if token is None or token == self._token:
            self._token = None
            self._expires_at = -math.inf

    async def call(self, fn: Callable[[str], Awaitable[T]]) -> T:
        """`await fn(token)`; on TokenRejected refresh once (shared by concurrent callers) and retry once."""
        token = await self.token()
        try:
            return await fn(token)
        except TokenRejected:
            log.info("Access token rejected; refreshing")
        self.invalidate(token)
        return await fn(await self.token())
