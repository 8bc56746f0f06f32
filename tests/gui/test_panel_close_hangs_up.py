"""Closing a panel mid-refresh cancels the refresh, and its request hangs up on the device at once,
wherever it was (TLS handshake or body): nothing is left for a later collection to find unclosed. At exit
the window waits for the log-outs of closed panels, cutting a hanging one short, and closes their pools."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import qasync
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.backend.session import probe_client
from app.backend.transport import DeviceTransport
from app.core.models import DeviceIdentity, Endpoint
from app.core.progress import ProgressReporter
from app.site.opened import OpenedDevice
from app.ui.main_window import MainWindow
from app.ui.panel_work import PanelWork
from tests.gui.conftest import panel_services, run_async
from tests.integration.hangup_peer import HangupPeer, unclosed_resources

IDENTITY = DeviceIdentity("axis", "P3719-PLE", serial="ACCC8E000010")


@pytest.mark.parametrize("stall", ["handshake", "body"])
def test_closing_a_panel_mid_refresh_hangs_up_on_the_device(
    stall: str, qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    history = DeviceHistory(tmp_path / "history.sqlite")
    panel = QWidget()
    qtbot.addWidget(panel)

    async def scenario() -> None:
        async with HangupPeer(stall) as peer:
            http = probe_client(httpx.Timeout(30.0))
            transport = DeviceTransport(http, peer.url, retry_delays=())
            services = panel_services(IDENTITY, Endpoint("127.0.0.1", peer.port), None, history)
            work = PanelWork(services.context, panel)

            async def refresh(_reporter: ProgressReporter) -> httpx.Response:
                return await transport.request("GET", "/api/status")

            refreshing = work.op("Refreshing", refresh).in_background().run()
            await peer.stalled.wait()
            work.close()  # what closing the panel does
            await peer.wait_hung_up()
            assert refreshing.cancelled()
            await http.aclose()

    with unclosed_resources() as unclosed:
        run_async(qloop, scenario())
    history.close()
    assert unclosed == []


class _LoggingOut:
    """A client whose log-out request the device never finishes answering."""

    def __init__(self, transport: DeviceTransport) -> None:
        self.transport = transport

    async def aclose(self) -> None:
        """Log out (hangs on this device)."""
        await self.transport.request("POST", "/api/logout")


def test_at_exit_a_hanging_log_out_is_cut_short_and_its_connections_closed(
    window: MainWindow, qloop: qasync.QEventLoop
) -> None:
    identity = DeviceIdentity("acme", "Q3819-PVE", serial="ACCC8E000011")

    async def scenario() -> None:
        async with HangupPeer("body") as peer:
            http = probe_client(httpx.Timeout(30.0))
            client = _LoggingOut(DeviceTransport(http, peer.url, retry_delays=()))
            device = OpenedDevice(identity, Endpoint("127.0.0.1", peer.port), client, http)  # type: ignore[arg-type]
            window.workspace.show_panel(device)
            window.workspace.close_all()
            await peer.stalled.wait()  # the log-out hangs mid-answer
            await window.workspace.wait_closed(limit=0.2)
            assert http.is_closed
            await peer.wait_hung_up()

    run_async(qloop, scenario())
