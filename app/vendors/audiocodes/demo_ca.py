"""The demo's certificate authority: signs a Mediant's request so the certificate wizard can be finished
inside the demo. Its name says DEMO everywhere; it exists only in memory for this run and is offered only
when the app runs its simulated site (`--demo`)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

DEMO_CA_NAME = "Commissioner DEMO CA - not for real devices"
DEMO_VALIDITY = timedelta(days=90)
#: The password of the demo's customer PKCS#12 bundle (shown beside the file; it protects nothing real).
DEMO_BUNDLE_PASSWORD = "demo-pfx"  # noqa: S105 - a demo file's password, shown to the technician


def _new_ca(now: datetime) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, DEMO_CA_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Commissioner demo"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


@dataclass
class DemoCa:
    """A throw-away CA made on first use; `sign` returns the signed certificate followed by the CA's."""

    now: datetime
    _made: tuple[ec.EllipticCurvePrivateKey, x509.Certificate] | None = field(default=None, repr=False)

    @property
    def certificate(self) -> x509.Certificate:
        """The demo CA's own certificate."""
        return self._ca()[1]

    def _ca(self) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        if self._made is None:
            self._made = _new_ca(self.now)
        return self._made

    def sign(self, csr_pem: bytes) -> bytes:
        """PEM: a 90-day SHA-256 server certificate for the CSR's key and subject, then the demo CA."""
        key, ca = self._ca()
        csr = x509.load_pem_x509_csr(csr_pem)
        common = [str(v.value) for v in csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
        leaf = (
            x509.CertificateBuilder()
            .subject_name(csr.subject)
            .issuer_name(ca.subject)
            .public_key(csr.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(self.now - timedelta(minutes=5))
            .not_valid_after(self.now + DEMO_VALIDITY)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName([_alt_name(n) for n in common]), critical=False)
            .sign(key, hashes.SHA256())
        )
        return leaf.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM)

    def customer_bundle(self, common_name: str) -> bytes:
        """A PKCS#12 file as a customer's PKI hands it over: a new 2048-bit RSA key, its certificate for
        `common_name` from the demo CA, and the CA; encrypted with DEMO_BUNDLE_PASSWORD."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        request = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
        leaf = x509.load_pem_x509_certificate(self.sign(request.public_bytes(serialization.Encoding.PEM)))
        return pkcs12.serialize_key_and_certificates(
            b"commissioner-demo",
            key,
            leaf,
            [self.certificate],
            serialization.BestAvailableEncryption(DEMO_BUNDLE_PASSWORD.encode()),
        )


def _alt_name(common_name: str) -> x509.GeneralName:
    """The subject alternative name for a CN: an IP address entry for an address, else a DNS name."""
    try:
        return x509.IPAddress(ipaddress.ip_address(common_name))
    except ValueError:
        return x509.DNSName(common_name)
