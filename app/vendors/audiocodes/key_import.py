"""A customer-supplied private key and certificate for a TLS context: a PKCS#12 bundle (.pfx/.p12 with its
password) or PEM (key and certificates in one file, or in two), the usual path for enterprise PKI."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from app.vendors.audiocodes.certificate_check import CertificateFileError, load_certificates
from app.vendors.audiocodes.pem import pem_blocks

_KEY_LABELS = ("PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY")


@dataclass(frozen=True, slots=True)
class KeyBundle:
    """An RSA key (PEM, encrypted with `transit_password` for the upload) and its certificates, leaf first."""

    key_pem: bytes
    transit_password: str
    certificates_pem: bytes
    public_key_der: bytes


def has_private_key(data: bytes) -> bool:
    """True when PEM text holds a private key block."""
    return any(label in _KEY_LABELS for label, _ in pem_blocks(data))


def load_pkcs12(data: bytes, password: str) -> KeyBundle:
    """The key and certificates of a PKCS#12 bundle; CertificateFileError on a wrong password or content."""
    try:
        key, leaf, extra = pkcs12.load_key_and_certificates(data, password.encode() or None)
    except ValueError as err:
        raise CertificateFileError(
            "This PKCS#12 file could not be opened: the password is wrong or the file is damaged."
        ) from err
    if leaf is None:
        raise CertificateFileError("This PKCS#12 file holds no certificate.")
    return _bundle(key, [leaf, *extra])


def load_pem_pair(key_data: bytes, certificate_data: bytes, password: str = "") -> KeyBundle:
    """A PEM private key (encrypted when `password` is given) and PEM certificates (may be one file)."""
    key_text = b"".join(
        b"-----BEGIN %s-----\n" % label.encode() + _wrapped(der) + b"-----END %s-----\n" % label.encode()
        for label, der in pem_blocks(key_data)
        if label in _KEY_LABELS
    )
    try:
        key = serialization.load_pem_private_key(key_text, password.encode() or None)
    except TypeError as err:
        raise CertificateFileError("The private key is encrypted: type its password.") from err
    except ValueError as err:
        raise CertificateFileError(
            "The private key could not be read: it is not PEM, or the password is wrong."
        ) from err
    return _bundle(key, load_certificates(certificate_data))


def _bundle(key: object, certificates: list[x509.Certificate]) -> KeyBundle:
    if not isinstance(key, rsa.RSAPrivateKey):
        raise CertificateFileError("The device takes RSA private keys only; this key is of another type.")
    transit = secrets.token_urlsafe(18)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(transit.encode()),
    )
    chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return KeyBundle(key_pem, transit, chain, public)


def _wrapped(der: bytes) -> bytes:
    text = base64.b64encode(der)
    return b"".join(text[i : i + 64] + b"\n" for i in range(0, len(text), 64))
