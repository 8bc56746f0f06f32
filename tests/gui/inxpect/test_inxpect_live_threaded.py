"""Opened from the shell, the Inxpect panel polls live targets on a worker thread with its own session."""

from __future__ import annotations

import threading

import qasync

from app.core.clock import SystemClock
from app.core.models import DeviceState
from app.sim.server import serve_device
from app.ui.dialogs.certificate import CertificateDialog
from app.ui.dialogs.credentials import CredentialDialog
from app.ui.main_window import MainWindow
from app.ui.panels.inxpect.panel import InxpectPanel
from app.vendors.inxpect.simulator import InxpectSimulator
from tests.gui.conftest import DialogWatcher, add_by_address, run_async, wait_until

PASSWORD = "site-secret-42"



def _live_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "inxpect-live"]


def test_live_view_polls_on_a_worker_session_that_ends_with_the_panel(
    window: MainWindow, qloop: qasync.QEventLoop
) -> None:
    sim = InxpectSimulator(device_id=20031, seed=3, clock=SystemClock(), password=PASSWORD)
    dialogs = DialogWatcher(window)

    async def scenario() -> None:
        async with serve_device(sim) as running:
            entry = await add_by_address(window, running.endpoint)
            assert not entry.candidate.identity.serial  # found by address: the serial comes with login
            task = window.open_device(entry.key)
            assert task is not None
            (await dialogs.shown(CertificateDialog)).accept()
            login = await dialogs.shown(CredentialDialog)
            login.password.setText(PASSWORD)
            login.buttons.accepted.emit()
            await task
            key = f"inxpect:{sim.device_id}"
            panel = window.workspace.panel(key)
            assert isinstance(panel, InxpectPanel)
            row = window.model.row(key)  # the row found by address now carries the serial read at login
            assert row is not None
            assert row.state is DeviceState.ONLINE
            assert window.model.row(entry.key) is None
            assert window.services.trust.pinned(key) == running.fingerprint

            await wait_until(lambda: panel.live.drawn_frames >= 50)
            workers = _live_threads()
            assert len(workers) == 1
            assert workers[0] is not threading.main_thread()
            assert len(sim.tokens) == 2  # the panel's session and the worker's own
            assert panel.live.last_drawn_idx > 0

            window.workspace.close_panel(key)
            await wait_until(lambda: not _live_threads())
            await wait_until(lambda: not sim.tokens)  # both sessions logged out

    run_async(qloop, scenario(), timeout=40)
