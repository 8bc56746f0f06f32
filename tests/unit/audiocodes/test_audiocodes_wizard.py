"""The certificate wizard controller driven step by step against the simulated Mediant."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from app.core.certificates import CertificateDetails
from app.core.models import Endpoint
from app.core.progress import ProgressReporter
from app.vendors.audiocodes.certificate_check import CertificateFileError
from app.vendors.audiocodes.certificate_wizard import (
    INSTALL_STAGES,
    CertificateWizardController,
    Step,
    key_size_warning,
    request_path,
    validate_subject,
)
from app.vendors.audiocodes.models import SubjectFields

from .conftest import ENDPOINT, Rig, calls
from .pki_helpers import SiteCa

SUBJECT = SubjectFields(common_name="sbc.site.example", organization="Example", country="IT")


class Pins:
    def __init__(self) -> None:
        self.replaced: list[tuple[str, str]] = []

    def replace_expected(self, key: str, new_details: CertificateDetails) -> None:
        self.replaced.append((key, new_details.fingerprint))


def make_controller(rig: Rig, pins: Pins | None = None) -> CertificateWizardController:
    async def fetch(endpoint: Endpoint) -> CertificateDetails:
        assert endpoint == ENDPOINT
        return CertificateDetails.from_der(rig.sim.served_certificate().cert_der)

    return CertificateWizardController(
        rig.client,
        device_key=f"audiocodes:{rig.sim.state.serial}",
        endpoint=ENDPOINT,
        fetch_certificate=fetch,
        pins=pins,
        clock=rig.clock,
    )


async def prepared(rig: Rig, size: int = 2048, pins: Pins | None = None) -> CertificateWizardController:
    controller = make_controller(rig, pins or Pins())
    await controller.load()
    await controller.validate_context("0")
    await controller.validate_key(size)
    await controller.validate_request(SUBJECT)
    return controller


def test_key_size_advice() -> None:
    assert key_size_warning(2048) == ""
    assert "breakable" in key_size_warning(1024)
    assert "breakable" in key_size_warning(512)
    assert "longer" in key_size_warning(4096)


def test_subject_validation() -> None:
    assert validate_subject(SUBJECT, "sha256") == []
    problems = validate_subject(SubjectFields(common_name=" ", country="Italy"), "sha1")
    assert any("common name" in p for p in problems)
    assert any("two capital letters" in p for p in problems)
    assert any("SHA-1" in p for p in problems)


async def test_clock_skew_is_warned(rig: Rig) -> None:
    controller = make_controller(rig)
    contexts = await controller.load()
    assert [c.id for c in contexts] == ["0", "1", "2"]
    assert controller.clock_check is not None
    assert controller.clock_check.warning == ""

    rig.sim.scenarios.enable("clock_skew")
    await controller.load()
    assert controller.clock_check.skew == timedelta(days=3, hours=4)
    assert "3 days ahead of this laptop's" in controller.clock_check.warning


async def test_key_generation_and_csr_with_sha256(rig: Rig) -> None:
    controller = await prepared(rig)

    assert "POST /api/v1/files/tls/0/privateKey/generate" in calls(rig.sent)
    assert controller.key_info is not None
    assert controller.key_info.size == 2048
    assert controller.key_info.valid is False  # the old certificate no longer matches the new key
    csr = x509.load_pem_x509_csr(controller.csr_pem)
    assert csr.signature_hash_algorithm is not None
    assert csr.signature_hash_algorithm.name == "sha256"
    assert csr.subject.rfc4514_string() == "C=IT,O=Example,CN=sbc.site.example"
    assert request_path(controller.device_key, "0").read_bytes() == controller.csr_pem
    assert controller.step is Step.IMPORT


async def test_csr_saved_to_file(rig: Rig, tmp_path: Path) -> None:
    controller = await prepared(rig)
    target = controller.save_request(tmp_path / "sbc.csr")
    assert target.read_bytes().startswith(b"-----BEGIN CERTIFICATE REQUEST-----")


async def test_signed_certificate_is_reviewed_installed_and_pinned(rig: Rig) -> None:
    pins = Pins()
    controller = await prepared(rig, pins=pins)
    ca = SiteCa.create(now=rig.clock.now())
    signed = ca.sign(controller.csr_pem, not_before=rig.clock.now() - timedelta(hours=1))

    review = await controller.validate_import(signed + ca.pem)

    assert review.installable
    assert review.details.subject == "C=IT,O=Example,CN=sbc.site.example"
    assert review.details.issuer == "CN=Site Test CA"
    assert any("not among this TLS context's trusted roots" in w for w in review.warnings)
    assert await controller.add_roots_from_file() == 1
    assert calls(rig.sent)[-1] == "PUT /api/v1/files/tls/0/trustedRoot/incremental"
    review = await controller.validate_import(signed)
    assert review.anchored
    assert review.warnings == ()

    result = await controller.install(ProgressReporter(INSTALL_STAGES))

    assert calls(rig.sent)[-2:] == [
        "PUT /api/v1/files/tls/0/certificate",
        "POST /api/v1/actions/saveConfiguration",
    ]
    assert result.confirmed
    assert result.served_fingerprint == review.details.fingerprint
    assert pins.replaced == [(controller.device_key, review.details.fingerprint)]
    assert not request_path(controller.device_key, "0").exists()
    assert controller.step is Step.DONE


async def test_certificate_for_another_key_is_refused_before_upload(rig: Rig) -> None:
    controller = await prepared(rig)
    other = await prepared_other_csr(rig)
    ca = SiteCa.create(now=rig.clock.now())
    foreign = ca.sign(other, not_before=rig.clock.now() - timedelta(hours=1))

    review = await controller.validate_import(foreign)

    assert not review.installable
    assert "not issued for the key generated on the device" in review.errors[0]
    with pytest.raises(ValueError):
        await controller.install(ProgressReporter(INSTALL_STAGES))
    assert "PUT /api/v1/files/tls/0/certificate" not in calls(rig.sent)


async def prepared_other_csr(rig: Rig) -> bytes:
    """A CSR from TLS context 1's (different) key."""
    return await rig.client.certificate_request("1", SubjectFields(common_name="other"), "sha256")


async def test_expired_and_future_certificates_are_refused(rig: Rig) -> None:
    controller = await prepared(rig)
    ca = SiteCa.create(now=rig.clock.now())
    expired = ca.sign(controller.csr_pem, not_before=rig.clock.now() - timedelta(days=400), days=30)
    future = ca.sign(controller.csr_pem, not_before=rig.clock.now() + timedelta(days=2))

    expired_review = await controller.validate_import(expired)
    assert any("expired" in u for u in expired_review.unsafe)
    assert not expired_review.installable
    assert expired_review.overridable
    future_review = await controller.validate_import(future)
    assert any("not valid yet" in u for u in future_review.unsafe)
    assert not future_review.installable


async def test_non_pem_is_refused(rig: Rig) -> None:
    controller = await prepared(rig)
    ca = SiteCa.create(now=rig.clock.now())
    signed = x509.load_pem_x509_certificate(ca.sign(controller.csr_pem, not_before=rig.clock.now()))
    der = signed.public_bytes(serialization.Encoding.DER)
    with pytest.raises(CertificateFileError):
        await controller.validate_import(der)


async def test_key_known_from_the_device_when_the_csr_was_lost(rig: Rig) -> None:
    controller = await prepared(rig)
    csr = controller.csr_pem
    request_path(controller.device_key, "0").unlink()
    fresh = make_controller(rig)
    await fresh.load()
    await fresh.validate_context("0")
    assert fresh.csr_pem == b""
    ca = SiteCa.create(now=rig.clock.now())

    review = await fresh.validate_import(ca.sign(csr, not_before=rig.clock.now()))

    assert review.installable
    assert calls(rig.sent)[-1] == "POST /api/v1/files/tls/0/certificate/request"


async def test_ca_root_from_a_separate_file_completes_the_chain(rig: Rig) -> None:
    controller = await prepared(rig)
    ca = SiteCa.create(now=rig.clock.now())
    signed = ca.sign(controller.csr_pem, not_before=rig.clock.now() - timedelta(hours=1))
    review = await controller.validate_import(signed)
    assert not review.anchored
    assert review.addable_roots == ()

    with pytest.raises(CertificateFileError, match="did not issue"):
        await controller.add_root_certificate(SiteCa.create("Other CA", now=rig.clock.now()).pem)
    assert "PUT /api/v1/files/tls/0/trustedRoot/incremental" not in calls(rig.sent)

    review = await controller.add_root_certificate(ca.pem)

    upload = next(r for r in rig.sent if r.path.endswith("/trustedRoot/incremental"))
    assert upload.method == "PUT"
    assert ca.pem in upload.body
    assert review.anchored
    assert review.warnings == ()
    roots = await rig.client.trusted_roots("0")
    assert ca.certificate in x509.load_pem_x509_certificates(roots)
