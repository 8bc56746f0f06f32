"""SSL contexts: pinned to one trusted device certificate, or CA-verified; never silently unverified."""

from __future__ import annotations

import ssl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

# OpenSSL's X509_V_FLAG_NO_CHECK_TIME: the technician pinned this exact certificate after seeing its
# validity dates, so an expired device certificate (common on installed devices) must not lock them out.
_NO_CHECK_TIME = 0x200000


def der_to_pem(der: bytes) -> str:
    """A DER certificate as PEM text."""
    cert = x509.load_der_x509_certificate(der)
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def pinned_ssl_context(pinned_der: bytes) -> ssl.SSLContext:
    """A context that accepts exactly the pinned certificate: no system roots, no CA bundle.

    Host names are not checked: devices are addressed by IP and move; the pin is the identity. A CA
    bundle is never added: any certificate a CA signed would otherwise pass for the pinned device.
    """
    context = ssl.create_default_context(cadata=der_to_pem(pinned_der))
    context.check_hostname = False
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN | _NO_CHECK_TIME
    return context


def ca_ssl_context(ca_bundle: Path | None = None) -> ssl.SSLContext:
    """A normally verifying context: the system's roots plus the user's CA bundle, host names checked."""
    context = ssl.create_default_context()
    if ca_bundle is not None:
        context.load_verify_locations(cafile=str(ca_bundle))
    return context


def observing_ssl_context() -> ssl.SSLContext:
    """A context for reading a peer certificate before any trust decision.

    Used only to fetch a certificate for the trust prompt and for unauthenticated identification
    probes, which never carry credentials; every authenticated client uses a pinned or CA context.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
