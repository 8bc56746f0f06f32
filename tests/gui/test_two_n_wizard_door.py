"""The 2N commissioning wizard's door page: the technician picks the switch; only a release passes."""

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
from tests.gui.conftest import run_async, wait_until
from tests.gui.test_two_n_panel import Harness


@pytest.fixture
def intercom(tmp_path: Path, qloop: qasync.QEventLoop) -> Iterator[Harness]:
    made = Harness(tmp_path)
    yield made
    run_async(qloop, made.http.aclose())
    made.history.close()


def test_the_door_page_triggers_the_chosen_switch(
    qtbot: QtBot, qloop: qasync.QEventLoop, intercom: Harness
) -> None:
    panel = TwoNPanel(intercom.context)
    qtbot.addWidget(panel)
    wizard = CommissioningWizard(panel.work, panel.client, panel.display_tab)
    qtbot.addWidget(wizard)
    page = wizard.page(2)
    assert isinstance(page, StepPage)
    clock = intercom.sim.clock
    assert isinstance(clock, ManualClock)
    enabled = [s.spec.switch for s in intercom.sim.state.switches.values() if s.spec.enabled]

    async def scenario() -> None:
        page.initializePage()
        await wait_until(lambda: wizard.door_switch.count() == len(enabled))
        wizard.door_switch.setCurrentIndex(wizard.door_switch.findData(enabled[-1]))
        page.run_button.click()
        while "Did the door open?" not in page.result.text():
            clock.advance(0.5)  # the intercom's own time: its monostable pulse ends
            await asyncio.sleep(0.05)

    run_async(qloop, scenario())
    assert page.result.text().startswith(f"Switch {enabled[-1]} activated and released.")
    triggered = [r.params() for r in intercom.sim.requests.for_path("/api/switch/ctrl")]
    assert triggered == [{"switch": str(enabled[-1]), "action": "trigger"}]
    assert wizard.door_switch.itemText(0).startswith(f"Switch {enabled[0]} (")
    wizard.close()
    panel.close_panel()
