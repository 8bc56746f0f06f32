"""At 1366x768 a panel's headline task is fully visible in the main window without scrolling (the cloud
panel's fit, every tab and its wizard, is checked in test_hikvision_fit).

The window is given a 1366x768 screen's area less the window manager's frame (as _fit_to_screen does);
each panel sits in the workspace's tab page as show_panel puts it there. With COMMISSIONER_SCREENSHOTS
set to a folder, the window is saved there per panel (for a person to look at)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from app.ui.main_window import FRAME_ALLOWANCE, MainWindow
from app.ui.panels.axis.panel import AxisPanel
from app.ui.panels.inxpect.panel import InxpectPanel
from app.ui.panels.two_n.panel import TwoNPanel
from tests.gui import test_axis_panel, test_two_n_panel
from tests.gui.conftest import run_async, wait_until
from tests.gui.inxpect.conftest import Harness as InxpectHarness

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
    page = tab_page(window, panel, title)
    QApplication.processEvents()
    return page


def tab_page(window: MainWindow, panel: QWidget, title: str) -> QScrollArea:
    """Put `panel` in a workspace tab as show_panel does and bring it to the front (laid out by the loop)."""
    page = QScrollArea()
    page.setWidgetResizable(True)
    page.setFrameShape(QFrame.Shape.NoFrame)
    page.setWidget(panel)
    window.workspace.setCurrentIndex(window.workspace.addTab(page, title))
    return page


def assert_fully_visible(
    window: MainWindow, page: QScrollArea, widgets: Sequence[QWidget], name: str
) -> None:
    """No scrolling either way, and every widget shown whole inside the tab's visible area."""
    QApplication.processEvents()
    assert_laid_out_visible(window, page, widgets, name)


def assert_laid_out_visible(
    window: MainWindow, page: QScrollArea, widgets: Sequence[QWidget], name: str
) -> None:
    """As assert_fully_visible, on a layout the running loop has already settled."""
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


def test_two_n_display_video_and_module_choice_fit(
    laptop: MainWindow, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    harness = test_two_n_panel.Harness(tmp_path, serial_index=0)  # a Verso: two display modules, video

    async def scenario() -> None:  # the panel reads the intercom from its creation: inside the loop
        panel = TwoNPanel(harness.context)
        page = tab_page(laptop, panel, "2N")
        panel.tabs.setCurrentWidget(panel.display_tab)
        tab = panel.display_tab
        await wait_until(lambda: tab.display_box.count() == 2 and panel.calls_tab.accounts.rowCount() > 0)
        tab.pattern_button.click()
        await wait_until(tab.upload_button.isEnabled)
        await wait_until(lambda: not tab.screen_view.pixmap().isNull())
        await asyncio.sleep(0.2)  # the layout settles
        assert page.verticalScrollBar().maximum() == 0, "the display tab needs vertical scrolling"
        assert_laid_out_visible(
            laptop, page,
            [tab.display_box, tab.pattern_button, tab.preview_view, tab.screen_view, tab.options.repeat,
             tab.upload_button, tab.remove_button],
            "two_n_display_video",
        )
        panel.close()

    run_async(qloop, scenario())
    harness.tasks.cancel_all()
    run_async(qloop, harness.http.aclose())


def test_inxpect_live_plots_and_alarm_banner_fit(
    laptop: MainWindow, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    harness = InxpectHarness(tmp_path)

    async def scenario() -> None:  # the panel reads the sensor from its first show: inside the loop
        await harness.client.login()
        panel = InxpectPanel(harness.context)
        page = tab_page(laptop, panel, "Inxpect")
        await wait_until(lambda: "firmware …" not in panel.header.text())  # the sensor's info is in
        live = panel.live
        assert panel.tabs.currentWidget() is live
        await asyncio.sleep(0.2)  # the layout settles
        assert page.verticalScrollBar().maximum() == 0, "the live view needs vertical scrolling"
        assert_laid_out_visible(
            laptop, page, [live.alarm_banner, live.pause_button, live.time_plot, live.top_plot],
            "inxpect_live",
        )
        panel.close()

    run_async(qloop, scenario())
    harness.tasks.cancel_all()
    run_async(qloop, harness.http.aclose())
    harness.history.close()


def test_axis_panorama_nudge_pad_and_offsets_fit(
    laptop: MainWindow, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    harness = test_axis_panel.Harness(tmp_path)

    async def scenario() -> None:  # the panel reads the camera from its constructor: inside the loop
        panel = AxisPanel(harness.context)
        page = tab_page(laptop, panel, "Axis")
        await wait_until(lambda: panel.preview.painted_number >= 1)
        pad = [panel.pad_buttons[0], panel.pad_buttons[-1], panel.step_box, panel.undo_button,
               panel.seam_quality]
        await asyncio.sleep(0.2)  # the layout settles
        assert page.verticalScrollBar().maximum() == 0, "the Axis panel needs vertical scrolling"
        shown = [panel.preview, *pad, panel.offsets, panel.record_button]
        assert_laid_out_visible(laptop, page, shown, "axis")
        panel.close()

    run_async(qloop, scenario())
    harness.tasks.cancel_all()
    run_async(qloop, harness.http.aclose())
    harness.history.close()
