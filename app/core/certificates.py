"""Plain description of a TLS certificate, as shown in the trust prompt."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509


@dataclass(frozen=True, slots=True)
class CertificateDetails:
    """What the trust prompt shows of a certificate; `fingerprint` is SHA-256 as colon-separated hex."""

    subject: str
    issuer: str
    not_before: datetime
    not_after: datetime
    fingerprint: str
    der: bytes

    @classmethod
    def from_der(cls, der: bytes) -> CertificateDetails:
        """Parse a DER certificate into its displayable details."""
        cert = x509.load_der_x509_certificate(der)
        return cls(
            subject=cert.subject.rfc4514_string(),
            issuer=cert.issuer.rfc4514_string(),
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
            fingerprint=sha256_fingerprint(der),
            der=der,
        )

    @property
    def self_signed(self) -> bool:
        """True when subject and issuer are the same name."""
        return self.subject == self.issuer


def sha256_fingerprint(der: bytes) -> str:
    """SHA-256 of DER bytes as upper-case colon-separated hex (AB:CD:...)."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))
