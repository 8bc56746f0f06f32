"""In-process ASGI servers speaking Basic, Digest (RFC 7616 with stale nonces) and bearer-token logins."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.request import parse_http_list, parse_keqv_list

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from app.core.clock import Clock


def _h(algorithm: str, text: str) -> str:
    name = "sha256" if algorithm.upper().startswith("SHA-256") else "md5"
    return hashlib.new(name, text.encode()).hexdigest()


@dataclass
class DigestServer:
    """Digest auth as RFC 7616 describes it; `rotate_nonce()` makes the last nonce stale."""

    username: str
    password: str
    algorithm: str = "SHA-256"
    realm: str = "device@loopback"
    nonce: str = field(default_factory=lambda: secrets.token_hex(16))
    issued: set[str] = field(default_factory=set)
    seen: list[tuple[str, str | None]] = field(default_factory=list)

    def rotate_nonce(self) -> None:
        self.nonce = secrets.token_hex(16)

    def _challenge(self, *, stale: bool) -> Response:
        self.issued.add(self.nonce)
        header = (
            f'Digest realm="{self.realm}", qop="auth", algorithm={self.algorithm}, '
            f'nonce="{self.nonce}", opaque="opaque-value"' + (", stale=true" if stale else "")
        )
        return PlainTextResponse("unauthorized", status_code=401, headers={"WWW-Authenticate": header})

    def _expected(self, method: str, fields: dict[str, str]) -> str:
        ha1 = _h(self.algorithm, f"{self.username}:{self.realm}:{self.password}")
        ha2 = _h(self.algorithm, f"{method}:{fields['uri']}")
        parts = [ha1, fields["nonce"], fields["nc"], fields["cnonce"], fields["qop"], ha2]
        return _h(self.algorithm, ":".join(parts))

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        header = request.headers.get("authorization")
        is_digest = header is not None and header.startswith("Digest ")
        fields = parse_keqv_list(parse_http_list(header[7:])) if header and is_digest else {}
        self.seen.append((request.url.path, fields.get("nonce")))
        response: Response
        if (
            not fields
            or fields.get("username") != self.username
            or fields.get("response") != self._expected(request.method, fields)
        ):
            response = self._challenge(stale=False)
        elif fields["nonce"] != self.nonce:
            response = self._challenge(stale=fields["nonce"] in self.issued)
        else:
            response = JSONResponse({"path": request.url.path, "algorithm": fields.get("algorithm")})
        await response(scope, receive, send)


@dataclass
class BasicServer:
    """Basic auth; counts attempts per outcome."""

    username: str
    password: str
    attempts: list[str] = field(default_factory=list)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        expected = "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        header = request.headers.get("authorization", "")
        self.attempts.append(base64.b64decode(header[6:]).decode().split(":")[0] if header else "")
        response: Response
        if header == expected:
            response = JSONResponse({"user": self.username})
        else:
            challenge = {"WWW-Authenticate": 'Basic realm="d"'}
            response = PlainTextResponse("no", status_code=401, headers=challenge)
        await response(scope, receive, send)


@dataclass
class TokenServer:
    """POST /login {username, password} -> {token, expiresIn}; GET /data needs the token (header or ?token=).

    A rejected token answers 403 (session devices) or 200 with {"code": "TOKEN_EXPIRED"} when
    `expiry_in_body` (cloud APIs that put their expiry code in the body). With `reject_together`
    rejections are held until that many are pending, so callers are provably concurrent; with
    `login_gate` logins wait for the gate.
    """

    username: str
    password: str
    clock: Clock
    lifetime: float = 3600.0
    expiry_in_body: bool = False
    valid: dict[str, float] = field(default_factory=dict)
    issued: list[str] = field(default_factory=list)
    logins: int = 0
    data_requests: list[str] = field(default_factory=list)
    reject_together: int = 0
    login_gate: asyncio.Event | None = None
    _rejections: int = 0
    _all_rejected: asyncio.Event = field(default_factory=asyncio.Event)

    def revoke_all(self) -> None:
        self.valid.clear()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        response: Response
        if request.url.path == "/login":
            response = await self._login(request)
        else:
            response = await self._data(request)
        await response(scope, receive, send)

    async def _login(self, request: Request) -> Response:
        body = await request.json()
        self.logins += 1
        if self.login_gate is not None:
            await self.login_gate.wait()
        if (body.get("username"), body.get("password")) != (self.username, self.password):
            return JSONResponse({"code": "BAD_CREDENTIALS"}, status_code=401)
        token = secrets.token_urlsafe(24)
        self.issued.append(token)
        self.valid[token] = self.clock.monotonic() + self.lifetime
        return JSONResponse({"token": token, "expiresIn": self.lifetime})

    async def _data(self, request: Request) -> Response:
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ") if auth else request.query_params.get("token", "")
        self.data_requests.append(token)
        expires = self.valid.get(token)
        if expires is not None and self.clock.monotonic() < expires:
            return JSONResponse({"code": "OK", "value": 42})
        self._rejections += 1
        if self._rejections >= self.reject_together:
            self._all_rejected.set()
        await self._all_rejected.wait()
        if self.expiry_in_body:
            return JSONResponse({"code": "TOKEN_EXPIRED"})
        return JSONResponse({"code": "FORBIDDEN"}, status_code=403)
