"""A test certificate authority made with cryptography, to sign the device's CSRs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from app.vendors.audiocodes.simulator.pki import _SHA1_WITH_RSA, _der


@dataclass
class SiteCa:
    """A self-signed CA that signs CSRs."""

    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    certificate: x509.Certificate

    @classmethod
    def create(
        cls, name: str = "Site Test CA", now: datetime | None = None, *, rsa_key: bool = False
    ) -> SiteCa:
        now = now or datetime.now().astimezone()
        key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = (
            rsa.generate_private_key(65537, 2048) if rsa_key else ec.generate_private_key(ec.SECP256R1())
        )
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        return cls(key, cert)

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def intermediate(self, name: str = "Site Issuing CA") -> SiteCa:
        """A CA certificated by this one (an intermediate), valid for the next ten years."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = self.certificate.not_valid_before_utc
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        return SiteCa(key, cert)

    def sign(
        self,
        csr_pem: bytes,
        *,
        not_before: datetime,
        days: int = 365,
        algorithm: hashes.HashAlgorithm | None = None,
    ) -> bytes:
        """A certificate for the CSR's key and subject, signed by this CA (PEM; SHA-256 unless asked)."""
        csr = x509.load_pem_x509_csr(csr_pem)
        cert = (
            x509.CertificateBuilder()
            .subject_name(csr.subject)
            .issuer_name(self.certificate.subject)
            .public_key(csr.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_before + timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        if isinstance(algorithm, hashes.SHA1):
            return self._resigned_with_sha1(cert)
        return cert.public_bytes(serialization.Encoding.PEM)

    def _resigned_with_sha1(self, cert: x509.Certificate) -> bytes:
        """`cert` signed again with SHA-1 by this (RSA) CA: `cryptography` no longer signs with SHA-1."""
        assert isinstance(self.key, rsa.RSAPrivateKey), "a SHA-1 certificate needs an RSA CA"
        tbs = cert.tbs_certificate_bytes.replace(_SHA256_WITH_RSA, _SHA1_WITH_RSA, 1)
        signature = self.key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
        der = _der(0x30, tbs + _SHA1_WITH_RSA + _der(0x03, b"\x00" + signature))
        return x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)


_SHA256_WITH_RSA = bytes.fromhex("300d06092a864886f70d01010b0500")
