"""A sixth vendor defined only under tests/ is discovered, identified, opened and listed through the seams.

Nothing in app/ names it: the fixture adds its plugin and its panel through the registries' one seam each.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator

import pytest
import qasync

from app.backend.trust import fetch_certificate
from app.core.errors import DeviceBusyError
from app.core.models import Credentials, DeviceState
from app.sim.site import run_site
from app.ui.device_list import COLUMNS, cell_text
from app.ui.main_window import MainWindow
from app.ui.panels.registry import VendorPanel, register_panel
from app.vendors import registry
from app.vendors.base import Capability, capabilities_of
from tests.gui.conftest import run_async, wait_until
from tests.sixth_vendor.models import MODEL, VENDOR_ID
from tests.sixth_vendor.panel import LumenPanel
from tests.sixth_vendor.plugin import PLUGIN
from tests.sixth_vendor.simulator import USERNAME, LumenSimulator


@pytest.fixture
def lumen() -> Iterator[None]:
    """The sixth vendor in both registries for one test (requested before `window`, which reads them)."""
    remove_vendor = registry.register(PLUGIN)
    remove_panel = register_panel(VendorPanel(PLUGIN, LumenPanel))
    yield
    remove_panel()
    remove_vendor()


def test_a_sixth_vendor_is_discovered_identified_opened_and_listed(
    lumen: None, window: MainWindow, qloop: qasync.QEventLoop
) -> None:
    first_index = 100000 + secrets.randbelow(800000)  # a serial no other run on shared mDNS announces

    async def scenario() -> None:
        async with run_site([VENDOR_ID], 1, first_index=first_index) as site:
            running = site.devices[0]
            sim = running.device
            assert isinstance(sim, LumenSimulator)
            key = f"lumen:{sim.info.serial}"
            discovery = window.services.discovery
            assert discovery is not None
            await discovery.start(["127.0.0.1"])
            await wait_until(lambda: window.model.row(key) is not None and window.model.row(key).identified)  # type: ignore[union-attr]
            entry = window.model.row(key)
            assert entry is not None
            assert entry.candidate.record is not None
            assert entry.candidate.record.service_type == "_lumen._tcp.local."
            assert sim.requests.for_path("/api/hello", "GET")
            assert cell_text(entry, COLUMNS.index("Vendor")) == "Lumen"
            assert cell_text(entry, COLUMNS.index("Model")) == MODEL
            assert cell_text(entry, COLUMNS.index("Serial")) == sim.info.serial

            window.services.trust.trust(key, await fetch_certificate(running.endpoint))
            window.services.credentials.save_device_credentials(key, Credentials(USERNAME, sim.info.password))
            task = window.open_device(key)
            assert task is not None, window.notifications.messages
            await task
            panel = window.workspace.panel(key)
            opened = window.workspace.opened_device(key)
            assert isinstance(panel, LumenPanel)
            assert opened is not None
            assert panel.client is opened.client
            assert capabilities_of(opened.client) == {
                Capability.LOG_IN, Capability.READ_IDENTITY, Capability.SET_TIME,
            }
            await wait_until(lambda: window.model.row(key).state is DeviceState.ONLINE)  # type: ignore[union-attr]

            before = int(time.time())
            panel.set_time_button.click()
            await wait_until(lambda: sim.utc is not None)
            assert sim.utc is not None
            assert before <= sim.utc <= int(time.time())
            assert sim.requests.for_path("/api/time", "PUT")[-1].json() == {"utc": sim.utc}
            history = window.services.history
            await wait_until(lambda: any(e.action == "Setting the clock" for e in history.entries(key)))
            sim.scenarios.enable("busy", times=1)
            with pytest.raises(DeviceBusyError):
                await panel.client.set_time(before)
            assert sim.requests.for_path("/api/time", "PUT")[-1].status == 503
            assert [text for level, text in window.notifications.messages if level == "error"] == []
            window.workspace.close_panel(key)

    run_async(qloop, scenario(), timeout=40)
