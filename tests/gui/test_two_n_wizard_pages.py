"""Every page of the 2N commissioning wizard against a simulated intercom: what the technician sees on each,
when Next unlocks, and the failure paths (old firmware, no picture, a refused upload, a door switch that
never releases, SIP not registered, calls that fail, a backup the intercom refuses)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PIL import Image
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from app.core.clock import ManualClock
from app.ui.panels.two_n.panel import TwoNPanel
from app.ui.panels.two_n.wizard import CommissioningWizard, StepPage
from app.vendors.two_n.simulator.phone import NOT_ANSWERING, REGISTRATION_FAILING, SipTiming
from tests.gui.conftest import run_async, wait_until
from tests.gui.test_two_n_panel import Harness

BUSY = ("✘ https://127.0.0.1:443: The intercom cannot process the request now; try again shortly: request is "
        "rejected. (code 18)")
TITLES = ["1. Firmware", "2. Display image", "3. Door test", "4. SIP registration", "5. Test call",
          "6. Configuration backup"]


class Walk:
    """The panel, its wizard on the simulator's own clock, and the pages in order."""

    def __init__(self, harness: Harness, qtbot: QtBot) -> None:
        self.harness = harness
        self.panel = TwoNPanel(harness.context)
        qtbot.addWidget(self.panel)
        clock = harness.sim.clock
        assert isinstance(clock, ManualClock)
        self.clock = clock
        self.wizard = CommissioningWizard(self.panel.work, self.panel.client, self.panel.display_tab,
                                          clock=clock)
        qtbot.addWidget(self.wizard)
        self.wizard.show()
        self.pages: list[StepPage] = []
        for page_id in self.wizard.pageIds():
            page = self.wizard.page(page_id)
            assert isinstance(page, StepPage)
            self.pages.append(page)

    def next_enabled(self) -> bool:
        return self.wizard.button(QWizard.WizardButton.NextButton).isEnabled()

    async def run(self, page: StepPage, until: tuple[str, ...] = ("✔", "✘"), *, press: bool = True) -> str:
        """Press the page's Run button and let simulated time pass until the page shows an outcome."""
        if press:
            page.result.setText("")
            page.run_button.click()
        while not page.result.text().startswith(until) and "Did the door open?" not in page.result.text():
            self.clock.advance(0.5)
            await asyncio.sleep(0.02)
        return page.result.text()

    def close(self) -> None:
        self.wizard.close()
        self.panel.close_panel()


@pytest.fixture
def walk(tmp_path: Path, qloop: qasync.QEventLoop, qtbot: QtBot) -> Iterator[Walk]:
    harness = Harness(tmp_path)
    harness.sim.phone.timing = SipTiming(ring_after=1.0, answer_after=3.0, fail_after=1.0)

    async def opened() -> Walk:  # the panel reads the intercom from its creation: inside the loop
        return Walk(harness, qtbot)

    made = run_async(qloop, opened())
    yield made
    made.close()
    run_async(qloop, harness.http.aclose())
    harness.history.close()


def outcomes(walk: Walk) -> list[tuple[str, str]]:
    key = walk.harness.context.identity.key
    entries = reversed(walk.harness.history.entries(key))  # oldest first
    return [(e.action, e.result) for e in entries if e.action.startswith("wizard.")]


def test_every_page_in_order_next_unlocks_only_after_a_pass(qloop: qasync.QEventLoop, walk: Walk) -> None:
    firmware, display, door, registration, call, backup = walk.pages
    assert [page.title() for page in walk.pages] == TITLES
    seen: dict[str, str] = {}

    async def scenario() -> None:
        assert not walk.next_enabled()
        walk.wizard.firmware_minimum.setText("9.0.0.0.0")
        seen["old"] = await walk.run(firmware)
        assert not walk.next_enabled()
        walk.wizard.firmware_minimum.setText("2.37.0.0.0")
        seen["firmware"] = await walk.run(firmware)
        assert walk.next_enabled()
        walk.wizard.next()
        assert walk.wizard.currentPage() is display
        assert not walk.next_enabled()
        display.run_button.click()
        await wait_until(lambda: display.result.text().startswith("Choose"))
        seen["no picture"] = display.result.text()
        walk.wizard.display_skip.setChecked(True)
        seen["display"] = await walk.run(display)
        walk.wizard.next()
        await wait_until(lambda: walk.wizard.door_switch.count() == 3)  # the Style's enabled switches
        seen["door"] = await walk.run(door)
        assert not walk.next_enabled()  # the technician has not said what the door did
        walk.wizard.door_opened_button.click()
        seen["door confirmed"] = door.result.text()
        walk.wizard.next()
        seen["registration"] = await walk.run(registration)
        walk.wizard.next()
        walk.wizard.call_number.setText("2003")
        seen["call"] = await walk.run(call)
        walk.wizard.next()
        assert walk.wizard.currentPage() is backup
        seen["backup"] = await walk.run(backup)

    run_async(qloop, scenario())
    assert seen == {
        "old": "✘ Firmware 2.37.1.48.0 is older than 9.0.0.0.0: update it first.",
        "firmware": "✔ Firmware 2.37.1.48.0",
        "no picture": "Choose a picture first (it is converted on the Display tab).",
        "display": "✔ Display left unchanged",
        "door": "Switch 1 activated and released. Did the door open?",
        "door confirmed": "✔ Switch 1 activated and released.",
        "registration": "✔ SIP account 1 (100): registered",
        "call": "✔ The call to 2003 connected and was hung up.",
        "backup": f"✔ Configuration saved to {walk.wizard.backup_target}",
    }
    assert walk.wizard.call_state.text() == "Call state: connected"
    assert b"Product name: 2N IP Style" in walk.wizard.backup_target.read_bytes()
    assert walk.wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert outcomes(walk) == [
        ("wizard.firmware", "failed"), ("wizard.firmware", "passed"), ("wizard.display", "passed"),
        ("wizard.door", "passed"), ("wizard.registration", "passed"), ("wizard.call", "passed"),
        ("wizard.backup", "passed")]


def test_the_display_page_uploads_the_tabs_picture_and_shows_a_refusal(
    qloop: qasync.QEventLoop, walk: Walk, tmp_path: Path
) -> None:
    display = walk.pages[1]
    picture = tmp_path / "welcome.png"
    Image.new("RGB", (800, 600), (0, 90, 160)).save(picture)
    tab = walk.panel.display_tab

    async def scenario() -> tuple[str, str]:
        await wait_until(lambda: tab.target is not None)
        tab.set_source(picture)
        await wait_until(lambda: tab.converted is not None)
        walk.harness.sim.scenarios.enable("busy", times=1)
        refused = await walk.run(display)
        assert not display.isComplete()
        return refused, await walk.run(display)

    refused, shown = run_async(qloop, scenario())
    assert refused == BUSY
    assert shown == "✔ Image 1280x800 PNG shown"
    assert display.isComplete()
    assert walk.harness.sim.state.shown["ext1"].format == "PNG"


def test_a_door_switch_that_never_releases_fails_the_door_page(qloop: qasync.QEventLoop, walk: Walk) -> None:
    door = walk.pages[2]
    switch = walk.harness.sim.state.switches[1]

    async def scenario() -> str:
        walk.wizard.next()
        walk.wizard.next()
        door.initializePage()
        await wait_until(lambda: walk.wizard.door_switch.count() == 3)
        door.run_button.click()
        await wait_until(lambda: switch.effective)
        switch.held = True  # something at the door holds the lock's switch on
        return await walk.run(door, press=False)

    asked = run_async(qloop, scenario())
    assert asked == ("Switch 1 activated but did not release: check its mode and whether something holds "
                     "it on. Did the door open?")
    assert not walk.wizard.door_opened_button.isEnabled()
    walk.wizard.door_not_opened_button.click()
    assert door.result.text() == ("✘ Switch 1 activated but did not release: check its mode and whether "
                                  "something holds it on.")
    assert not door.isComplete()
    assert outcomes(walk) == [("wizard.door", "failed")]


def test_a_door_that_stays_shut_and_a_switch_already_on(qloop: qasync.QEventLoop, walk: Walk) -> None:
    door = walk.pages[2]
    switch = walk.harness.sim.state.switches[2]  # the Style's bistable switch

    async def scenario() -> tuple[str, str]:
        door.initializePage()
        await wait_until(lambda: walk.wizard.door_switch.count() == 3)
        walk.wizard.door_switch.setCurrentIndex(walk.wizard.door_switch.findData(2))
        switch.active = True
        already = await walk.run(door)
        assert not walk.wizard.door_opened_button.isEnabled()
        assert not walk.wizard.door_not_opened_button.isEnabled()
        switch.active = False
        return already, await walk.run(door)

    already, released = run_async(qloop, scenario())
    assert already == ("✘ Switch 2 is already active, so the test cannot see it activate: switch it off or "
                       "release it first.")
    assert released == "Switch 2 activated and released. Did the door open?"
    walk.wizard.door_not_opened_button.click()
    assert door.result.text() == "✘ The switch worked but the door did not open: check the lock wiring."
    assert not door.isComplete()


def test_sip_not_registered_and_calls_that_fail(qloop: qasync.QEventLoop, walk: Walk) -> None:
    registration, call = walk.pages[3], walk.pages[4]
    scenarios = walk.harness.sim.scenarios
    seen: dict[str, str] = {}

    async def scenario() -> None:
        scenarios.enable(REGISTRATION_FAILING)
        seen["registration"] = await walk.run(registration)
        walk.wizard.call_number.setText("2003")
        seen["unregistered call"] = await walk.run(call)
        seen["state"] = walk.wizard.call_state.text()
        scenarios.disable(REGISTRATION_FAILING)
        scenarios.enable(NOT_ANSWERING)
        walk.wizard.call_number.setText("2004")
        seen["no answer"] = await walk.run(call)
        walk.wizard.call_number.setText("12ab!")
        seen["bad number"] = await walk.run(call)
        walk.wizard.call_number.setText("  ")
        seen["no number"] = await walk.run(call)

    run_async(qloop, scenario())
    assert seen["registration"] == "✘ SIP account 1 (100) is not registered."
    assert seen["unregistered call"] == ("✘ The call to 2003 ended without being answered: check the number "
                                         "and SIP.")
    assert seen["state"] == "Call state: ended"
    assert seen["no answer"] == "✘ The call to 2004 was not answered within 60 s; it was hung up."
    assert seen["bad number"].startswith("✘ ")
    assert "rejected a parameter value: invalid parameter value. (parameter number)" in seen["bad number"]
    assert seen["no number"] == "✘ Type the number or SIP URI to call."
    assert not registration.isComplete()
    assert not call.isComplete()
    hangups = walk.harness.sim.requests.for_path("/api/call/hangup")
    assert [h.params() for h in hangups] == [{"session": "2", "reason": "normal"}]
    assert walk.harness.sim.phone.calls == {}
    assert ("wizard.registration", "failed") in outcomes(walk)
    assert [result for action, result in outcomes(walk) if action == "wizard.call"] == ["failed"] * 3


def test_a_backup_the_intercom_refuses_keeps_the_last_page_open(qloop: qasync.QEventLoop, walk: Walk) -> None:
    backup = walk.pages[5]
    walk.harness.sim.scenarios.enable("busy", times=1)
    refused = run_async(qloop, walk.run(backup))
    assert refused == BUSY
    assert not backup.isComplete()
    assert not walk.wizard.backup_target.exists()
    assert run_async(qloop, walk.run(backup)).startswith("✔ Configuration saved to ")
    assert backup.isComplete()
