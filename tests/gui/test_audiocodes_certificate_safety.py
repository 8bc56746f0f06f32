"""The Mediant panel stops an expired certificate until a reason is given (kept in the history), lists
a context that has no certificate, and after a failed install says why and offers the button again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import qasync
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.backend.trust import fetch_certificate
from app.core.clock import ManualClock
from app.ui.panels.audiocodes.certificate_pages import PAGE_IMPORT, PAGE_INSTALL
from app.ui.panels.audiocodes.panel import AudioCodesPanel
from app.vendors.audiocodes.certificate_wizard import OVERRIDE_ACTION
from app.vendors.audiocodes.demo_ca import DEMO_BUNDLE_PASSWORD
from app.vendors.audiocodes.simulator import AudioCodesSimulator
from app.vendors.audiocodes.simulator import pki as sim_pki
from tests.gui.audiocodes_support import mediant_panel, open_wizard, wizard_at_import
from tests.gui.conftest import run_async, wait_until
from tests.unit.audiocodes.pki_helpers import SiteCa

REASON = "temporary until the customer's CA reissues it"


def test_expired_certificate_needs_a_reason_and_a_failed_install_is_shown(
    qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    sim = AudioCodesSimulator(serial_index=5, seed=3, clock=ManualClock(datetime.now(UTC)))
    history = DeviceHistory(tmp_path / "history.sqlite")
    key = f"audiocodes:{sim.state.serial}"
    empty = sim.state.context("2")
    assert empty is not None
    empty.certificate = None

    async def scenario() -> None:
        async with mediant_panel(qtbot, sim, history, []) as (panel, _):
            table = panel.certificates_tab.table
            await wait_until(lambda: table.rowCount() == 3 and table.item(2, 3) is not None)
            assert table.item(2, 3).text() == "—"
            await _expired_then_failed_then_installed(panel, sim, tmp_path)
            entries = history.entries(key)
            override = next(e for e in entries if e.action == OVERRIDE_ACTION)
            assert override.detail["reason"] == REASON
            assert any("expired" in f for f in override.detail["findings"])
            installed = next(e for e in entries if e.action == "TLS certificate replaced")
            assert installed.detail["verified_by"] == "TLS handshake"
            assert REASON in installed.detail["overrides"][0]

    run_async(qloop, scenario(), timeout=45)
    history.close()


async def _expired_then_failed_then_installed(
    panel: AudioCodesPanel, sim: AudioCodesSimulator, folder: Path
) -> None:
    wizard = await wizard_at_import(panel)
    _, _, request_page, import_page, install_page = wizard.pages
    assert wizard.currentId() == PAGE_IMPORT
    ca = SiteCa.create(now=sim.clock.now() - timedelta(days=800))
    csr = request_page.csr_text.toPlainText().encode()
    signed = ca.sign(csr, not_before=sim.clock.now() - timedelta(days=400), days=30)
    await _add_root(sim, ca)
    (folder / "expired.pem").write_bytes(signed + ca.pem)
    import_page.review_file(folder / "expired.pem")
    await wait_until(lambda: "expired" in import_page.errors.text())
    assert not import_page.isComplete()
    assert import_page.override_reason.isVisibleTo(import_page)
    import_page.override_reason.setText(REASON)
    assert import_page.isComplete()
    wizard.next()
    assert wizard.currentId() == PAGE_INSTALL
    context = sim.state.context("0")
    assert context is not None
    device_key = context.key
    context.key = sim_pki.generate_rsa_key(2048)  # the device now refuses the certificate (400)
    install_page.install_button.click()
    await wait_until(lambda: "not installed" in install_page.outcome.text(), timeout=20)
    assert install_page.install_button.isEnabled()
    context.key = device_key
    install_page.install_button.click()
    await wait_until(lambda: "now serves the new certificate" in install_page.outcome.text(), timeout=20)


async def _add_root(sim: AudioCodesSimulator, ca: SiteCa) -> None:
    context = sim.state.context("0")
    assert context is not None
    context.roots.append(ca.certificate)


def test_the_demo_ca_finishes_the_wizard_only_in_the_demo(
    qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    sim = AudioCodesSimulator(serial_index=6, seed=3, clock=ManualClock(datetime.now(UTC)))
    history = DeviceHistory(tmp_path / "history.sqlite")

    async def scenario() -> None:
        async with mediant_panel(qtbot, sim, history, [], demo=True) as (panel, running):
            wizard = await wizard_at_import(panel)
            import_page, install_page = wizard.pages[3], wizard.pages[4]
            assert import_page.demo_button.isVisibleTo(import_page)
            assert "DEMO" in import_page.demo_button.text()
            import_page.demo_button.click()
            await wait_until(lambda: "DEMO CA" in import_page.details.text())
            assert import_page.roots_button.isVisibleTo(import_page)
            wizard.show()
            await wait_until(import_page.roots_button.isVisible)
            _assert_buttons_show_their_whole_text(import_page)
            import_page.roots_button.click()
            await wait_until(lambda: "trusted roots" in import_page.good.text())
            assert import_page.isComplete()
            wizard.next()
            install_page.install_button.click()
            await wait_until(
                lambda: "now serves the new certificate" in install_page.outcome.text(), timeout=20
            )
            table = panel.certificates_tab.table
            await wait_until(lambda: table.item(0, 4) is not None and "DEMO CA" in table.item(0, 4).text())
            served = await fetch_certificate(running.endpoint)
            assert "DEMO CA" in served.issuer

    run_async(qloop, scenario(), timeout=45)
    history.close()


def _assert_buttons_show_their_whole_text(page: QWidget) -> None:
    """Every visible button on `page` is at least as wide as its text needs (nothing cut off)."""
    for button in page.findChildren(QPushButton):
        if button.isVisible():
            assert button.width() >= button.sizeHint().width(), button.text()


def test_no_demo_ca_outside_the_demo(qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path) -> None:
    sim = AudioCodesSimulator(serial_index=7, seed=3, clock=ManualClock(datetime.now(UTC)))
    history = DeviceHistory(tmp_path / "history.sqlite")

    async def scenario() -> None:
        async with mediant_panel(qtbot, sim, history, []) as (panel, _):
            wizard = await open_wizard(panel)
            assert not wizard.pages[3].demo_button.isVisibleTo(wizard.pages[3])
            assert not wizard.pages[3].demo_bundle_button.isVisibleTo(wizard.pages[3])

    run_async(qloop, scenario(), timeout=45)
    history.close()


def test_a_pkcs12_bundle_from_the_customers_pki_is_installed(
    qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    sim = AudioCodesSimulator(serial_index=8, seed=3, clock=ManualClock(datetime.now(UTC)))
    history = DeviceHistory(tmp_path / "history.sqlite")
    key = rsa.generate_private_key(65537, 2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    csr = x509.CertificateSigningRequestBuilder().subject_name(name).sign(key, hashes.SHA256())
    ca = SiteCa.create("Customer CA", now=sim.clock.now())
    leaf = x509.load_pem_x509_certificate(
        ca.sign(csr.public_bytes(serialization.Encoding.PEM), not_before=sim.clock.now() - timedelta(hours=1))
    )
    bundle = tmp_path / "sbc.pfx"
    bundle.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"sbc", key, leaf, [ca.certificate], serialization.BestAvailableEncryption(b"pfx-pass")
        )
    )

    async def scenario() -> None:
        async with mediant_panel(qtbot, sim, history, []) as (panel, running):
            wizard = await wizard_at_import(panel)
            import_page, install_page = wizard.pages[3], wizard.pages[4]
            import_page.review_bundle(bundle, bundle, "not the password")
            assert "password is wrong" in import_page.errors.text()
            import_page.review_bundle(bundle, bundle, "pfx-pass")
            await wait_until(lambda: "CN=Customer CA" in import_page.details.text())
            import_page.roots_button.click()
            await wait_until(lambda: "trusted roots" in import_page.good.text())
            wizard.next()
            install_page.install_button.click()
            await wait_until(
                lambda: "now serves the new certificate" in install_page.outcome.text(), timeout=20
            )
            table = panel.certificates_tab.table
            await wait_until(
                lambda: table.item(0, 4) is not None and table.item(0, 4).text() == "CN=Customer CA"
            )
            served = await fetch_certificate(running.endpoint)
            assert served.issuer == "CN=Customer CA"

    run_async(qloop, scenario(), timeout=45)
    history.close()


def test_the_demo_offers_a_customer_pkcs12_file_that_imports_and_installs(
    qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    sim = AudioCodesSimulator(serial_index=9, seed=3, clock=ManualClock(datetime.now(UTC)))
    history = DeviceHistory(tmp_path / "history.sqlite")
    bundle = tmp_path / "customer.p12"

    async def scenario() -> None:
        async with mediant_panel(qtbot, sim, history, [], demo=True) as (panel, running):
            wizard = await wizard_at_import(panel)
            import_page, install_page = wizard.pages[3], wizard.pages[4]
            assert import_page.demo_bundle_button.isVisibleTo(import_page)
            import_page.save_demo_bundle(bundle)
            assert DEMO_BUNDLE_PASSWORD in import_page.details.text()
            import_page.review_bundle(bundle, bundle, DEMO_BUNDLE_PASSWORD)
            await wait_until(lambda: "DEMO CA" in import_page.details.text())
            import_page.roots_button.click()
            await wait_until(lambda: "trusted roots" in import_page.good.text())
            assert import_page.isComplete()
            wizard.next()
            install_page.install_button.click()
            await wait_until(
                lambda: "now serves the new certificate" in install_page.outcome.text(), timeout=20
            )
            served = await fetch_certificate(running.endpoint)
            assert "DEMO CA" in served.issuer

    run_async(qloop, scenario(), timeout=45)
    history.close()
