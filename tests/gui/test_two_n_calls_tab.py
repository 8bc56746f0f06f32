"""The 2N Calls tab and the wizard's registration and test call pages, on a simulated intercom."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from pytestqt.qtbot import QtBot

from app.core.clock import ManualClock
from app.ui.panels.two_n.panel import TwoNPanel
from app.ui.panels.two_n.wizard import CommissioningWizard, StepPage
from app.vendors.two_n.simulator.phone import REGISTRATION_FAILING, SipTiming
from tests.gui.conftest import run_async, wait_until
from tests.gui.test_two_n_panel import Harness


@pytest.fixture
def calls(tmp_path: Path, qloop: qasync.QEventLoop) -> Iterator[Harness]:
    made = Harness(tmp_path)
    made.sim.phone.timing = SipTiming(ring_after=1.0, answer_after=3.0, fail_after=1.0)
    yield made
    run_async(qloop, made.http.aclose())
    made.history.close()


def advance(harness: Harness, seconds: float) -> None:
    clock = harness.sim.clock
    assert isinstance(clock, ManualClock)
    clock.advance(seconds)


def test_registration_and_a_test_call_from_dial_to_hang_up(
    qtbot: QtBot, qloop: qasync.QEventLoop, calls: Harness
) -> None:
    panel = TwoNPanel(calls.context)
    qtbot.addWidget(panel)
    tab = panel.calls_tab
    assert panel.tabs.tabText(panel.tabs.indexOf(tab)) == "Calls"

    async def scenario() -> None:
        await wait_until(lambda: tab.accounts.rowCount() == 2)
        assert tab.accounts.item(0, 4).text() == "registered"
        assert tab.accounts.item(1, 4).text() == "account disabled"
        assert tab.registration_summary.text() == "Every SIP account that should register is registered."
        tab.number.setText("sip:2001@pbx.example.invalid")
        tab.call_button.click()
        await wait_until(lambda: tab.call_state.text().endswith(": connecting"))
        assert tab.hangup_button.isEnabled()
        assert not tab.call_button.isEnabled()
        advance(calls, 1.0)
        await wait_until(lambda: tab.call_state.text() == "Call to sip:2001@pbx.example.invalid: ringing")
        advance(calls, 3.0)
        await wait_until(lambda: tab.call_state.text().endswith(": connected"))
        advance(calls, 7.0)
        tab.hangup_button.click()
        await wait_until(lambda: tab.call_state.text().endswith(": ended"))
        await wait_until(lambda: tab.call_log.rowCount() == 1)
        calls.sim.scenarios.enable(REGISTRATION_FAILING)
        tab.refresh_button.click()
        await wait_until(lambda: "not registered" in tab.registration_summary.text())

    run_async(qloop, scenario())
    assert [tab.call_log.item(0, c).text() for c in range(1, 4)] == [
        "outgoing", "sip:2001@pbx.example.invalid", "7 s"]
    hangup = calls.sim.requests.for_path("/api/call/hangup")[-1]
    assert hangup.params() == {"session": "1", "reason": "normal"}
    assert tab.accounts.item(0, 4).text() == "NOT registered"
    assert tab.registration_summary.text() == "SIP account 1 (100) is not registered."
    assert tab.call_button.isEnabled()
    assert not tab.hangup_button.isEnabled()
    assert calls.notes == []
    panel.close_panel()


def test_a_bad_number_shows_the_intercoms_answer(
    qtbot: QtBot, qloop: qasync.QEventLoop, calls: Harness
) -> None:
    panel = TwoNPanel(calls.context)
    qtbot.addWidget(panel)
    tab = panel.calls_tab
    tab.call_button.click()
    assert tab.status.text() == "Type a number or SIP URI to call."
    tab.number.setText("12ab!")
    tab.call_button.click()
    run_async(qloop, wait_until(lambda: "failed" in tab.status.text()))
    assert tab.status.text().startswith("Test call to 12ab! failed: ")
    assert "(parameter number)" in tab.status.text()
    assert tab.call_button.isEnabled()
    assert not tab.hangup_button.isEnabled()
    assert calls.sim.phone.calls == {}
    panel.close_panel()


def test_closing_the_panel_during_a_call_hangs_it_up(
    qtbot: QtBot, qloop: qasync.QEventLoop, calls: Harness
) -> None:
    panel = TwoNPanel(calls.context)
    qtbot.addWidget(panel)
    tab = panel.calls_tab

    async def scenario() -> None:  # inside the loop: the call's hang-up on close runs on it
        tab.number.setText("2002")
        tab.call_button.click()
        await wait_until(lambda: tab.call_state.text().endswith(": connecting"))
        panel.close_panel()
        await wait_until(lambda: calls.sim.phone.calls == {})

    run_async(qloop, scenario())
    assert calls.sim.requests.for_path("/api/call/hangup")[-1].params()["session"] == "1"


def test_the_wizard_checks_registration_and_places_a_test_call(
    qtbot: QtBot, qloop: qasync.QEventLoop, calls: Harness
) -> None:
    panel = TwoNPanel(calls.context)
    qtbot.addWidget(panel)
    wizard = CommissioningWizard(panel.work, panel.client, panel.display_tab)
    qtbot.addWidget(wizard)
    registration, call = wizard.page(3), wizard.page(4)
    assert isinstance(registration, StepPage)
    assert isinstance(call, StepPage)
    assert (registration.title(), call.title()) == ("4. SIP registration", "5. Test call")
    calls.sim.scenarios.enable(REGISTRATION_FAILING)

    async def scenario() -> None:
        registration.run_button.click()
        await wait_until(lambda: registration.result.text().startswith("✘"))
        assert not registration.isComplete()
        calls.sim.scenarios.disable(REGISTRATION_FAILING)
        registration.run_button.click()
        await wait_until(lambda: registration.result.text().startswith("✔"))
        wizard.call_number.setText("2003")
        call.run_button.click()
        while not call.result.text().startswith(("✔", "✘")):
            advance(calls, 0.5)
            await asyncio.sleep(0.05)

    run_async(qloop, scenario())
    assert registration.result.text() == "✔ SIP account 1 (100): registered"
    assert registration.isComplete()
    assert call.result.text() == "✔ The call to 2003 connected and was hung up."
    assert wizard.call_state.text() == "Call state: connected"
    assert call.isComplete()
    hangup = calls.sim.requests.for_path("/api/call/hangup")[-1]
    assert hangup.params() == {"session": "1", "reason": "normal"}
    actions = [(e.action, e.result) for e in calls.history.entries(calls.context.identity.key)]
    assert ("wizard.registration", "failed") in actions
    assert ("wizard.registration", "passed") in actions
    assert ("wizard.call", "passed") in actions
    wizard.close()
    panel.close_panel()
