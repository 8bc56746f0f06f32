"""Small ASGI devices and certificates for backend tests over in-process and real loopback transports."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from app.core.clock import SystemClock
from app.sim.certs import DeviceCertificate
from app.vendors.base import SimulatedDeviceInfo
from app.vendors.simulation import RequestLog, Scenarios


@dataclass
class TinyDevice:
    """A SimulatedDevice wrapping any ASGI app and recording every HTTP request that reaches it."""

    app: Any
    scheme: str = "https"
    requests: RequestLog = field(default_factory=lambda: RequestLog(SystemClock()))
    scenarios: Scenarios = field(default_factory=lambda: Scenarios(()))

    def __post_init__(self) -> None:
        self.info = SimulatedDeviceInfo(
            vendor="axis", model="Backend test", serial="TEST0001", mac="00:40:8C:00:00:01",
            firmware="1.0", username="", password="", scheme=self.scheme,  # type: ignore[arg-type]
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            receive, send = await self.requests.record(scope, receive, send)
        await self.app(scope, receive, send)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


def hello_app() -> Starlette:
    """GET /hello -> "hello"; POST /echo -> the body back."""

    async def hello(_: Request) -> Response:
        return PlainTextResponse("hello")

    async def echo(request: Request) -> Response:
        return JSONResponse({"received": (await request.body()).decode()})

    return Starlette(routes=[Route("/hello", hello), Route("/echo", echo, methods=["POST"])])


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@dataclass(frozen=True)
class TestCA:
    """A certificate authority that can sign device certificates."""

    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def issue(self, common_name: str, host: str = "127.0.0.1") -> DeviceCertificate:
        """A leaf certificate for `host`, signed by this CA."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), critical=False
            )
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False
            )
            .sign(self.key, hashes.SHA256())
        )
        return DeviceCertificate(
            key_pem=key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
            cert_pem=cert.public_bytes(serialization.Encoding.PEM),
            cert_der=cert.public_bytes(serialization.Encoding.DER),
        )


def make_ca(common_name: str = "Vendor Test Root CA") -> TestCA:
    """A fresh self-signed CA certificate with key usage for signing certificates."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                key_encipherment=False, data_encipherment=False, key_agreement=False,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return TestCA(key, cert)
