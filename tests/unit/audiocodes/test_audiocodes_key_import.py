"""A customer-supplied key and certificate: PKCS#12 with its password, or PEM; installed key first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app.core.progress import ProgressReporter
from app.vendors.audiocodes.certificate_check import CertificateFileError
from app.vendors.audiocodes.certificate_wizard import INSTALL_STAGES
from app.vendors.audiocodes.key_import import has_private_key, load_pem_pair, load_pkcs12

from .conftest import Rig, calls
from .pki_helpers import SiteCa
from .test_audiocodes_wizard import make_controller


def _customer_pki(rig: Rig) -> tuple[rsa.RSAPrivateKey, x509.Certificate, SiteCa]:
    """A key made by the customer's PKI and its certificate from the customer's CA."""
    key = rsa.generate_private_key(65537, 2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sbc.customer.example")])
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    ca = SiteCa.create("Customer Issuing CA", now=rig.clock.now())
    signed = ca.sign(
        csr.public_bytes(serialization.Encoding.PEM), not_before=rig.clock.now() - timedelta(hours=1)
    )
    return key, x509.load_pem_x509_certificate(signed), ca


async def test_a_pkcs12_bundle_is_reviewed_then_installed_key_first(rig: Rig) -> None:
    key, leaf, ca = _customer_pki(rig)
    bundle_file = pkcs12.serialize_key_and_certificates(
        b"sbc", key, leaf, [ca.certificate], serialization.BestAvailableEncryption(b"s3cret")
    )
    with pytest.raises(CertificateFileError, match="password is wrong"):
        load_pkcs12(bundle_file, "wrong")
    controller = make_controller(rig)
    await controller.load()
    await controller.validate_context("0")

    review = await controller.validate_bundle(load_pkcs12(bundle_file, "s3cret"))
    assert review.errors == ()
    assert review.details.subject == "CN=sbc.customer.example"
    assert await controller.add_roots_from_file() == 1
    result = await controller.install(ProgressReporter(INSTALL_STAGES))

    sent = calls(rig.sent)
    assert sent.index("PUT /api/v1/files/tls/0/privateKey") < sent.index(
        "PUT /api/v1/files/tls/0/certificate"
    )
    upload = next(r for r in rig.sent if r.method == "PUT" and r.path == "/api/v1/files/tls/0/privateKey")
    assert b"ENCRYPTED PRIVATE KEY" in upload.body  # never in clear, even inside TLS
    context = rig.sim.state.context("0")
    assert context is not None
    assert context.key is not None
    assert context.key.public_key().public_numbers() == key.public_key().public_numbers()
    assert result.confirmed


async def test_a_pem_key_and_a_certificate_for_another_key_are_refused(rig: Rig) -> None:
    _, leaf, _ = _customer_pki(rig)
    other = rsa.generate_private_key(65537, 2048)
    key_pem = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert has_private_key(key_pem)
    controller = make_controller(rig)
    await controller.load()
    await controller.validate_context("0")

    review = await controller.validate_bundle(
        load_pem_pair(key_pem, leaf.public_bytes(serialization.Encoding.PEM))
    )

    assert review.errors
    with pytest.raises(ValueError):
        await controller.install(ProgressReporter(INSTALL_STAGES))
    assert "PUT /api/v1/files/tls/0/privateKey" not in calls(rig.sent)


def test_an_encrypted_pem_key_needs_its_password() -> None:
    key = rsa.generate_private_key(65537, 2048)
    locked = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"pw"),
    )
    with pytest.raises(CertificateFileError, match="type its password"):
        load_pem_pair(locked, b"")
