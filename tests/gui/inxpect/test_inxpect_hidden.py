"""A hidden Inxpect panel (another workspace tab in front) stops polling; shown again, it resumes."""

from __future__ import annotations

import qasync
from PySide6.QtWidgets import QLabel, QTabWidget
from pytestqt.qtbot import QtBot

from app.ui.panels.inxpect.panel import InxpectPanel
from tests.gui.conftest import run_async, show_panel, wait_until
from tests.gui.inxpect.conftest import Harness


def test_live_polling_pauses_while_the_panel_tab_is_hidden(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    workspace = QTabWidget()
    panel = InxpectPanel(harness.context)
    workspace.addTab(QLabel("the device list"), "Devices")
    workspace.addTab(panel, "Inxpect")
    show_panel(qtbot, workspace, 1200, 800)
    workspace.setCurrentWidget(panel)

    def polls() -> int:
        return sum(1 for r in harness.sim.requests if r.path == "/detectionStatus")

    async def scenario() -> None:
        await wait_until(lambda: polls() > 3)
        feed_task = panel._feed_task
        assert feed_task is not None
        workspace.setCurrentIndex(0)  # the technician looks at the device list
        await wait_until(feed_task.done)
        assert feed_task.cancelled()
        assert panel.live.feed is None  # no repaint timer either
        hidden = polls()
        await harness.tick(0.5)
        assert polls() == hidden
        workspace.setCurrentWidget(panel)
        await wait_until(lambda: polls() > hidden + 3)
        assert panel.live.feed is panel.feed

    run_async(qloop, scenario())


def test_a_hidden_panel_on_another_inner_tab_stays_paused_when_shown(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    workspace = QTabWidget()
    panel = InxpectPanel(harness.context)
    workspace.addTab(QLabel("the device list"), "Devices")
    workspace.addTab(panel, "Inxpect")
    show_panel(qtbot, workspace, 1200, 800)
    workspace.setCurrentWidget(panel)
    panel.show_tab(panel.configuration)
    workspace.setCurrentIndex(0)
    workspace.setCurrentWidget(panel)
    assert panel._feed_task is None  # shown again on Configuration: the live view does not poll
