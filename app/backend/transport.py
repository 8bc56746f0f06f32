"""The one choke point through which every device request goes."""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Mapping
from typing import Any

import httpx

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
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_RETRY_DELAYS = (0.2, 0.6)


class DeviceTransport:
    """Sends requests to one device on an injected httpx.AsyncClient and maps failures to the error tree.

    Idempotent reads are retried a bounded number of times on connection errors and timeouts;
    writes never are. HTTP statuses are mapped only when `check_status` is true (the default):
    vendors whose errors arrive in bodies pass False and decode themselves.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        *,
        device_label: str = "",
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry_delays: tuple[float, ...] = _RETRY_DELAYS,
    ) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.device_label = device_label or base_url
        self.timeout = timeout
        self._retry_delays = retry_delays

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
    ) -> httpx.Response:
        """Send one request; return the response or raise a DeviceError subclass `from` the cause."""
        method = method.upper()
        may_retry = (method in IDEMPOTENT_METHODS) if retry is None else retry
        delays = self._retry_delays if may_retry else ()
        url = self.url(path)
        kwargs: dict[str, Any] = {
            "params": params, "json": json, "data": data, "files": files, "content": content,
            "headers": headers, "timeout": timeout if timeout is not None else self.timeout,
        }
        if auth is not None:
            kwargs["auth"] = auth
        attempt = 0
        while True:
            try:
                response = await self.client.request(method, url, **kwargs)
            except (httpx.TimeoutException, httpx.TransportError) as err:
                if attempt < len(delays) and not isinstance(err, httpx.UnsupportedProtocol):
                    await asyncio.sleep(delays[attempt])
                    attempt += 1
                    continue
                raise self._map_transport_error(err, method, url) from err
            if log.isEnabledFor(logging.DEBUG):  # per request: DEBUG keeps operations in the rotating log
                log.debug(
                    "%s %s -> %s", method, REDACTOR.redact(redact_url(str(response.request.url))),
                    response.status_code,
                )
            if check_status:
                raise_for_status(response, self.device_label)
            return response

    def _map_transport_error(self, err: Exception, method: str, url: str) -> DeviceError:
        where = f"{self.device_label}"
        log.warning("%s %s failed: %s", method, REDACTOR.redact(redact_url(url)), type(err).__name__)
        if isinstance(err, httpx.TimeoutException):
            return DeviceTimeoutError(f"{where} did not answer in time.")
        cause = err.__cause__ or err.__context__
        if isinstance(cause, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(err):
            return DeviceProtocolError(
                f"The TLS connection to {where} failed: {err}",
                detail="certificate verification failed",
            )
        return DeviceUnreachableError(f"{where} cannot be reached: {err}")


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
