"""A Mediant panel on a simulated Mediant served over real loopback TLS, for the panel's GUI tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.backend.session import pinned_client
from app.backend.trust import TrustStore, fetch_certificate
from app.core.models import Credentials, DeviceIdentity
from app.sim.certs import DeviceCertificate
from app.sim.server import RunningDevice, serve_device
from app.ui.panel_context import PanelContext
from app.ui.panels.audiocodes.certificate_wizard import CertificateWizard
from app.ui.panels.audiocodes.panel import AudioCodesPanel
from app.ui.tasks import TaskRunner
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.simulator import AudioCodesSimulator, ServedCertificate
from tests.waiting import wait_until


def device_certificate(pair: ServedCertificate) -> DeviceCertificate:
    """The simulator's served pair as the HTTPS server's certificate."""
    return DeviceCertificate(pair.key_pem, pair.cert_pem, pair.cert_der)


@asynccontextmanager
async def mediant_panel(
    qtbot: QtBot,
    sim: AudioCodesSimulator,
    history: DeviceHistory,
    notes: list[tuple[str, str]],
    *,
    demo: bool = False,
) -> AsyncIterator[tuple[AudioCodesPanel, RunningDevice]]:
    """Serve `sim`, trust its certificate, open its panel logged in as Admin; everything closed after."""
    key = f"audiocodes:{sim.state.serial}"
    async with serve_device(sim, certificate=device_certificate(sim.served_certificate())) as running:
        sim.on_certificate_changed = lambda pair: running.reload_certificate(device_certificate(pair))
        old = await fetch_certificate(running.endpoint)
        TrustStore().trust(key, old)
        http = pinned_client(old.der)
        client = AudioCodesClient(http, running.endpoint, Credentials("Admin", "Admin"), clock=sim.clock)
        tasks = TaskRunner(lambda level, text: notes.append((level, text)))
        context = PanelContext(
            DeviceIdentity("audiocodes", "Mediant", serial=sim.state.serial),
            running.endpoint,
            client,
            tasks,
            history,
            lambda level, text: notes.append((level, text)),
            demo=demo,
        )
        panel = AudioCodesPanel(context)
        qtbot.addWidget(panel)
        panel.show()
        try:
            yield panel, running
        finally:
            tasks.cancel_all()
            await wait_until(lambda: not tasks.running)
            await client.aclose()
            await http.aclose()


async def open_wizard(panel: AudioCodesPanel) -> CertificateWizard:
    """Click "Replace certificate…" once allowed; returns the wizard once its context page is read."""
    await wait_until(panel.certificates_tab.wizard_button.isEnabled)
    panel.certificates_tab.wizard_button.click()
    wizard = panel.wizard
    assert wizard is not None
    await wait_until(wizard.pages[0].isComplete)
    return wizard


async def wizard_at_import(panel: AudioCodesPanel) -> CertificateWizard:
    """Open the wizard, generate a 2048-bit key, create the request: the wizard shows the import page."""
    wizard = await open_wizard(panel)
    _, key_page, request_page, _, _ = wizard.pages
    wizard.next()
    key_page.generate_button.click()
    await wait_until(lambda: "was generated" in key_page.result.text(), timeout=20)
    wizard.next()
    request_page.create_button.click()
    await wait_until(lambda: request_page.csr_text.toPlainText() != "")
    wizard.next()
    return wizard
