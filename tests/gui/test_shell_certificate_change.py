"""A device that swaps its certificate while its panel is open: the row and the notification say so."""

from __future__ import annotations

import pytest
import qasync

from app.backend.trust import fetch_certificate
from app.core.clock import ManualClock
from app.core.errors import CertificateChangedError
from app.core.models import DeviceIdentity, DeviceState
from app.core.progress import Operation, ProgressReporter
from app.sim.certs import make_self_signed
from app.sim.server import serve_device
from app.site.naming import device_label
from app.site.opened import OpenedDevice
from app.ui.dialogs.certificate import CertificateDialog
from app.ui.dialogs.credentials import CredentialDialog
from app.ui.main_window import MainWindow
from app.vendors.registry import plugin_for
from tests.gui.conftest import DialogWatcher, add_by_address, run_async, wait_until


def test_certificate_swapped_mid_session_marks_the_row_and_says_nothing_more_is_sent(
    window: MainWindow, qloop: qasync.QEventLoop
) -> None:
    sim = plugin_for("axis").create_simulator(serial_index=8, seed=8, clock=ManualClock())
    dialogs = DialogWatcher(window)

    async def scenario() -> None:
        async with serve_device(sim) as running:
            endpoint = running.endpoint
            entry = await add_by_address(window, endpoint)
            window.services.trust.trust(entry.key, await fetch_certificate(endpoint))
            task = window.open_device(entry.key)
            assert task is not None
            login = await dialogs.shown(CredentialDialog)
            login.username.setText(sim.info.username)
            login.password.setText(sim.info.password)
            login.buttons.accepted.emit()
            opened: OpenedDevice = await task
            await wait_until(lambda: window.model.row(entry.key).state is DeviceState.ONLINE)  # type: ignore[union-attr]
            panel = window.workspace.panel(entry.key)
            assert panel is not None

            # Kept-alive connections would carry on with the old session; httpx has no public way to drop
            # idle connections, so close the pool (a device restarts its web server on a new certificate).
            await opened.http._transport.aclose()
            running.reload_certificate(make_self_signed("Impostor"))

            async def read(reporter: ProgressReporter) -> DeviceIdentity:
                return await opened.client.read_identity()  # type: ignore[no-any-return]

            reading = Operation("Read identity", ("Reading",), read, device_key=entry.key)
            failed = window.tasks.run(reading, owner=panel)
            with pytest.raises(CertificateChangedError):
                await failed
            await wait_until(
                lambda: window.model.row(entry.key).state is DeviceState.CERTIFICATE_CHANGED  # type: ignore[union-attr]
            )
            assert window.services.trust.blocked(entry.key) is not None
            label = device_label(opened.identity, opened.endpoint)
            expected = (
                f"The certificate of {label} changed. Nothing more is sent to it until you decide: "
                "open the device again to compare the new certificate with the trusted one."
            )
            errors = [m for level, m in window.notifications.messages if level == "error"]
            assert errors.count(expected) == 1
            assert not any(m.startswith("Read identity failed") for m in errors)
            sent_before = len(sim.requests)

            # Blocked now: a further request is refused before anything is sent, and not announced again.
            again = window.tasks.spawn(opened.client.read_identity(), owner=panel)
            with pytest.raises(CertificateChangedError):
                await again
            assert len(sim.requests) == sent_before
            errors = [m for level, m in window.notifications.messages if level == "error"]
            assert errors.count(expected) == 1
            window.workspace.close_panel(entry.key)

            # Opening it again shows the blocking certificate warning; keeping it blocked sends nothing.
            reopening = window.open_device(entry.key)
            assert reopening is not None
            warning = await dialogs.shown(CertificateDialog)
            assert warning.changed
            warning.reject()
            assert await reopening is None
            assert len(sim.requests) == sent_before
            assert window.model.row(entry.key).state is DeviceState.CERTIFICATE_CHANGED  # type: ignore[union-attr]

    run_async(qloop, scenario())
