"""At 1366x768 a panel's headline task is fully visible in the main window without scrolling.

The window is given a 1366x768 screen's area less the window manager's frame (as _fit_to_screen does);
each panel sits in the workspace's tab page as show_panel puts it there. With COMMISSIONER_SCREENSHOTS
set to a folder, the window is saved there per panel (for a person to look at)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest
import qasync
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.core.clock import ManualClock
from app.core.models import Endpoint
from app.ui.main_window import FRAME_ALLOWANCE, MainWindow
from app.ui.panel_context import PanelContext
from app.ui.panels.hikvision.panel import HikvisionPanel
from app.ui.panels.two_n.panel import TwoNPanel
from app.ui.tasks import TaskRunner
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.simulator import HikPartnerSimulator
from tests.gui import test_two_n_panel
from tests.gui.conftest import run_async
from tests.gui.test_hikvision_panel import IDENTITY as CLOUD_IDENTITY

LAPTOP = (1366, 768)
WINDOW = (LAPTOP[0] - FRAME_ALLOWANCE, LAPTOP[1] - FRAME_ALLOWANCE)


@pytest.fixture
def laptop(window: MainWindow, qtbot: QtBot) -> MainWindow:
    """The main window at a 1366x768 laptop's size."""
    window.resize(*WINDOW)
    qtbot.waitUntil(lambda: window.size().width() == WINDOW[0])
    return window


def host(window: MainWindow, panel: QWidget, title: str) -> QScrollArea:
    """Put `panel` in a workspace tab as show_panel does, bring it to the front and lay it out."""
    page = QScrollArea()
    page.setWidgetResizable(True)
    page.setFrameShape(QFrame.Shape.NoFrame)
    page.setWidget(panel)
    window.workspace.setCurrentIndex(window.workspace.addTab(page, title))
    QApplication.processEvents()
    return page


def assert_fully_visible(
    window: MainWindow, page: QScrollArea, widgets: Sequence[QWidget], name: str
) -> None:
    """No scrolling either way, and every widget shown whole inside the tab's visible area."""
    QApplication.processEvents()
    shots = os.environ.get("COMMISSIONER_SCREENSHOTS")
    if shots:
        window.grab().save(str(Path(shots) / f"{name}.png"))
    assert page.horizontalScrollBar().maximum() == 0, f"{name}: needs horizontal scrolling"
    assert page.verticalScrollBar().value() == 0
    viewport = page.viewport()
    for widget in widgets:
        assert widget.isVisible(), f"{name}: {widget.objectName() or type(widget).__name__} hidden"
        where = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
        what = type(widget).__name__
        assert viewport.rect().contains(where), f"{name}: {what} at {where} outside {viewport.rect()}"
        assert widget.height() >= widget.minimumSizeHint().height(), f"{name}: {what} squeezed"


def test_two_n_display_preview_and_upload_fit(
    laptop: MainWindow, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    harness = test_two_n_panel.Harness(tmp_path)
    panel = TwoNPanel(harness.context)
    page = host(laptop, panel, "2N")
    panel.tabs.setCurrentWidget(panel.display_tab)
    tab = panel.display_tab
    assert_fully_visible(
        laptop, page, [tab.choose_button, tab.preview_view, tab.screen_view, tab.upload_button],
        "two_n_display",
    )
    panel.close()
    harness.tasks.cancel_all()
    run_async(qloop, harness.http.aclose())


def test_cloud_panel_needs_no_horizontal_scrolling_and_its_wizard_is_reachable(
    laptop: MainWindow, qloop: qasync.QEventLoop
) -> None:
    clock = ManualClock()
    sim = HikPartnerSimulator(seed=3, clock=clock, calls_per_second=10_000)
    history = DeviceHistory(":memory:")
    runner = TaskRunner(lambda level, text: None, history)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=sim))
    client = HikPartnerClient(http, "https://127.0.0.1:8443", sim.app_key, sim.secret_key, clock=clock)
    context = PanelContext(CLOUD_IDENTITY, Endpoint("127.0.0.1", 8443), client, runner, history,
                           lambda level, text: None)
    panel = HikvisionPanel(context)
    page = host(laptop, panel, "Hik-Partner Pro")
    assert_fully_visible(laptop, page, [panel.wizard_button, panel.tabs.tabBar()], "cloud")
    panel.close()
    runner.cancel_all()
    run_async(qloop, http.aclose())
    history.close()
