"""The one choke point through which every device request goes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from typing import Any

import httpx

from app.backend.body import ACCEPTED_ENCODINGS, DEFAULT_MAX_BODY, read_capped
from app.backend.redact import REDACTOR, redact_url
from app.core.errors import (
    AuthenticationError,
    DeviceBusyError,
    DeviceError,
    DeviceProtocolError,
    DeviceTimeoutError,
    DeviceUnreachableError,
    InvalidParameterError,
    NotSupportedError,
    PermissionDeniedError,
)

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
#: The overall deadline of an ordinary call (connection, request, answer and body together).
DEFAULT_DEADLINE_S = 30.0
#: Identification probes: one short request each; Identifier bounds the whole probe as well.
PROBE_TIMEOUT = httpx.Timeout(3.0, connect=2.0)
PROBE_DEADLINE_S = 5.0
#: A call with its own (longer) read timeout gets at least this many times that timeout in all.
DEADLINE_PER_CALL_TIMEOUT = 2.0
#: The slowest upload rate (bytes/s) a deadline allows for: a request body adds size / rate seconds.
MIN_UPLOAD_RATE = 64 * 1024
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_RETRY_DELAYS = (0.2, 0.6)
_NOT_RETRIED = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)


class DeviceTransport:
    """Sends requests to one device on an injected httpx.AsyncClient and maps failures to the error tree.

    Every request has an overall deadline (connection, upload, answer and body together) and its body
    is read with a byte cap, so a trickling, endless or oversized answer ends as a typed error.
    Idempotent reads are retried a bounded number of times on connection errors and timeouts;
    writes never are. HTTP statuses are mapped only when `check_status` is true (the default):
    vendors whose errors arrive in bodies pass False and decode themselves. Redirects are never
    followed; one is a DeviceProtocolError.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        *,
        device_label: str = "",
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry_delays: tuple[float, ...] = _RETRY_DELAYS,
        deadline: float | None = None,
        max_body: int = DEFAULT_MAX_BODY,
    ) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.device_label = device_label or base_url
        self.timeout = timeout
        self.deadline = DEFAULT_DEADLINE_S if deadline is None else deadline
        self.max_body = max_body
        self._retry_delays = retry_delays

    @classmethod
    def for_probe(cls, client: httpx.AsyncClient, base_url: str, device_label: str = "") -> DeviceTransport:
        """A transport for one identification probe: short timeouts and deadline, no retries."""
        return cls(
            client, base_url, device_label=device_label, timeout=PROBE_TIMEOUT, retry_delays=(),
            deadline=PROBE_DEADLINE_S,
        )

    def url(self, path: str) -> str:
        """Absolute URL for a device path (paths start with /)."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}{path}"

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: httpx.Timeout | float | None = None,
        auth: httpx.Auth | None = None,
        check_status: bool = True,
        retry: bool | None = None,
        max_body: int | None = None,
        deadline: float | None = None,
    ) -> httpx.Response:
        """Send one request; return the response with its body read, or raise a DeviceError `from` the cause.

        `max_body` caps the answer (default: the transport's, 1 MiB); `deadline` bounds the whole call
        in seconds (default: the transport's, stretched for long per-call timeouts and large uploads).
        """
        method = method.upper()
        may_retry = (method in IDEMPOTENT_METHODS) if retry is None else retry
        url = self.url(path)
        request = self.client.build_request(
            method, url, params=params, json=json, data=data, files=files, content=content,
            headers={"Accept-Encoding": ACCEPTED_ENCODINGS, **(headers or {})},
            timeout=timeout if timeout is not None else self.timeout,
        )
        limit = deadline if deadline is not None else self.deadline_for(request, timeout)
        cap = max_body if max_body is not None else self.max_body
        try:
            async with asyncio.timeout(limit):
                response = await self._send(request, auth, cap, self._retry_delays if may_retry else ())
        except TimeoutError as err:
            log.warning("%s %s cut off at its %.0f s deadline", method, _safe(url), limit)
            raise DeviceTimeoutError(
                f"{self.device_label} did not finish answering within {limit:.0f} s.",
                detail="overall deadline",
            ) from err
        if log.isEnabledFor(logging.DEBUG):  # per request: DEBUG keeps operations in the rotating log
            log.debug("%s %s -> %s", method, _safe(str(response.request.url)), response.status_code)
        if 300 <= response.status_code < 400:
            raise DeviceProtocolError(
                f"{self.device_label} redirected the request elsewhere; the app does not follow redirects.",
                code=response.status_code, detail=_safe(response.headers.get("location", ""))[:200],
            )
        if check_status:
            raise_for_status(response, self.device_label)
        return response

    async def _send(
        self, request: httpx.Request, auth: httpx.Auth | None, cap: int, delays: tuple[float, ...]
    ) -> httpx.Response:
        chosen = auth if auth is not None else self.client.auth
        bounded = _CappedChallenges(chosen, cap, self.device_label) if chosen is not None else None
        attempt = 0
        while True:
            try:
                response = await self.client.send(request, auth=bounded, follow_redirects=False, stream=True)
                await read_capped(response, cap, self.device_label)
                return response
            except (httpx.TimeoutException, httpx.TransportError) as err:
                if attempt < len(delays) and not isinstance(err, _NOT_RETRIED):
                    await asyncio.sleep(delays[attempt])
                    attempt += 1
                    continue
                raise self._map_transport_error(err, request.method, str(request.url)) from err
            except httpx.HTTPError as err:  # decoding, stream and URL errors: the peer's answer is unusable
                log.warning("%s %s failed: %s", request.method, _safe(str(request.url)), type(err).__name__)
                raise DeviceProtocolError(
                    f"{self.device_label} sent an answer the app cannot read.", detail=str(err)[:200]
                ) from err

    @contextlib.asynccontextmanager
    async def stream(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        timeout: httpx.Timeout | float | None = None,
        auth: httpx.Auth | None = None,
    ) -> AsyncIterator[httpx.Response]:
        """Send one request and hand over its response with the body unread, for a push stream that the
        caller reads with its own bounds; closed on exit.

        Connecting and the answer's headers are bounded by the transport's deadline; transport failures
        while the caller reads map to the error tree as for any call. Never retried, never redirected.
        """
        method = method.upper()
        url = self.url(path)
        request = self.client.build_request(
            method, url, params=params, headers={"Accept-Encoding": "identity"},
            timeout=timeout if timeout is not None else self.timeout,
        )
        chosen = auth if auth is not None else self.client.auth
        bounded = _CappedChallenges(chosen, self.max_body, self.device_label) if chosen is not None else None
        limit = self.deadline_for(request, timeout)
        try:
            async with asyncio.timeout(limit):
                response = await self.client.send(request, auth=bounded, follow_redirects=False, stream=True)
        except TimeoutError as err:
            raise DeviceTimeoutError(f"{self.device_label} did not start answering within {limit:.0f} s.",
                                     detail="overall deadline") from err
        except httpx.HTTPError as err:
            raise self._map_stream_error(err, method, url) from err
        try:
            if 300 <= response.status_code < 400:
                raise DeviceProtocolError(f"{self.device_label} redirected the request elsewhere; the app "
                                          "does not follow redirects.", code=response.status_code)
            yield response
        except httpx.HTTPError as err:
            raise self._map_stream_error(err, method, url) from err
        finally:
            await response.aclose()

    def _map_stream_error(self, err: httpx.HTTPError, method: str, url: str) -> DeviceError:
        if isinstance(err, httpx.TimeoutException | httpx.TransportError):
            return self._map_transport_error(err, method, url)
        return DeviceProtocolError(f"{self.device_label} sent an answer the app cannot read.",
                                   detail=str(err)[:200])

    def deadline_for(self, request: httpx.Request, timeout: httpx.Timeout | float | None = None) -> float:
        """The transport's deadline, stretched to twice a longer call timeout and by the upload size."""
        limit = self.deadline
        if timeout is not None:
            read = timeout if isinstance(timeout, int | float) else timeout.read
            limit = max(limit, DEADLINE_PER_CALL_TIMEOUT * (read or 0.0))
        declared = request.headers.get("content-length", "")
        size = int(declared) if declared.isdigit() else 0
        return limit + size / MIN_UPLOAD_RATE

    def _map_transport_error(self, err: Exception, method: str, url: str) -> DeviceError:
        where = f"{self.device_label}"
        log.warning("%s %s failed: %s", method, _safe(url), type(err).__name__)
        if isinstance(err, httpx.TimeoutException):
            return DeviceTimeoutError(f"{where} did not answer in time.")
        cause = err.__cause__ or err.__context__
        if isinstance(cause, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(err):
            return DeviceProtocolError(
                f"The TLS connection to {where} failed: {err}",
                detail="certificate verification failed",
            )
        if isinstance(err, httpx.RemoteProtocolError):
            return DeviceUnreachableError(f"{where} broke off the connection or answered malformed: {err}")
        if isinstance(err, httpx.UnsupportedProtocol | httpx.LocalProtocolError):
            return DeviceProtocolError(f"The request to {where} could not be sent: {err}")
        return DeviceUnreachableError(f"{where} cannot be reached: {err}")


class _CappedChallenges(httpx.Auth):
    """Wraps an auth flow so the answers httpx reads in full before retrying (a 401 challenge) are capped.

    Only an answer the flow answers with another request is read here (httpx would read it whole);
    the final answer is left to the transport's own capped read, as without auth.
    """

    def __init__(self, inner: httpx.Auth, cap: int, label: str) -> None:
        self._inner = inner
        self._cap = cap
        self._label = label
        self.requires_request_body = inner.requires_request_body
        self.requires_response_body = inner.requires_response_body

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """The inner flow; each challenge it answers is read (capped) before httpx reads it."""
        flow = self._inner.async_auth_flow(request)
        outgoing = await flow.__anext__()
        while True:
            response = yield outgoing
            try:
                outgoing = await flow.asend(response)
            except StopAsyncIteration:
                return
            await read_capped(response, self._cap, self._label)


def _safe(url: str) -> str:
    return REDACTOR.redact(redact_url(url))


_STATUS_ERRORS: dict[int, tuple[type[DeviceError], str]] = {
    400: (InvalidParameterError, "The device rejected the request as malformed."),
    401: (AuthenticationError, "The device refused the username or password."),
    403: (PermissionDeniedError, "This user may not do that on the device."),
    404: (NotSupportedError, "The device does not offer this function."),
    405: (NotSupportedError, "The device does not allow this method here."),
    406: (InvalidParameterError, "The device cannot produce the requested format."),
    409: (DeviceBusyError, "The device is busy; try again shortly."),
    429: (DeviceBusyError, "The device asks to slow down; try again shortly."),
    503: (DeviceBusyError, "The device is temporarily unavailable; try again shortly."),
}


def raise_for_status(response: httpx.Response, device_label: str = "") -> None:
    """Raise the error-tree exception matching a 4xx/5xx response; do nothing for 1xx-3xx."""
    status = response.status_code
    if status < 400:
        return
    error_type, message = _STATUS_ERRORS.get(
        status,
        (DeviceProtocolError, f"The device answered with HTTP {status}."),
    )
    prefix = f"{device_label}: " if device_label else ""
    raise error_type(prefix + message, code=status, detail=_short_body(response))


def _short_body(response: httpx.Response) -> str:
    try:
        text = response.text
    except (UnicodeDecodeError, httpx.ResponseNotRead):
        return ""
    return REDACTOR.redact(text[:300])
