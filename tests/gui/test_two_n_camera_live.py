"""The Camera tab's live view against a simulated intercom served over loopback HTTPS: frames and the
measured rate while the tab is shown, the stream closed while it is hidden and when the panel closes."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import qasync
from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.backend.session import pinned_client
from app.core.clock import SystemClock
from app.core.models import Credentials, DeviceIdentity
from app.sim.server import serve_device
from app.ui.panels.two_n.panel import TwoNPanel
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.simulator import TwoNSimulator
from app.vendors.two_n.simulator.camera import STREAM_STALLS
from tests.gui.conftest import panel_services, run_async, wait_until

LIVE = re.compile(r"Live view: \d+\.\d fps measured \(8 asked\), 320 × 240\.")


def test_live_view_runs_while_shown_pauses_when_hidden_and_stops_on_close(
    qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    sim = TwoNSimulator(serial_index=0, seed=2, clock=SystemClock())
    history = DeviceHistory(tmp_path / "history.sqlite")
    seen: dict[str, str] = {}

    async def scenario() -> None:
        async with serve_device(sim) as running, pinned_client(running.certificate.cert_der) as http:
            client = TwoNClient(http, running.endpoint, Credentials(sim.info.username, sim.info.password))
            identity = DeviceIdentity("two_n", sim.info.model, serial=sim.serial)
            services = panel_services(identity, running.endpoint, client, history)
            panel = TwoNPanel(services.context)
            qtbot.addWidget(panel)
            panel.show()
            camera = panel.camera_tab
            panel.tabs.setCurrentWidget(camera)
            await wait_until(lambda: camera.resolution_box.count() > 0)
            camera.resolution_box.setCurrentIndex(camera.resolution_box.findText("320 × 240"))
            camera.fps_box.setValue(8)
            camera.live_button.click()
            await wait_until(lambda: LIVE.fullmatch(camera.live.text()) is not None and camera.frames >= 5)
            assert sim.camera_streams == 1
            assert camera.picture.size().toTuple() == (320, 240)
            seen["live"] = camera.live.text()
            panel.tabs.setCurrentWidget(panel.display_tab)
            assert camera.live.text() == "Live view paused while this tab is hidden."
            await wait_until(lambda: sim.camera_streams == 0)  # the stream is closed, not just ignored
            panel.tabs.setCurrentWidget(camera)
            await wait_until(lambda: sim.camera_streams == 1)
            asked = sim.requests.for_path("/api/camera/snapshot")[-1].params()
            seen["asked"] = f"{asked['width']}x{asked['height']}@{asked['fps']}"
            sim.scenarios.enable(STREAM_STALLS)
            camera.fps_box.setValue(9)  # a new stream, which stalls after two frames
            await wait_until(lambda: camera.live.text().startswith("Live view stopped:"), timeout=15)
            seen["stalled"] = camera.live.text()
            assert not camera.live_button.isChecked()
            sim.scenarios.disable(STREAM_STALLS)
            camera.live_button.click()
            await wait_until(lambda: sim.camera_streams == 1)
            panel.close_panel()
            await wait_until(lambda: sim.camera_streams == 0)
            # the event channel's clean-up (its unsubscribe) ends before the test closes the connections
            await wait_until(lambda: not any(t.get_name() == "Live events" for t in asyncio.all_tasks()))
            # the stall is the only thing that went wrong, and the technician was told
            stalled = "Camera live view failed: The camera sent no picture for 5 s."
            assert services.notes == [("error", stalled)]

    run_async(qloop, scenario(), timeout=60)
    history.close()
    assert seen["asked"] == "320x240@8"
    assert seen["stalled"] == "Live view stopped: The camera sent no picture for 5 s."
