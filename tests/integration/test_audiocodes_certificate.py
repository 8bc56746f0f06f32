"""The certificate wizard end to end over real loopback TLS: the simulated Mediant serves TLS context 0."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from app.backend.session import pinned_client, probe_client
from app.backend.trust import TrustStore, fetch_certificate
from app.core.certificates import CertificateDetails
from app.core.clock import ManualClock
from app.core.models import Credentials
from app.core.progress import ProgressReporter
from app.sim.certs import DeviceCertificate
from app.sim.server import RunningDevice, serve_device
from app.vendors.audiocodes.certificate_wizard import INSTALL_STAGES, CertificateWizardController
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.models import SubjectFields
from app.vendors.audiocodes.plugin import PLUGIN
from app.vendors.audiocodes.simulator import AudioCodesSimulator, ServedCertificate
from tests.unit.audiocodes.pki_helpers import SiteCa


def as_device_certificate(pair: ServedCertificate) -> DeviceCertificate:
    return DeviceCertificate(pair.key_pem, pair.cert_pem, pair.cert_der)


@pytest.fixture
async def mediant() -> AsyncIterator[tuple[AudioCodesSimulator, RunningDevice]]:
    sim = AudioCodesSimulator(serial_index=7, seed=3, clock=ManualClock())
    served = as_device_certificate(sim.served_certificate())
    async with serve_device(sim, certificate=served) as running:
        sim.on_certificate_changed = lambda pair: running.reload_certificate(as_device_certificate(pair))
        yield sim, running


async def test_identify_recognises_a_mediant_from_one_unauthenticated_probe(mediant) -> None:
    sim, running = mediant
    async with probe_client() as http:
        identity = await PLUGIN.identify(http, running.endpoint)
    assert identity is not None
    assert identity.vendor == "audiocodes"
    assert identity.serial == sim.state.serial
    assert identity.key == f"audiocodes:{sim.state.serial}"


async def test_wizard_replaces_the_served_certificate_and_repins(mediant, tmp_path: Path) -> None:
    sim, running = mediant
    key = f"audiocodes:{sim.state.serial}"
    trust = TrustStore(tmp_path / "trust.json")
    old = await fetch_certificate(running.endpoint)
    trust.trust(key, old)
    http = pinned_client(old.der)
    client = AudioCodesClient(http, running.endpoint, Credentials("Admin", "Admin"), clock=sim.clock)
    controller = CertificateWizardController(
        client,
        device_key=key,
        endpoint=running.endpoint,
        fetch_certificate=fetch_certificate,
        pins=trust,
    )
    try:
        await controller.load()
        await controller.validate_context("0")
        await controller.validate_key(2048)
        csr = await controller.validate_request(SubjectFields(common_name="127.0.0.1", country="IT"))
        ca = SiteCa.create()
        signed = ca.sign(csr, not_before=sim.clock.now() - timedelta(hours=1))
        review = await controller.validate_import(signed)
        assert review.installable

        result = await controller.install(ProgressReporter(INSTALL_STAGES))

        served_now = await fetch_certificate(running.endpoint)
        assert result.confirmed
        assert served_now.fingerprint == review.details.fingerprint != old.fingerprint
        assert running.fingerprint == served_now.fingerprint
        assert trust.pinned(key) == served_now.fingerprint
        assert (await client.status()).serial_number == sim.state.serial  # reconnected under the new pin
        async with probe_client() as probe:
            identity = await PLUGIN.identify(probe, running.endpoint)
        assert identity is not None
        assert identity.key == key  # still recognised under its new, app-installed certificate
    finally:
        await client.aclose()
        await http.aclose()


async def test_certificate_for_another_key_never_reaches_the_device(mediant, tmp_path: Path) -> None:
    sim, running = mediant
    old = CertificateDetails.from_der(running.certificate.cert_der if running.certificate else b"")
    http = pinned_client(old.der)
    client = AudioCodesClient(http, running.endpoint, Credentials("Admin", "Admin"), clock=sim.clock)
    controller = CertificateWizardController(
        client,
        device_key="k",
        endpoint=running.endpoint,
        fetch_certificate=fetch_certificate,
    )
    try:
        await controller.load()
        await controller.validate_context("0")
        await controller.validate_key(2048)
        await controller.validate_request(SubjectFields(common_name="sbc"))
        other_csr = await client.certificate_request("2", SubjectFields(common_name="other"))
        foreign = SiteCa.create().sign(other_csr, not_before=sim.clock.now())
        review = await controller.validate_import(foreign)
        assert not review.installable
        assert running.fingerprint == old.fingerprint
    finally:
        await client.aclose()
        await http.aclose()


async def test_software_update_over_tls_waits_reconnects_and_confirms(mediant) -> None:
    from app.vendors.audiocodes.maintenance import SOFTWARE_STAGES, update_software
    from tests.unit.audiocodes.conftest import drive

    sim, running = mediant
    http = pinned_client(running.certificate.cert_der if running.certificate else b"")
    client = AudioCodesClient(http, running.endpoint, Credentials("Admin", "Admin"), clock=sim.clock)
    try:
        status = await drive(
            sim.clock,
            update_software(
                client, "M800_7.40A.600.002.cmp", b"\x01" * 2048, ProgressReporter(SOFTWARE_STAGES)
            ),
            step=0.5,
            limit=20000,
        )
        assert status.version == "7.40A.600.002"
        assert (await client.status()).version == "7.40A.600.002"
    finally:
        await client.aclose()
        await http.aclose()
