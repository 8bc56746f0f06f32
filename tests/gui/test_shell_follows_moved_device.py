"""A sensor that takes new network settings moves; the shell finds it at its new address and reconnects."""

from __future__ import annotations

import dataclasses
import secrets

import qasync

from app.backend.trust import fetch_certificate
from app.core.models import Credentials, DeviceState
from app.sim.site import run_site
from app.ui.main_window import MainWindow
from app.ui.panels.inxpect.panel import InxpectPanel
from app.vendors.inxpect.models import NetFlag
from app.vendors.inxpect.simulator import InxpectSimulator
from tests.gui.conftest import run_async, wait_until

PASSWORD = "site-secret-42"


def test_an_open_sensor_that_moves_is_reopened_at_its_new_address(
    window: MainWindow, qloop: qasync.QEventLoop
) -> None:
    first_index = 9000 + secrets.randbelow(900)  # loopback mDNS is shared: a serial no other run announces

    async def scenario() -> None:
        async with run_site(["inxpect"], 1, seed=4, first_index=first_index) as site:
            running = site.devices[0]
            sim = running.device
            assert isinstance(sim, InxpectSimulator)
            sim.password, sim.password_is_default = PASSWORD, False
            key = f"inxpect:{sim.device_id}"
            await window.services.discovery.start(["127.0.0.1"])
            await wait_until(lambda: window.model.row(key) is not None and window.model.row(key).identified)  # type: ignore[union-attr]
            window.services.trust.trust(key, await fetch_certificate(running.endpoint))
            window.services.credentials.save_device_credentials(key, Credentials("", PASSWORD))
            task = window.open_device(key)
            assert task is not None, window.notifications.messages
            await task  # pinned and remembered: no question asked
            first = window.workspace.panel(key)
            assert isinstance(first, InxpectPanel)
            old_port = running.endpoint.port

            settings = await first.client.read_net_settings()
            static = dataclasses.replace(
                settings, net_configuration=NetFlag.NAME_RESOLUTION, static_address="192.168.0.77"
            )
            await first.client.write_net_settings(static)

            await wait_until(lambda: any(
                d.device is sim and d.endpoint.port != old_port for d in site.devices
            ))
            new_port = site.find(sim.info.serial).endpoint.port
            await wait_until(lambda: isinstance(window.workspace.panel(key), InxpectPanel)
                             and window.workspace.panel(key) is not first, timeout=15)
            opened = window.workspace.opened_device(key)
            assert opened is not None
            assert opened.endpoint.port == new_port
            await wait_until(lambda: window.model.row(key).state is DeviceState.ONLINE)  # type: ignore[union-attr]
            moves = [e for e in window.services.history.entries(key) if e.action == "Address"]
            assert moves
            assert moves[-1].detail["to"].endswith(f":{new_port}")
            assert any("moved to" in text for _level, text in window.notifications.messages)
            assert sim.net["staticAddress"] == "192.168.0.77"
            assert [text for level, text in window.notifications.messages if level == "error"] == []
            assert window.connections.keys() == [key]  # one connection followed the device
            window.workspace.close_panel(key)  # before the site stops: log out at the new address
            await wait_until(lambda: not sim.tokens)
            await wait_until(lambda: window.connections.keys() == [])  # closed: nothing left behind

    run_async(qloop, scenario(), timeout=40)
