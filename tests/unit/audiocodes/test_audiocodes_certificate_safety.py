"""Unsafe keys and certificates stop the wizard unless overridden with a reason kept in the history; the
chain in the chosen file is installed; the install says what it installed and how it was verified."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes

from app.core.progress import ProgressReporter
from app.vendors.audiocodes.certificate_check import UnsafeCertificateError
from app.vendors.audiocodes.certificate_wizard import (
    INSTALL_STAGES,
    OVERRIDE_ACTION,
    CertificateWizardController,
)
from app.vendors.audiocodes.models import SubjectFields
from app.vendors.audiocodes.panel_reads import read_tls_contexts

from .conftest import Rig, calls
from .pki_helpers import SiteCa
from .test_audiocodes_wizard import SUBJECT, Pins, make_controller

REASON = "customer's legacy phones only accept this; replaced next visit"


class History:
    """Records what the wizard writes to the device history."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str, str, dict[str, Any]]] = []

    def record(
        self, device_key: str, action: str, result: str, detail: Mapping[str, Any] | None = None
    ) -> None:
        self.entries.append((device_key, action, result, dict(detail or {})))


def _controller(rig: Rig, history: History) -> CertificateWizardController:
    controller = make_controller(rig, Pins())
    controller._history = history  # the panel passes its DeviceHistory the same way
    return controller


async def _ready(
    rig: Rig, history: History, size: int = 2048, reason: str = ""
) -> CertificateWizardController:
    controller = _controller(rig, history)
    await controller.load()
    await controller.validate_context("0")
    await controller.validate_key(size, reason)
    await controller.validate_request(SUBJECT)
    return controller


async def test_a_weak_key_is_not_generated_without_a_reason(rig: Rig) -> None:
    history = History()
    controller = _controller(rig, history)
    await controller.load()
    await controller.validate_context("0")

    with pytest.raises(UnsafeCertificateError, match="1024 bits"):
        await controller.validate_key(1024)
    assert "POST /api/v1/files/tls/0/privateKey/generate" not in calls(rig.sent)
    assert history.entries == []

    info = await controller.validate_key(1024, REASON)

    assert info.size == 1024
    assert history.entries[-1][1] == OVERRIDE_ACTION
    assert history.entries[-1][3]["reason"] == REASON
    assert "1024 bits" in history.entries[-1][3]["findings"][0]


async def test_keeping_a_weak_current_key_needs_a_reason(rig: Rig) -> None:
    history = History()
    await rig.client.generate_private_key("1", 1024)
    controller = _controller(rig, history)
    await controller.load()
    await controller.validate_context("1")

    with pytest.raises(UnsafeCertificateError, match="1024 bits"):
        controller.keep_current_key()
    controller.keep_current_key(REASON)

    assert [e[2] for e in history.entries] == ["Keep the current 1024-bit key"]


async def test_expired_sha1_weak_certificate_is_refused_then_installed_only_with_a_reason(rig: Rig) -> None:
    history = History()
    controller = await _ready(rig, history, size=1024, reason=REASON)
    ca = SiteCa.create(now=rig.clock.now() - timedelta(days=800), rsa_key=True)
    signed = ca.sign(
        controller.csr_pem,
        not_before=rig.clock.now() - timedelta(days=400),
        days=30,
        algorithm=hashes.SHA1(),
    )

    review = await controller.validate_import(signed)

    assert not review.installable
    assert review.overridable
    assert any("expired" in u for u in review.unsafe)
    assert any("1024 bits" in u for u in review.unsafe)
    assert any("SHA-1" in u for u in review.unsafe)
    with pytest.raises(UnsafeCertificateError, match="give a reason"):
        await controller.install(ProgressReporter(INSTALL_STAGES))
    assert "PUT /api/v1/files/tls/0/certificate" not in calls(rig.sent)

    result = await controller.install(ProgressReporter(INSTALL_STAGES), REASON)

    assert result.confirmed
    override = history.entries[-1]
    assert override[1] == OVERRIDE_ACTION
    assert override[3]["reason"] == REASON
    assert any("SHA-1" in f for f in override[3]["findings"])


async def test_the_files_intermediates_go_to_the_trusted_roots_and_the_outcome_says_so(rig: Rig) -> None:
    controller = await _ready(rig, History())
    root = SiteCa.create(now=rig.clock.now())
    issuing = root.intermediate()
    signed = issuing.sign(controller.csr_pem, not_before=rig.clock.now() - timedelta(hours=1))
    await rig.client.add_trusted_root("0", root.pem)

    review = await controller.validate_import(signed + issuing.pem)
    result = await controller.install(ProgressReporter(INSTALL_STAGES))

    assert calls(rig.sent)[-3:] == [
        "PUT /api/v1/files/tls/0/certificate",
        "PUT /api/v1/files/tls/0/trustedRoot/incremental",
        "POST /api/v1/actions/saveConfiguration",
    ]
    context = rig.sim.state.context("0")
    assert context is not None
    assert issuing.certificate in context.roots
    assert result.installed_chain == ("CN=Site Issuing CA",)
    assert "1 intermediate CA certificate(s)" in result.message
    assert "CN=Site Issuing CA" in result.message
    assert result.verified_by == "TLS handshake"
    assert "Checked by a TLS handshake" in result.message
    assert review.installable


async def test_a_context_the_app_cannot_reach_is_verified_by_reading_back(rig: Rig) -> None:
    controller = _controller(rig, History())
    await controller.load()
    await controller.validate_context("1")
    await controller.validate_key(2048)
    await controller.validate_request(SubjectFields(common_name="sip.site.example"))
    ca = SiteCa.create(now=rig.clock.now())
    await rig.client.add_trusted_root("1", ca.pem)
    await controller.validate_import(ca.sign(controller.csr_pem, not_before=rig.clock.now()))

    result = await controller.install(ProgressReporter(INSTALL_STAGES))

    assert result.confirmed
    assert result.verified_by == "read back"
    assert "reading the context's certificate back" in result.message
    assert calls(rig.sent)[-1] == "GET /api/v1/files/tls/1/certificate"


async def test_a_context_without_a_certificate_is_listed_with_the_others(rig: Rig) -> None:
    await rig.client.generate_private_key("2", 2048)
    context = rig.sim.state.context("2")
    assert context is not None
    context.certificate = None

    rows = await read_tls_contexts(rig.client)

    assert [r.context.id for r in rows] == ["0", "1", "2"]
    assert rows[2].certificate is None
    assert rows[0].certificate is not None


async def test_the_demo_ca_signs_the_request_with_a_marked_certificate(rig: Rig) -> None:
    controller = await _ready(rig, History())

    signed = controller.demo_signed()

    review = await controller.validate_import(signed)
    assert "DEMO CA" in review.details.issuer
    assert review.installable
    assert len(review.addable_roots) == 1  # the demo CA travels in the file, to be added as a root
    assert await controller.add_roots_from_file() == 1
    result = await controller.install(ProgressReporter(INSTALL_STAGES))
    assert result.confirmed
