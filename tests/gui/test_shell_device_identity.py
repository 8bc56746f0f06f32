"""What the technician sees when a certificate is already another device's, or a device is not who it was."""

from __future__ import annotations

import qasync

from app.backend.trust import fetch_certificate
from app.core.clock import ManualClock
from app.core.models import Credentials, DeviceCandidate, DeviceIdentity
from app.discovery.identify import Identification
from app.sim.server import serve_device
from app.ui.dialogs.certificate import CertificateDialog
from app.ui.main_window import MainWindow
from app.vendors.registry import plugin_for
from tests.gui.conftest import DialogWatcher, add_by_address, run_async, wait_until


def test_the_trust_prompt_names_the_device_the_certificate_is_already_pinned_to(
    window: MainWindow, qloop: qasync.QEventLoop
) -> None:
    sim = plugin_for("axis").create_simulator(serial_index=21, seed=2, clock=ManualClock())
    dialogs = DialogWatcher(window)

    async def scenario() -> None:
        async with serve_device(sim) as running:
            entry = await add_by_address(window, running.endpoint)
            window.services.trust.trust("axis:ACCC8E0000AA", await fetch_certificate(running.endpoint))
            probed = len(sim.requests)  # identification only
            opening = window.open_device(entry.key)
            assert opening is not None
            prompt = await dialogs.shown(CertificateDialog)
            assert prompt.pinned_elsewhere.isVisibleTo(prompt)
            assert "already trusted for another device: axis:ACCC8E0000AA" in prompt.pinned_elsewhere.text()
            prompt.reject()
            assert await opening is None
            assert len(sim.requests) == probed

    run_async(qloop, scenario())


def test_a_device_that_is_not_who_its_row_says_is_stopped_with_a_clear_error(
    window: MainWindow, qloop: qasync.QEventLoop
) -> None:
    sim = plugin_for("axis").create_simulator(serial_index=22, seed=2, clock=ManualClock())
    claimed = DeviceIdentity("axis", sim.info.model, "ACCC8E0000BB")

    async def scenario() -> None:
        async with serve_device(sim) as running:
            candidate = DeviceCandidate(running.endpoint, claimed, identified=True)
            row = window.services.inventory.observe(Identification(candidate, None), source="test:impostor")
            window.services.trust.trust(claimed.key, await fetch_certificate(running.endpoint))
            window.services.credentials.save_device_credentials(
                claimed.key, Credentials(sim.info.username, sim.info.password)
            )
            await wait_until(lambda: window.model.row(row.key) is not None)
            opening = window.open_device(row.key)
            assert opening is not None

            def stopped() -> list[str]:
                return [text for level, text in window.notifications.messages
                        if level == "error" and "This is not the device you trusted" in text]

            await wait_until(lambda: bool(stopped()))  # the runner shows the error once the task ends
            assert claimed.key in stopped()[0]
            assert opening.done()
            assert window.workspace.panel(row.key) is None

    run_async(qloop, scenario())
