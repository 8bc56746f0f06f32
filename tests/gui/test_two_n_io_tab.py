"""The 2N Relays and inputs tab on a simulated intercom: live levels only while shown, confirmed io/ctrl."""

from __future__ import annotations

import asyncio

import pytest
import qasync
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.ui.panels.two_n.panel import TwoNPanel
from app.vendors.two_n.simulator.io_ports import INPUT1_ACTIVE
from tests.gui.conftest import run_async, wait_until
from tests.gui.test_two_n_calls_tab import advance
from tests.gui.test_two_n_panel import Harness, harness  # noqa: F401  (fixture)


@pytest.fixture
def io(harness: Harness) -> Harness:  # noqa: F811  (the imported fixture)
    harness.client.clock = harness.sim.clock  # the tab's polling and pulses wait on the simulated clock
    return harness


def status_reads(made: Harness) -> int:
    return len([r for r in made.sim.requests.for_path("/api/io/status") if r.status == 200])


def level_of(panel: TwoNPanel, port: str) -> str:
    table = panel.io_tab.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == port)
    return table.item(row, 2).text()


def test_levels_are_read_live_only_while_the_tab_is_shown(
    qtbot: QtBot, qloop: qasync.QEventLoop, io: Harness
) -> None:
    panel = TwoNPanel(io.context)
    qtbot.addWidget(panel)
    panel.resize(1300, 700)
    panel.show()
    tab = panel.io_tab
    assert panel.tabs.tabText(panel.tabs.indexOf(tab)) == "Relays && inputs"

    async def scenario() -> None:
        await wait_until(lambda: tab.table.rowCount() == 5)
        assert tab.poll_task is None
        panel.tabs.setCurrentWidget(tab)
        await wait_until(lambda: tab.poll_task is not None and status_reads(io) >= 2)
        io.sim.scenarios.enable(INPUT1_ACTIVE)
        advance(io, 1.0)
        await wait_until(lambda: level_of(panel, "input1") == "ON (1)")
        assert tab.live.text().startswith("Live: read at ")
        door_ports = panel.door_tab.ports  # the door tab re-reads io/status on the InputChanged event
        await wait_until(lambda: door_ports.rowCount() and door_ports.item(0, 2).text() == "1")
        panel.tabs.setCurrentWidget(panel.device_tab)
        await wait_until(lambda: tab.poll_task is None)
        reads = status_reads(io)
        for _ in range(10):
            advance(io, 1.0)
            for _ in range(10):
                await asyncio.sleep(0)
        assert status_reads(io) == reads
        assert tab.live.text() == "Live reading paused while this tab is hidden."

    run_async(qloop, scenario())
    assert [tab.output_box.itemText(i) for i in range(tab.output_box.count())] == ["relay1", "relay2"]
    panel.close_panel()


def test_switching_an_output_asks_first_and_shows_the_level_read_back(
    qtbot: QtBot, qloop: qasync.QEventLoop, io: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

    def answer(_parent: object, title: str, text: str, *_: object) -> QMessageBox.StandardButton:
        asked.append(f"{title}: {text}")
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", answer)
    panel = TwoNPanel(io.context)
    qtbot.addWidget(panel)
    tab = panel.io_tab

    async def scenario() -> None:
        await wait_until(lambda: tab.output_box.count() == 2)
        tab.output_box.setCurrentText("relay2")
        tab.on_button.click()
        assert io.sim.requests.for_path("/api/io/ctrl") == []
        tab.on_button.click()
        await wait_until(lambda: "switched on" in tab.status.text())

    run_async(qloop, scenario())
    assert asked == [
        "Switch relay2 on: relay2 is off (0) now. It is switched ON (log. 1) and stays so until changed "
        "again. Whatever is wired to it (a lock, a gate, a light) operates.\n\nGo ahead?"] * 2
    assert io.sim.requests.for_path("/api/io/ctrl")[-1].params() == {"port": "relay2", "action": "on"}
    assert io.sim.ports.outputs["relay2"] is True
    assert tab.status.text() == "relay2 switched on; it reads 1 now."
    assert level_of(panel, "relay2") == "ON (1)"
    panel.close_panel()


def test_a_pulse_holds_then_releases_and_a_bad_port_shows_the_intercoms_answer(
    qtbot: QtBot, qloop: qasync.QEventLoop, io: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Yes)
    panel = TwoNPanel(io.context)
    qtbot.addWidget(panel)
    tab = panel.io_tab

    async def scenario() -> None:
        await wait_until(lambda: tab.output_box.count() == 2)
        tab.pulse_seconds.setValue(3)
        tab.pulse_button.click()
        await wait_until(lambda: io.sim.ports.outputs["relay1"])
        advance(io, 3.0)
        await wait_until(lambda: "pulsed" in tab.status.text())
        tab.output_box.addItem("relay7")
        tab.ports = (*tab.ports, type(tab.ports[0])("relay7", "output", 0))
        tab.output_box.setCurrentText("relay7")
        tab.off_button.click()
        await wait_until(lambda: "failed" in tab.status.text())

    run_async(qloop, scenario())
    actions = [r.params()["action"] for r in io.sim.requests.for_path("/api/io/ctrl") if r.status == 200]
    assert actions[:2] == ["on", "off"]
    assert io.sim.ports.outputs["relay1"] is False
    assert tab.status.text().startswith("Output relay7 off failed: ")
    assert "(parameter port)" in tab.status.text()
    panel.close_panel()


def test_port_events_update_the_table_between_reads(
    qtbot: QtBot, qloop: qasync.QEventLoop, io: Harness
) -> None:
    panel = TwoNPanel(io.context)
    qtbot.addWidget(panel)
    tab = panel.io_tab

    async def scenario() -> None:
        await wait_until(lambda: tab.table.rowCount() == 5)
        reads = status_reads(io)
        io.sim.scenarios.enable(INPUT1_ACTIVE)
        await wait_until(lambda: level_of(panel, "input1") == "ON (1)")
        assert tab.poll_task is None
        assert status_reads(io) - reads <= 1  # the door tab's own read, not this tab's

    run_async(qloop, scenario())
    panel.close_panel()
