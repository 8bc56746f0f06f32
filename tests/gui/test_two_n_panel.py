"""The 2N panel against an in-process simulated intercom: display upload, door test, closing."""

from __future__ import annotations

import asyncio
import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import qasync
from PIL import Image, ImageDraw
from pytestqt.qtbot import QtBot

from app.backend import evidence
from app.backend.history import DeviceHistory
from app.core.clock import ManualClock
from app.core.models import Credentials, DeviceIdentity, Endpoint
from app.ui.panels.two_n.panel import TwoNPanel
from app.ui.panels.two_n.wizard import CommissioningWizard, StepPage
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.image import FitMode
from app.vendors.two_n.simulator import TwoNSimulator, build_firmware
from tests.gui.conftest import panel_services, run_async, wait_until

ENDPOINT = Endpoint("127.0.0.1", 443)


class Harness:
    """A simulated intercom (by default an IP Style, 1280 x 800 display), a client, the panel's context."""

    def __init__(self, tmp_path: Path, serial_index: int = 2) -> None:
        self.sim = TwoNSimulator(serial_index=serial_index, seed=5, clock=ManualClock())
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.sim), base_url=ENDPOINT.base_url)
        credentials = Credentials(self.sim.info.username, self.sim.info.password)
        self.client = TwoNClient(self.http, ENDPOINT, credentials)
        self.history = DeviceHistory(tmp_path / "history.sqlite")
        identity = DeviceIdentity("two_n", self.sim.info.model, serial=self.sim.serial)
        services = panel_services(identity, ENDPOINT, self.client, self.history, runner_records_history=True)
        self.context, self.tasks, self.notes = services.context, services.tasks, services.notes


@pytest.fixture
def harness(tmp_path: Path, qloop: qasync.QEventLoop) -> Iterator[Harness]:
    made = Harness(tmp_path)
    yield made
    run_async(qloop, made.http.aclose())
    made.history.close()


def transparent_logo(path: Path) -> Path:
    logo = Image.new("RGBA", (2400, 1200), (0, 0, 0, 0))
    ImageDraw.Draw(logo).rounded_rectangle([300, 200, 2100, 1000], 120, fill=(20, 40, 160, 255))
    logo.save(path, "PNG")
    return path


def test_display_upload_from_file_to_device_screen(qtbot: QtBot, qloop: qasync.QEventLoop,
                                                   harness: Harness, tmp_path: Path) -> None:
    panel = TwoNPanel(harness.context)
    qtbot.addWidget(panel)
    panel.resize(1400, 900)
    panel.show()
    tab = panel.display_tab

    async def scenario() -> None:
        await wait_until(lambda: tab.target is not None)
        assert tab.target is not None
        assert (tab.target.width, tab.target.height) == (1280, 800)
        tab.set_source(transparent_logo(tmp_path / "logo.png"))
        await wait_until(lambda: tab.converted is not None)
        tab.mode_box.setCurrentIndex(tab.mode_box.findData(FitMode.FILL))
        await wait_until(tab.upload_button.isEnabled)
        assert tab.preview_view.pixmap().size().toTuple() == (1280, 800)
        tab.notification_radio.setChecked(True)
        tab.duration.setValue(20)
        tab.upload_button.click()
        await wait_until(lambda: "ext1" in harness.sim.state.shown)
        await wait_until(lambda: "notification" in tab.status.text())
        shown = harness.sim.state.shown["ext1"]
        assert shown.notification is True
        with Image.open(io.BytesIO(shown.data)) as image:
            assert image.size == (1280, 800)
            assert image.mode == "RGB"
        await wait_until(lambda: not tab.screen_view.pixmap().isNull())
        assert tab.screen_view.pixmap().size().toTuple() == (1280, 800)
        tab.remove_button.click()
        await wait_until(lambda: "ext1" not in harness.sim.state.shown)

    run_async(qloop, scenario())
    actions = [(e.action, e.result) for e in harness.history.entries(harness.context.identity.key)]
    assert ("Upload display image", "succeeded") in actions
    [picture] = [e.detail for e in harness.history.entries(harness.context.identity.key)
                 if e.action == evidence.DISPLAY_PICTURE]  # what the customer's report names
    assert picture == {"file": "logo.png", "display": "ext1", "how": "a notification for 20 s",
                       "width": 1280, "height": 800}
    panel.close()


def test_door_test_and_close_unsubscribes(qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness) -> None:
    panel = TwoNPanel(harness.context)
    qtbot.addWidget(panel)
    panel.show()
    door = panel.door_tab

    async def scenario() -> None:
        await wait_until(lambda: door.switch_box.count() > 0 and panel.events.channel is not None)
        door.door_button.click()
        await wait_until(lambda: door.table.item(0, 2) is not None
                         and door.table.item(0, 2).text() == "ACTIVE")
        await wait_until(lambda: "SwitchStateChanged" in panel.events_tab.log.toPlainText())
        channel = panel.events.channel
        assert channel is not None
        panel.close_panel()  # what closeEvent does (closing the last window here would quit the loop)
        await wait_until(lambda: harness.sim.events.channel(channel) is None)

    run_async(qloop, scenario())
    assert not harness.tasks.running


def test_firmware_upload_reject_and_config_backup(qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness,
                                                  tmp_path: Path) -> None:
    reported: list[str] = []
    harness.context = dataclasses.replace(harness.context, firmware_read=reported.append)
    panel = TwoNPanel(harness.context)
    qtbot.addWidget(panel)
    panel.show()
    firmware_file = tmp_path / "style.bin"
    firmware_file.write_bytes(build_firmware("style", "2.38.0.50.1", size=64 * 1024))

    async def scenario() -> None:
        await wait_until(lambda: "2.37.1.48.0" in panel.firmware_tab.version.text())
        assert reported == ["2.37.1.48.0"]  # read from the intercom, for the device list
        await panel.firmware_tab.upload(firmware_file)
        assert panel.firmware_tab.apply_button.isEnabled()
        assert "Upgrade to 2.38.0.50.1" in panel.firmware_tab.uploaded.text()
        assert harness.sim.state.pending_firmware is not None
        panel.firmware_tab.reject_button.click()
        await wait_until(lambda: harness.sim.state.pending_firmware is None)
        await wait_until(lambda: not panel.firmware_tab.apply_button.isEnabled())
        saved = await panel.config_tab.backup(tmp_path / "backup.xml")
        assert b"Product name: 2N IP Style" in saved.read_bytes()

    run_async(qloop, scenario())
    actions = [(e.action, e.result) for e in harness.history.entries(harness.context.identity.key)]
    assert ("Upload firmware style.bin", "succeeded") in actions
    assert ("Reject firmware", "succeeded") in actions
    assert ("Back up configuration", "succeeded") in actions
    panel.close_panel()


def test_the_door_page_triggers_the_chosen_switch(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = TwoNPanel(harness.context)
    qtbot.addWidget(panel)
    wizard = CommissioningWizard(panel.work, panel.client, panel.display_tab)
    qtbot.addWidget(wizard)
    page = wizard.page(2)
    assert isinstance(page, StepPage)
    clock = harness.sim.clock
    assert isinstance(clock, ManualClock)
    enabled = [s.spec.switch for s in harness.sim.state.switches.values() if s.spec.enabled]

    async def scenario() -> None:
        page.initializePage()
        await wait_until(lambda: wizard.door_switch.count() == len(enabled))
        wizard.door_switch.setCurrentIndex(wizard.door_switch.findData(enabled[-1]))
        page.run_button.click()
        while "Did the door open?" not in page.result.text():
            clock.advance(0.5)  # the harness's own time: its monostable pulse ends
            await asyncio.sleep(0.05)

    run_async(qloop, scenario())
    assert page.result.text().startswith(f"Switch {enabled[-1]} activated and released.")
    triggered = [r.params() for r in harness.sim.requests.for_path("/api/switch/ctrl")]
    assert triggered == [{"switch": str(enabled[-1]), "action": "trigger"}]
    assert wizard.door_switch.itemText(0).startswith(f"Switch {enabled[0]} (")
    wizard.close()
    panel.close_panel()


def test_camera_snapshot_and_audio_test_show_what_the_intercom_answered(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = TwoNPanel(harness.context)
    qtbot.addWidget(panel)
    camera, events = panel.camera_tab, panel.events_tab

    async def scenario() -> None:
        await wait_until(lambda: camera.resolution_box.count() > 0)
        camera.snapshot_button.click()
        await wait_until(lambda: camera.status.text().startswith("Snapshot "))
        events.audio_button.click()
        await wait_until(lambda: events.status.text().startswith("Audio loop test running"))

    run_async(qloop, scenario())
    size = camera.resolution_box.currentData()
    assert camera.status.text().startswith(f"Snapshot {size[0]} × {size[1]} at ")
    assert camera.picture.size().toTuple() == size
    shown = camera.image.pixmap().size()
    assert not shown.isEmpty()
    assert (shown.width() <= size[0], shown.height() <= size[1]) == (True, True)  # fitted, never enlarged
    assert harness.notes == []
    panel.close_panel()
