"""At 1366x768 a panel's headline task is fully visible in the main window without scrolling (the cloud
panel's fit, every tab and its wizard, is checked in test_hikvision_fit).

The window is given a 1366x768 screen's area less the window manager's frame (as _fit_to_screen does);
each panel sits in the workspace's tab page as show_panel puts it there. With COMMISSIONER_SCREENSHOTS
set to a folder, the window is saved there per panel (for a person to look at)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QScrollBar,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.core.clock import ManualClock
from app.ui.main_window import FRAME_ALLOWANCE, MainWindow
from app.ui.panels.audiocodes.panel import AudioCodesPanel
from app.ui.panels.axis.panel import AxisPanel
from app.ui.panels.inxpect.panel import InxpectPanel
from app.ui.panels.two_n.panel import TwoNPanel
from app.vendors.audiocodes.simulator import AudioCodesSimulator
from tests.gui import test_axis_panel, test_two_n_panel
from tests.gui.audiocodes_support import mediant_panel
from tests.gui.conftest import run_async, wait_until
from tests.gui.inxpect.conftest import Harness as InxpectHarness
from tests.gui.test_audiocodes_wizard import drive_wizard

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


def test_mediant_certificates_tab_fits(
    laptop: MainWindow, qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    sim = AudioCodesSimulator(serial_index=6, seed=6, clock=ManualClock(datetime.now(UTC)))
    history = DeviceHistory(tmp_path / "history.sqlite")

    async def scenario() -> None:
        async with mediant_panel(qtbot, sim, history, [], demo=True) as (panel, _running):
            page = tab_page(laptop, panel, "AudioCodes")
            panel.tabs.setCurrentIndex(2)  # TLS certificates
            tab = panel.certificates_tab
            await wait_until(tab.wizard_button.isEnabled)
            await wait_until(lambda: tab.table.rowCount() > 0)
            await asyncio.sleep(0.2)  # the layout settles
            shown = [panel.tabs.tabBar(), tab.table, tab.wizard_button]
            assert_laid_out_visible(laptop, page, shown, "mediant_certificates")

    run_async(qloop, scenario(), timeout=60)
    history.close()


def test_every_mediant_certificate_wizard_page_fits_a_laptop_screen(
    qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    sim = AudioCodesSimulator(serial_index=7, seed=7, clock=ManualClock(datetime.now(UTC)))
    history = DeviceHistory(tmp_path / "history.sqlite")
    looked_at: dict[str, str] = {}

    async def page_fits(panel: AudioCodesPanel, name: str) -> None:
        """Look at the page once laid out; what does not fit is kept (the wizard walks on, closes cleanly)."""
        wizard = panel.wizard
        assert wizard is not None
        await asyncio.sleep(0.2)  # the page's layout settles
        try:
            assert_wizard_page_fits(wizard, f"mediant_wizard_{name}")
        except AssertionError as err:
            looked_at[name] = str(err).splitlines()[0]
        else:
            looked_at[name] = "fits"

    async def scenario() -> None:
        async with mediant_panel(qtbot, sim, history, [], demo=True) as (panel, _running):
            await drive_wizard(panel, sim, tmp_path, check=lambda name: page_fits(panel, name))
            wizard = panel.wizard
            assert wizard is not None
            assert wizard.width() <= WINDOW[0]
            assert wizard.height() <= WINDOW[1]

    run_async(qloop, scenario(), timeout=90)
    history.close()
    assert looked_at == dict.fromkeys(("context", "key", "request", "import", "install"), "fits")


def assert_wizard_page_fits(wizard: QWizard, name: str) -> None:
    """The wizard fits a 1366x768 screen and every visible widget of its current page is shown whole
    inside it: nothing cut off, nothing squeezed below its minimum (on a layout the loop has settled)."""
    shots = os.environ.get("COMMISSIONER_SCREENSHOTS")
    if shots:
        wizard.grab().save(str(Path(shots) / f"{name}.png"))
    assert wizard.width() <= WINDOW[0], f"{name}: the wizard is wider than the screen"
    assert wizard.height() <= WINDOW[1], f"{name}: the wizard is taller than the screen"
    page = wizard.currentPage()
    assert page.height() >= page.minimumSizeHint().height(), f"{name}: the page is squeezed"
    for widget in page.findChildren(QWidget):
        if not widget.isVisible() or isinstance(widget, QScrollBar) or _blank(widget):
            continue
        where = QRect(widget.mapTo(wizard, QPoint(0, 0)), widget.size())
        what = widget.objectName() or type(widget).__name__
        assert wizard.rect().contains(where), f"{name}: {what} at {where} outside {wizard.rect()}"
        if isinstance(widget, QAbstractButton | QLabel | QLineEdit | QComboBox):
            assert widget.height() >= widget.minimumSizeHint().height(), f"{name}: {what} squeezed"


def _blank(widget: QWidget) -> bool:
    """A widget that shows nothing now (an empty message line): it may take no room."""
    return widget.width() == 0 or (isinstance(widget, QLabel) and not widget.text().strip()
                                   and widget.pixmap().isNull())
