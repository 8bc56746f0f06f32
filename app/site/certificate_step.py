"""The certificate step of opening a device: an httpx client whose TLS peer is trusted, asking when needed."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from app.backend.session import open_device_client
from app.backend.trust import TrustedCertificate
from app.core.certificates import CertificateDetails
from app.core.errors import CertificateChangedError, CertificateError
from app.core.models import Endpoint
from app.site.connector import SiteConnector
from app.site.prompts import TrustQuestion

Asking = Callable[[CertificateError], None]
"""asking(error): told before the technician is asked about the certificate in `error`."""
Trusted = Callable[[], None]
"""trusted(): the technician trusted the certificate; it is checked again by the next handshake."""


class CertificateStep:
    """Opens trusted clients for one connection; remembers each pin it made so `undo()` can take it back."""

    def __init__(self, site: SiteConnector) -> None:
        self._site = site
        self._trust = site.trust
        self._made: list[tuple[str, TrustedCertificate | None]] = []

    async def open(
        self, endpoint: Endpoint, key: str, label: str, *, asking: Asking | None = None,
        trusted: Trusted | None = None,
    ) -> httpx.AsyncClient | None:
        """A client whose TLS peer is pinned (or CA-verified); None when the technician declined trust."""
        for _ in range(2):
            try:
                return await open_device_client(endpoint, key, self._trust)
            except CertificateError as err:
                if asking is not None:
                    asking(err)
                fingerprint = {"fingerprint": err.certificate.fingerprint}
                if not await self._site.prompts.decide_trust(self.question(err, key, label)):
                    changed = isinstance(err, CertificateChangedError)
                    self._site.record(key, "Certificate", "kept blocking" if changed else "not trusted",
                                      fingerprint)
                    return None
                self.pin(key, err.certificate)
                self._site.record(key, "Certificate", "trusted", fingerprint)
                if trusted is not None:
                    trusted()
        return await open_device_client(endpoint, key, self._trust)

    def question(self, err: CertificateError, key: str, label: str) -> TrustQuestion:
        """The trust question for `err`, naming other devices the presented certificate is pinned to."""
        old = err.trusted_fingerprint if isinstance(err, CertificateChangedError) else None
        others = self.pinned_elsewhere(err.certificate.fingerprint, key)
        return TrustQuestion(label, key, err.certificate, old, others)

    def pinned_elsewhere(self, fingerprint: str, key: str) -> tuple[str, ...]:
        """Devices other than `key` whose pin is this fingerprint."""
        return tuple(other for other in self._trust.keys_pinning(fingerprint) if other != key)

    def pin(self, key: str, certificate: CertificateDetails) -> None:
        """Pin `certificate` for `key`, remembering what it replaced."""
        self._made.append((key, self._trust.entry(key)))
        self._trust.trust(key, certificate)

    def undo(self) -> None:
        """Take back every pin this step made (the device proved not to be the one trusted)."""
        for key, previous in reversed(self._made):
            self._trust.restore(key, previous)
        self._made.clear()
