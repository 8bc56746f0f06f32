"""Real key, CSR and certificate work for the simulated device, with `cryptography`."""

from __future__ import annotations

import ipaddress
import math
import secrets
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

SIGNATURE_ALGORITHMS = ("sha1", "sha256", "sha512")
_SUBJECT_OIDS = (
    ("subjectName", NameOID.COMMON_NAME),
    ("organizationalUnit", NameOID.ORGANIZATIONAL_UNIT_NAME),
    ("companyName", NameOID.ORGANIZATION_NAME),
    ("localityName", NameOID.LOCALITY_NAME),
    ("state", NameOID.STATE_OR_PROVINCE_NAME),
    ("countryCode", NameOID.COUNTRY_NAME),
)


def generate_rsa_key(size: int) -> rsa.RSAPrivateKey:
    """A fresh RSA key of `size` bits (512 too: the device offers it, OpenSSL's generator no longer does)."""
    if size >= 1024:
        return rsa.generate_private_key(public_exponent=65537, key_size=size)
    return _small_rsa_key(size)


def _small_rsa_key(size: int) -> rsa.RSAPrivateKey:
    exponent = 65537
    while True:
        p, q = _prime(size // 2), _prime(size // 2)
        phi = (p - 1) * (q - 1)
        if p != q and math.gcd(exponent, phi) == 1 and (p * q).bit_length() == size:
            break
    d = pow(exponent, -1, phi)
    numbers = rsa.RSAPrivateNumbers(
        p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(exponent, p * q)
    )
    return numbers.private_key()


def _prime(bits: int) -> int:
    while True:
        candidate = secrets.randbits(bits) | (1 << (bits - 1)) | (1 << (bits - 2)) | 1
        if _probably_prime(candidate):
            return candidate


def _probably_prime(n: int, rounds: int = 32) -> bool:
    if n < 4:
        return n in (2, 3)
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for _ in range(rounds):
        x = pow(secrets.randbelow(n - 3) + 2, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def subject_name(fields: dict[str, str]) -> x509.Name:
    """An X.509 name from the document's subject attributes (empty ones left out)."""
    return x509.Name(
        [x509.NameAttribute(oid, fields[name]) for name, oid in _SUBJECT_OIDS if fields.get(name)]
    )


def build_csr(key: rsa.RSAPrivateKey, fields: dict[str, str], algorithm: str) -> bytes:
    """A PEM CSR for `key` with the given subject, signed with sha1, sha256 or sha512."""
    builder = x509.CertificateSigningRequestBuilder().subject_name(subject_name(fields))
    if algorithm == "sha256":
        return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)
    if algorithm == "sha512":
        return builder.sign(key, hashes.SHA512()).public_bytes(serialization.Encoding.PEM)
    # `cryptography` no longer signs with SHA-1, the device's default: re-sign the request info by hand.
    info = builder.sign(key, hashes.SHA256()).tbs_certrequest_bytes
    signature = key.sign(info, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303
    der = _der(0x30, info + _SHA1_WITH_RSA + _der(0x03, b"\x00" + signature))
    return x509.load_der_x509_csr(der).public_bytes(serialization.Encoding.PEM)


#: AlgorithmIdentifier { sha1WithRSAEncryption (1.2.840.113549.1.1.5), NULL }.
_SHA1_WITH_RSA = bytes.fromhex("300d06092a864886f70d0101050500")


def _der(tag: int, body: bytes) -> bytes:
    length = len(body)
    if length < 0x80:
        return bytes([tag, length]) + body
    size = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + body


def self_signed(
    key: rsa.RSAPrivateKey, fields: dict[str, str], now: datetime, host: str = ""
) -> x509.Certificate:
    """A self-signed SHA-256 certificate for `key`, valid from yesterday for ten years."""
    name = subject_name(fields) if fields.get("subjectName") else subject_name({"subjectName": "Mediant"})
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    if host:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), critical=False
        )
    return builder.sign(key, hashes.SHA256())


def load_pem_certificates(data: bytes) -> list[x509.Certificate]:
    """Every certificate in PEM text; ValueError when there is none or one is malformed."""
    if b"-----BEGIN CERTIFICATE-----" not in data:
        raise ValueError("not in PEM format")
    return x509.load_pem_x509_certificates(data)


def load_pem_key(data: bytes, password: str) -> rsa.RSAPrivateKey:
    """An RSA private key from PEM (encrypted when `password` is given); ValueError when unusable."""
    try:
        key = serialization.load_pem_private_key(data, password.encode() if password else None)
    except (TypeError, ValueError) as err:
        raise ValueError(f"private key is not a usable PEM key: {err}") from err
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("only RSA private keys are supported")
    return key


def same_public_key(certificate: x509.Certificate, key: rsa.RSAPrivateKey) -> bool:
    """True when the certificate certifies exactly this key."""
    der = serialization.Encoding.DER
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    return certificate.public_key().public_bytes(der, spki) == key.public_key().public_bytes(der, spki)


def signed_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """True when `issuer` names and signed `certificate` (RSA PKCS#1 v1.5 or EC)."""
    if certificate.issuer != issuer.subject:
        return False
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def key_pem(key: rsa.RSAPrivateKey) -> bytes:
    """The key as unencrypted PKCS#8 PEM (only ever handed to the loopback HTTPS server)."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
