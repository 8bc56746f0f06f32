"""Digest auth for Axis devices, or Basic where the device's challenge offers only Basic."""

from __future__ import annotations

from collections.abc import Generator

import httpx

from app.backend.auth import basic_auth, digest_auth


class AxisAuth(httpx.Auth):
    """Answers the device's first 401 challenge with Digest when offered, else with Basic.

    The choice is remembered, so later requests authenticate without another 401. Basic is never
    sent before the device has asked for it, so a Digest-capable device never sees a plain password.
    """

    def __init__(self, username: str, password: str) -> None:
        self._digest = digest_auth(username, password)
        self._basic = basic_auth(username, password)
        self._chosen: httpx.Auth | None = None

    @property
    def scheme(self) -> str:
        """ "digest", "basic", or "" before the device has challenged."""
        if self._chosen is None:
            return ""
        return "digest" if self._chosen is self._digest else "basic"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send, and on a 401 pick the scheme the challenge offers and answer it."""
        if self._chosen is not None:
            yield from self._chosen.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        schemes = {value.split(" ", 1)[0].lower() for value in response.headers.get_list("www-authenticate")}
        if "digest" in schemes:
            self._chosen = self._digest
            flow = self._digest.auth_flow(request)
            next(flow)  # the unauthenticated first try, already answered by `response`
            answer = flow.send(response)
        elif "basic" in schemes:
            self._chosen = self._basic
            answer = next(self._basic.auth_flow(request))
        else:
            return
        yield answer
