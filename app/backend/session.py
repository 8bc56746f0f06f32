"""httpx clients for devices: trust decided before the first byte is sent, never unverified."""

from __future__ import annotations

import logging
import ssl
from pathlib import Path

import httpx

from app.backend.connections import CancelSafeTransport, device_http
from app.backend.tls import ca_ssl_context, observing_ssl_context, pinned_ssl_context
from app.backend.transport import DEFAULT_TIMEOUT
from app.backend.trust import TrustStore, fetch_certificate, handshake_verifies
from app.core.certificates import CertificateDetails
from app.core.errors import CertificateChangedError, CleartextRefusedError, UntrustedCertificateError
from app.core.models import Endpoint

log = logging.getLogger(__name__)

PROBE_TIMEOUT = httpx.Timeout(3.0, connect=2.0)
_HANDSHAKE_TIMEOUT = 5.0


async def open_device_client(
    endpoint: Endpoint,
    identity_key: str,
    trust: TrustStore,
    *,
    auth: httpx.Auth | None = None,
    ca_bundle: Path | None = None,
    timeout: httpx.Timeout = DEFAULT_TIMEOUT,
) -> httpx.AsyncClient:
    """A client for one device whose certificate is pinned or CA-verified; raises before anything is sent.

    Plain-HTTP endpoints need no trust, except that a device with a pinned certificate is never contacted
    over HTTP (CleartextRefusedError). Over HTTPS one observing handshake reads the certificate: the pin
    matches -> pinned client (the pin only); pinned but different -> CertificateChangedError and the device
    stays blocked until `trust.trust()` or `trust.unblock()`, whatever a CA bundle says; not pinned and a
    CA bundle (argument, else the store's setting) verifies it -> CA client; never seen ->
    UntrustedCertificateError for the prompt.
    """
    if endpoint.scheme == "http":
        if identity_key and trust.entry(identity_key) is not None:
            raise CleartextRefusedError(
                f"{identity_key} is trusted by its certificate, but {endpoint.host}:{endpoint.port} offers "
                "only plain HTTP. Nothing is sent to it: this may be another machine posing as the device."
            )
        return _client(endpoint, verify=True, auth=auth, timeout=timeout)
    if not identity_key:
        raise ValueError("open_device_client needs the device's identity key to look up its pin")
    bundle = ca_bundle if ca_bundle is not None else trust.ca_bundle
    blocked = trust.blocked(identity_key)
    before = trust.entry(identity_key)
    if blocked is not None and before is not None:
        raise _changed_error(endpoint, identity_key, blocked, before.fingerprint)
    presented = await fetch_certificate(endpoint, timeout=_connect_timeout(timeout))
    entry = trust.entry(identity_key)  # re-read: the user may have decided during the handshake
    if entry is not None and presented.fingerprint == entry.fingerprint:
        pinned = CancelSafeTransport(pinned_ssl_context(entry.der))
        guard = _PinGuardTransport(pinned, endpoint, identity_key, trust)
        return _client(endpoint, verify=True, auth=auth, timeout=timeout, transport=guard)
    if entry is not None:
        trust.block(identity_key, presented)
        raise _changed_error(endpoint, identity_key, presented, entry.fingerprint)
    if bundle is not None:
        context = ca_ssl_context(bundle)
        if await handshake_verifies(endpoint, context, timeout=_connect_timeout(timeout)):
            log.info("%s verified by the CA bundle %s", identity_key, bundle)
            return _client(endpoint, verify=context, auth=auth, timeout=timeout)
    raise UntrustedCertificateError(
        f"{endpoint.host}:{endpoint.port} presents a certificate that is not trusted yet. "
        "Check its fingerprint and trust it to continue.",
        certificate=presented, identity=identity_key,
    )


def probe_client(timeout: httpx.Timeout | float = PROBE_TIMEOUT) -> httpx.AsyncClient:
    """An identification-only client: reads any certificate, no auth, no redirects, short timeouts.

    Use it only for the unauthenticated identity probe of `VendorPlugin.identify`; never give it
    credentials or send it anything a device should not reveal to an impostor.
    """
    return device_http(verify=observing_ssl_context(), timeout=timeout)


def pinned_client(
    der: bytes,
    *,
    auth: httpx.Auth | None = None,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
) -> httpx.AsyncClient:
    """A client that trusts exactly the certificate `der` (never a CA besides it)."""
    return device_http(verify=pinned_ssl_context(der), auth=auth, timeout=timeout)


def _client(
    endpoint: Endpoint,
    *,
    verify: ssl.SSLContext | bool,
    auth: httpx.Auth | None,
    timeout: httpx.Timeout,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    return device_http(
        verify=verify, base_url=endpoint.base_url, auth=auth, timeout=timeout, transport=transport
    )


class _PinGuardTransport(httpx.AsyncBaseTransport):
    """Keeps a pinned client honest after it was opened: a device that swaps its certificate mid-session
    (the pinned context then refuses the handshake) raises CertificateChangedError and is blocked, so
    nothing more is sent to it until the user decides, exactly as on first contact."""

    def __init__(
        self, inner: CancelSafeTransport, endpoint: Endpoint, identity_key: str, trust: TrustStore
    ) -> None:
        self._inner = inner
        self._endpoint = endpoint
        self._key = identity_key
        self._trust = trust

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send through the pinned transport unless the device is blocked; map a swapped certificate."""
        self._raise_if_blocked()
        try:
            return await self._inner.handle_async_request(request)
        except httpx.ConnectError as err:
            if not _is_verification_failure(err):
                raise
            presented = await fetch_certificate(self._endpoint, timeout=_HANDSHAKE_TIMEOUT)
            entry = self._trust.entry(self._key)
            if entry is None or presented.fingerprint == entry.fingerprint:
                raise
            self._trust.block(self._key, presented)
            raise _changed_error(self._endpoint, self._key, presented, entry.fingerprint) from err

    def _raise_if_blocked(self) -> None:
        blocked = self._trust.blocked(self._key)
        entry = self._trust.entry(self._key)
        if blocked is not None and entry is not None:
            raise _changed_error(self._endpoint, self._key, blocked, entry.fingerprint)

    async def aclose(self) -> None:
        """Close the pinned connection pool."""
        await self._inner.aclose()


def _is_verification_failure(err: httpx.ConnectError) -> bool:
    cause: BaseException | None = err
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return True
        cause = cause.__cause__ or cause.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(err)


def _changed_error(
    endpoint: Endpoint, identity_key: str, presented: CertificateDetails, pinned: str
) -> CertificateChangedError:
    return CertificateChangedError(
        f"{endpoint.host}:{endpoint.port} now presents a different certificate than the one trusted "
        f"for {identity_key}. Nothing is sent to it until you decide whether to trust the new one.",
        certificate=presented, identity=identity_key, trusted_fingerprint=pinned,
    )


def _connect_timeout(timeout: httpx.Timeout) -> float:
    return timeout.connect if timeout.connect is not None else _HANDSHAKE_TIMEOUT
