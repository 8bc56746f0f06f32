"""httpx clients whose sockets are closed when a request is cancelled, whatever it was doing."""

from __future__ import annotations

import ssl
from typing import Any

import httpcore
import httpx

from app.backend.transport import DEFAULT_TIMEOUT

#: httpx's own pool limits (httpx.AsyncHTTPTransport's defaults).
_MAX_CONNECTIONS = 100
_MAX_KEEPALIVE = 20
_KEEPALIVE_EXPIRY_S = 5.0


def device_http(
    *,
    verify: ssl.SSLContext | bool,
    base_url: str = "",
    auth: httpx.Auth | None = None,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """The app's httpx client: no proxy from the environment, no redirects, a cancel-safe pool.

    trust_env=False: device traffic goes straight to the device, never through a proxy from the
    environment, and only `verify` decides TLS trust. `transport` (wrapping a CancelSafeTransport)
    replaces the default one, which is a CancelSafeTransport over `verify`.
    """
    return httpx.AsyncClient(
        base_url=base_url, auth=auth, timeout=timeout, follow_redirects=False, trust_env=False,
        transport=transport if transport is not None else CancelSafeTransport(verify),
    )


class CancelSafeTransport(httpx.AsyncHTTPTransport):
    """httpx's HTTP transport, except that a TLS handshake cut short by a cancellation closes its socket.

    httpcore (1.0.9) closes the TCP stream of a failed handshake only on an Exception: a request
    cancelled mid-handshake (a panel closed, an overall deadline) left its socket registered with the
    event loop, unowned, until the loop closed and the collector warned "unclosed transport".
    """

    def __init__(self, verify: ssl.SSLContext | bool) -> None:
        context = httpx.create_ssl_context(verify=verify, trust_env=False)
        super().__init__(verify=context, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context, max_connections=_MAX_CONNECTIONS, max_keepalive_connections=_MAX_KEEPALIVE,
            keepalive_expiry=_KEEPALIVE_EXPIRY_S, network_backend=_CancelSafeBackend(),
        )


class _CancelSafeBackend(httpcore.AsyncNetworkBackend):
    """AnyIO's backend (the app runs on asyncio) whose TCP streams close on an interrupted handshake."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        """A TCP stream to host:port whose start_tls closes it when the handshake does not finish."""
        stream = await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return _CancelSafeStream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        """A Unix socket stream (unused by devices; part of the backend's contract)."""
        return _CancelSafeStream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        """Sleep as the inner backend does."""
        await self._inner.sleep(seconds)


class _CancelSafeStream(httpcore.AsyncNetworkStream):
    """A network stream that is closed, not abandoned, when its TLS handshake ends in anything but success."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Read as the inner stream does."""
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Write as the inner stream does."""
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        """Close the inner stream."""
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        """The TLS stream over this one; on any failure or cancellation this stream is closed first."""
        try:
            secured = await self._inner.start_tls(ssl_context, server_hostname, timeout)
        except BaseException:
            await self._inner.aclose()  # the socket closes before this first suspends
            raise
        return _CancelSafeStream(secured)

    def get_extra_info(self, info: str) -> Any:
        """Extra information (the ssl object, the socket) from the inner stream."""
        return self._inner.get_extra_info(info)
