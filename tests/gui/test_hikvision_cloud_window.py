"""End to end in the main window: the cloud account opens the Hik-Partner Pro panel over pinned TLS."""

from __future__ import annotations

import asyncio

import pytest

from app.backend.trust import fetch_certificate
from app.core.clock import ManualClock
from app.core.models import Credentials
from app.sim.server import serve_device
from app.site.naming import cloud_key
from app.site.opened import OpenedDevice
from app.ui.dialogs.cloud_account import CloudAccount
from app.ui.main_window import MainWindow
from app.ui.panels.hikvision.panel import HikvisionPanel
from app.ui.services import AppServices
from app.ui.window_actions import connect_cloud
from app.vendors.hikvision.simulator import HikPartnerSimulator
from tests.gui.conftest import run_async, wait_until


def test_cloud_account_opens_the_panel(qtbot: object, qloop: object, monkeypatch: pytest.MonkeyPatch) -> None:
    sim = HikPartnerSimulator(seed=2, clock=ManualClock())
    closed = asyncio.Event()
    close_session = OpenedDevice.aclose

    async def close_and_tell(device: OpenedDevice) -> None:
        try:
            await close_session(device)
        finally:
            closed.set()

    monkeypatch.setattr(OpenedDevice, "aclose", close_and_tell)
    services = AppServices.create(session_vault=True)
    window = MainWindow(services)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()

    async def scenario() -> None:
        async with serve_device(sim) as running:
            url = running.endpoint.base_url
            services.trust.trust(cloud_key(url), await fetch_certificate(running.endpoint))
            account = CloudAccount(url, Credentials(sim.app_key, sim.secret_key), remember=False)
            connect_cloud(window, account)
            await wait_until(lambda: isinstance(window.workspace.panel(cloud_key(url)), HikvisionPanel))
            panel = window.workspace.panel(cloud_key(url))
            assert isinstance(panel, HikvisionPanel)
            assert "region <b>Europe</b>" in panel.account_label.text()  # signed in before the panel opened
            await wait_until(lambda: panel.status.text() == "0 site(s) found.")
            # the event feed is waiting on its long poll
            await wait_until(lambda: any(s.path.endswith("mq/messages") for s in sim.requests))
            window.workspace.close_panel(cloud_key(url))
            await asyncio.wait_for(closed.wait(), 10)  # the panel's session is closed with it

    run_async(qloop, scenario(), timeout=30)  # type: ignore[arg-type]
    token_calls = [s for s in sim.requests if s.path == "/api/hpcgw/v1/token/get"]
    assert token_calls[0].json() == {"appKey": sim.app_key, "secretKey": sim.secret_key}
    assert any(s.path == "/ieuapi/api/hpcgw/v1/site/search" for s in sim.requests)
