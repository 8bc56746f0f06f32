"""Checks on a signed certificate before it is sent to the device: PEM, validity, key strength, signature,
key match, chain. Unsafe findings stop the install unless the technician overrides them with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.core.certificates import CertificateDetails
from app.core.errors import ConfigurationError
from app.vendors.audiocodes.pem import pem_blocks

MIN_KEY_BITS = 2048


class CertificateFileError(ConfigurationError):
    """The file is not a PEM certificate; nothing is sent."""


class UnsafeCertificateError(ConfigurationError):
    """A certificate or key failed a safety check and no override with a reason was given."""


def weak_key_refusal(bits: int) -> str:
    """Why a key of `bits` bits is refused, or "" when it is at least MIN_KEY_BITS."""
    if bits >= MIN_KEY_BITS:
        return ""
    return (
        f"The key has only {bits} bits: keys under {MIN_KEY_BITS} bits are considered breakable and "
        "browsers and most SIP peers refuse them."
    )


def _key_bits(certificate: x509.Certificate) -> int | None:
    """The RSA key size of a certificate (the device's keys are RSA); None for other key types."""
    key = certificate.public_key()
    return key.key_size if isinstance(key, rsa.RSAPublicKey) else None


def unsafe_findings(leaf: x509.Certificate, now: datetime) -> list[str]:
    """What makes `leaf` unsafe to install at `now`: validity, key size, SHA-1 signature."""
    findings: list[str] = []
    if now < leaf.not_valid_before_utc:
        findings.append(
            f"The certificate is not valid yet: it starts on {leaf.not_valid_before_utc:%Y-%m-%d %H:%M} UTC."
        )
    if now > leaf.not_valid_after_utc:
        findings.append(f"The certificate expired on {leaf.not_valid_after_utc:%Y-%m-%d %H:%M} UTC.")
    bits = _key_bits(leaf)
    if bits is not None and weak_key_refusal(bits):
        findings.append(weak_key_refusal(bits))
    if isinstance(leaf.signature_hash_algorithm, hashes.SHA1):
        findings.append("The certificate is signed with SHA-1, which clients no longer accept.")
    return findings


def public_key_der(item: x509.Certificate | x509.CertificateSigningRequest) -> bytes:
    """The SubjectPublicKeyInfo of a certificate or CSR, for exact key comparison."""
    return item.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """Every certificate in PEM text, leaf first; CertificateFileError when it is not PEM certificates."""
    blocks = [der for label, der in pem_blocks(data) if label in ("CERTIFICATE", "X509 CERTIFICATE")]
    if not blocks:
        raise CertificateFileError(
            "This file is not a PEM certificate (it must start with -----BEGIN CERTIFICATE-----). "
            "Ask the CA for the certificate in PEM (Base64) format."
        )
    try:
        return [x509.load_der_x509_certificate(der) for der in blocks]
    except ValueError as err:
        raise CertificateFileError(f"The certificate in this file is damaged: {err}") from err


def _issued_by(child: x509.Certificate, issuer: x509.Certificate) -> bool:
    if child.issuer != issuer.subject:
        return False
    try:
        child.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


@dataclass(frozen=True, slots=True)
class CertificateReview:
    """What the technician sees before installing: the certificate, what forbids it (`errors`), what
    stops it unless overridden with a reason (`unsafe`), what is worth a warning, and the chain to add."""

    details: CertificateDetails
    leaf_pem: bytes
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    anchored: bool
    addable_roots: tuple[bytes, ...]
    unsafe: tuple[str, ...] = ()
    intermediates: tuple[bytes, ...] = ()

    @property
    def installable(self) -> bool:
        """True when nothing forbids or stops sending it."""
        return not self.errors and not self.unsafe

    @property
    def overridable(self) -> bool:
        """True when only unsafe findings stop it: a technician's reasoned override may send it."""
        return not self.errors and bool(self.unsafe)


def review_certificate(
    data: bytes, *, expected_key: bytes | None, trusted_roots: list[x509.Certificate], now: datetime
) -> CertificateReview:
    """Review a signed certificate file against the device's key and trusted roots at time `now`."""
    certificates = load_certificates(data)
    leaf, extra = certificates[0], certificates[1:]
    errors: list[str] = []
    warnings: list[str] = []
    # A key mismatch is not overridable: the device refuses a certificate for another key (section 7).
    if expected_key is None:
        errors.append("The key generated on the device is not known, so the match cannot be checked.")
    elif public_key_der(leaf) != expected_key:
        errors.append(
            "This certificate was not issued for the key generated on the device (its public key differs). "
            "It may belong to another device or an older request."
        )
    anchored, chain_warnings, addable = _check_chain(leaf, extra, trusted_roots)
    warnings.extend(chain_warnings)
    leaf_pem = leaf.public_bytes(serialization.Encoding.PEM)
    details = CertificateDetails.from_der(leaf.public_bytes(serialization.Encoding.DER))
    return CertificateReview(
        details,
        leaf_pem,
        tuple(errors),
        tuple(warnings),
        anchored,
        addable,
        tuple(unsafe_findings(leaf, now)),
        _intermediates(extra, trusted_roots),
    )


def _intermediates(extra: list[x509.Certificate], roots: list[x509.Certificate]) -> tuple[bytes, ...]:
    """The file's intermediate CA certificates (not self-signed) the context's store does not hold yet."""
    return tuple(
        c.public_bytes(serialization.Encoding.PEM) for c in extra if c.issuer != c.subject and c not in roots
    )


def completes_chain(data: bytes, cas: list[x509.Certificate]) -> bool:
    """True when the certificate file's leaf chains (through the file's own CAs) to one of `cas`."""
    certificates = load_certificates(data)
    anchored, _, _ = _check_chain(certificates[0], certificates[1:], cas)
    return anchored


def _check_chain(
    leaf: x509.Certificate, extra: list[x509.Certificate], roots: list[x509.Certificate]
) -> tuple[bool, list[str], tuple[bytes, ...]]:
    """(anchored in the device's roots, warnings, CA certificates from the file that could be added)."""
    current, seen = leaf, 0
    while seen <= len(extra):
        if any(_issued_by(current, root) for root in roots):
            return True, [], ()
        parent = next((c for c in extra if c is not current and _issued_by(current, c)), None)
        if parent is None:
            break
        current, seen = parent, seen + 1
    if current.issuer == current.subject and current is leaf:
        return False, ["The certificate is self-signed; clients will have to trust it individually."], ()
    addable = tuple(
        c.public_bytes(serialization.Encoding.PEM) for c in extra if c.issuer == c.subject and c not in roots
    )
    issuer = current.issuer.rfc4514_string()
    return (
        False,
        [
            f"The issuing CA ({issuer}) is not among this TLS context's trusted roots. "
            + (
                "Add the CA certificate from this file to the trusted roots."
                if addable
                else "Add the CA's root certificate to the trusted roots so the chain is complete."
            )
        ],
        addable,
    )
