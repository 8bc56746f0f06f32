"""The 2N request layer: per-service auth, the success/result/error envelope, typed errors."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Generator, Mapping
from typing import IO, Any

import httpx

from app.backend.auth import basic_auth, digest_auth
from app.backend.body import DEFAULT_MAX_BODY, read_capped
from app.backend.transport import DeviceTransport
from app.core.decoding import decode_json
from app.core.errors import DeviceProtocolError
from app.core.models import Credentials
from app.vendors.two_n.endpoints import FUNCTIONS, Service
from app.vendors.two_n.errors import error_for

_TRAILING_COMMA = re.compile(rb",\s*([}\]])")

Files = Mapping[str, tuple[str, bytes | IO[bytes], str]]


class ServiceAuth(httpx.Auth):
    """Answers each service's own challenge (Basic or Digest, §3); services without auth get none.

    The first request to a service goes without credentials; its 401 challenge names the method,
    which is remembered per service so later requests (uploads too) authenticate up front.
    """

    # Only the status and WWW-Authenticate are read: the body stays with the transport, which caps it.
    requires_response_body = False

    def __init__(self, credentials: Credentials) -> None:
        self._basic = basic_auth(credentials.username, credentials.password)
        self._digest = digest_auth(credentials.username, credentials.password)
        self._methods: dict[Service | None, str] = {}

    def known_method(self, service: Service | None) -> str:
        """"basic", "digest" or "" for a service whose challenge has not been seen yet."""
        return self._methods.get(service, "")

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send `request` with the service's known method, or plain and then answer its challenge."""
        function = FUNCTIONS.get(request.url.path)
        service = function.service if function else None
        method = self._methods.get(service, "")
        if method:
            yield from self._delegate(method, request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        if challenge not in ("basic", "digest"):
            return
        self._methods[service] = challenge
        yield from self._delegate(challenge, request, response)

    def _delegate(
        self, method: str, request: httpx.Request, challenge: httpx.Response | None = None
    ) -> Generator[httpx.Request, httpx.Response, None]:
        flow = (self._digest if method == "digest" else self._basic).auth_flow(request)
        outgoing = next(flow)
        if challenge is not None and "Authorization" not in outgoing.headers:
            outgoing = flow.send(challenge)
        while True:
            response = yield outgoing
            try:
                outgoing = flow.send(response)
            except StopIteration:
                return


class TwoNApi:
    """Sends 2N HTTP API requests through the shared transport and decodes the envelope (§2.3)."""

    def __init__(self, transport: DeviceTransport, credentials: Credentials | None) -> None:
        self.transport = transport
        self.auth: ServiceAuth | None = ServiceAuth(credentials) if credentials else None

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        files: Files | None = None,
        json: Any = None,
        timeout: httpx.Timeout | float | None = None,
        retry: bool | None = None,
        max_body: int | None = None,
    ) -> httpx.Response:
        """The raw response of a successful call; an error envelope (any status) raises its TwoNError.

        `json` is a raw application/json body (the directory functions, §5.14)."""
        response = await self.transport.request(
            method, path, params=_clean(params), data=_clean(data), files=files, json=json, timeout=timeout,
            auth=self.auth, check_status=False, retry=retry, max_body=max_body,
        )
        if response.headers.get("content-type", "").startswith("application/json"):
            envelope = self._envelope(response)
            if envelope.get("success") is not True:
                raise self._error(envelope)
        elif response.status_code >= 400:
            raise DeviceProtocolError(
                f"{self.transport.device_label} answered HTTP {response.status_code} without an envelope."
            )
        return response

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        files: Files | None = None,
        json: Any = None,
        timeout: httpx.Timeout | float | None = None,
        retry: bool | None = None,
        max_body: int | None = None,
    ) -> dict[str, Any]:
        """The envelope's `result` ({} for a positive reply without parameters)."""
        response = await self.send(
            method, path, params=params, data=data, files=files, json=json, timeout=timeout, retry=retry,
            max_body=max_body,
        )
        envelope = self._envelope(response)
        result = envelope.get("result", {})
        if not isinstance(result, dict):
            raise DeviceProtocolError(f"{self.transport.device_label} sent a malformed result for {path}.")
        return result

    @contextlib.asynccontextmanager
    async def stream(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
        timeout: httpx.Timeout | float | None = None,
    ) -> AsyncIterator[httpx.Response]:
        """A successful call's response with its body unread (a push stream); an error envelope raises."""
        async with self.transport.stream(method, path, params=_clean(params), timeout=timeout,
                                         auth=self.auth) as response:
            if response.headers.get("content-type", "").startswith("application/json"):
                await read_capped(response, DEFAULT_MAX_BODY, self.transport.device_label)
                envelope = self._envelope(response)
                if envelope.get("success") is not True:
                    raise self._error(envelope)
                raise DeviceProtocolError(f"{self.transport.device_label} answered {path} without a stream.")
            if response.status_code >= 400:
                label, status = self.transport.device_label, response.status_code
                raise DeviceProtocolError(f"{label} answered HTTP {status} without an envelope.")
            yield response

    def _envelope(self, response: httpx.Response) -> dict[str, Any]:
        envelope = _loads(response.content, f"the reply of {self.transport.device_label}")
        if not isinstance(envelope, dict) or "success" not in envelope:
            raise DeviceProtocolError(f"{self.transport.device_label} sent a reply without `success`.")
        return envelope

    def _error(self, envelope: Mapping[str, Any]) -> Exception:
        error = envelope.get("error")
        if not isinstance(error, dict) or not isinstance(error.get("code"), int):
            return DeviceProtocolError(f"{self.transport.device_label} reported a failure without a code.")
        # §5.2.2 prints the detail as `parameter` instead of `param`; accept both.
        param = str(error.get("param", error.get("parameter", "")))
        return error_for(
            error["code"], param=param, description=str(error.get("description", "")),
            device_label=self.transport.device_label,
        )


def _clean(values: Mapping[str, Any] | None) -> dict[str, str] | None:
    """Drop None values and spell booleans and numbers as the device expects."""
    if values is None:
        return None
    return {
        key: ("1" if value else "0") if isinstance(value, bool) else str(value)
        for key, value in values.items() if value is not None
    }


def _loads(body: bytes, what: str) -> Any:
    """Parse JSON strictly; the document's own examples carry trailing commas (`"success" : true,`, §2.3)."""
    try:
        return decode_json(body, what)
    except DeviceProtocolError:
        repaired = _TRAILING_COMMA.sub(rb"\1", body)
        if repaired == body:
            raise
        return decode_json(repaired, what)
