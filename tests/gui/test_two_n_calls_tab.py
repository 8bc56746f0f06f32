"""The 2N panel's Calls tab against an in-process simulated intercom on a manual clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from pytestqt.qtbot import QtBot

from app.core.clock import ManualClock
from app.ui.panels.two_n.panel import TwoNPanel
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
    tab.number.setText("2002")
    tab.call_button.click()
    run_async(qloop, wait_until(lambda: tab.call_state.text().endswith(": connecting")))
    panel.close_panel()
    run_async(qloop, wait_until(lambda: calls.sim.phone.calls == {}))
    assert calls.sim.requests.for_path("/api/call/hangup")[-1].params()["session"] == "1"
