"""The certificate wizard's pages, end to end against a simulated Mediant served over real loopback TLS."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import qasync
from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.backend.trust import TrustStore, fetch_certificate
from app.core.clock import ManualClock
from app.ui.panels.audiocodes.certificate_pages import PAGE_IMPORT, PAGE_INSTALL, PAGE_KEY, PAGE_REQUEST
from app.ui.panels.audiocodes.panel import AudioCodesPanel
from app.vendors.audiocodes.simulator import AudioCodesSimulator
from tests.gui.audiocodes_support import mediant_panel, open_wizard
from tests.gui.conftest import run_async, wait_until
from tests.unit.audiocodes.pki_helpers import SiteCa


def test_wizard_replaces_the_web_certificate(qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path) -> None:
    sim = AudioCodesSimulator(serial_index=4, seed=2, clock=ManualClock(datetime.now(UTC)))
    notes: list[tuple[str, str]] = []
    history = DeviceHistory(tmp_path / "history.sqlite")
    key = f"audiocodes:{sim.state.serial}"

    async def scenario() -> None:
        async with mediant_panel(qtbot, sim, history, notes) as (panel, running):
            old_pin = TrustStore().pinned(key)
            await drive_wizard(panel, sim, tmp_path)
            table = panel.certificates_tab.table
            await wait_until(
                lambda: table.item(0, 4) is not None and table.item(0, 4).text() == "CN=Site Test CA"
            )
            served = await fetch_certificate(running.endpoint)
            assert TrustStore().pinned(key) == served.fingerprint != old_pin
            assert served.subject == "C=IT,CN=127.0.0.1"
            assert not [n for n in notes if n[0] == "error"]
            entries = history.entries(key)
            entry = next(e for e in entries if e.action == "TLS certificate replaced")
            assert entry.result == "confirmed"
            assert not any(e.action.startswith("Read") for e in entries)
            assert entry.detail["served"] == served.fingerprint

    run_async(qloop, scenario(), timeout=45)
    history.close()


async def _no_check(_page: str) -> None:
    """No look at the page."""


async def drive_wizard(
    panel: AudioCodesPanel,
    sim: AudioCodesSimulator,
    tmp_path: Path,
    check: Callable[[str], Awaitable[None]] = _no_check,
) -> None:
    """Walk every page of the wizard as a technician does; `check(name)` looks at each page once it is
    filled in (its content at its largest)."""
    wizard = await open_wizard(panel)
    context_page, key_page, request_page, import_page, install_page = wizard.pages
    assert "matches this laptop" in context_page.clock_label.text()
    await check("context")
    wizard.next()
    assert wizard.currentId() == PAGE_KEY
    assert key_page.key_size.currentData() == 2048
    key_page.key_size.setCurrentIndex(0)
    assert "breakable" in key_page.warning.text()
    key_page.key_size.setCurrentIndex(2)
    key_page.generate_button.click()
    await wait_until(lambda: "was generated" in key_page.result.text(), timeout=20)
    await check("key")
    wizard.next()
    assert wizard.currentId() == PAGE_REQUEST
    request_page.edits["country"].setText("I")
    assert "two capital letters" in request_page.problems.text()
    assert not request_page.create_button.isEnabled()
    request_page.edits["country"].setText("IT")
    request_page.create_button.click()
    await wait_until(lambda: request_page.csr_text.toPlainText() != "")
    assert request_page.isComplete()
    csr = request_page.csr_text.toPlainText().encode()
    assert request_page.controller.save_request(tmp_path / "sbc.csr").read_bytes() == csr
    await check("request")
    wizard.next()
    assert wizard.currentId() == PAGE_IMPORT
    (tmp_path / "not-pem.txt").write_bytes(b"this is not a certificate")
    import_page.review_file(tmp_path / "not-pem.txt")
    assert "not a PEM certificate" in import_page.errors.text()
    ca = SiteCa.create()
    (tmp_path / "signed.pem").write_bytes(ca.sign(csr, not_before=sim.clock.now() - timedelta(hours=1)))
    import_page.review_file(tmp_path / "signed.pem")
    await wait_until(lambda: "CN=Site Test CA" in import_page.details.text())
    assert import_page.isComplete()
    assert "not among this TLS context's trusted roots" in import_page.warnings.text()
    assert import_page.root_file_button.isVisibleTo(import_page)
    (tmp_path / "ca.pem").write_bytes(ca.pem)
    import_page.add_root_file(tmp_path / "ca.pem")
    await wait_until(lambda: "chain is complete" in import_page.good.text())
    assert import_page.warnings.text() == ""
    assert not import_page.root_file_button.isVisibleTo(import_page)
    context = sim.state.context("0")
    assert context is not None
    assert ca.certificate in context.roots
    await check("import")
    wizard.next()
    assert wizard.currentId() == PAGE_INSTALL
    install_page.install_button.click()
    await wait_until(lambda: "now serves the new certificate" in install_page.outcome.text(), timeout=20)
    assert install_page.isComplete()
    await check("install")
