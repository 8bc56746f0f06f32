"""At 1366x768 the cloud panel (every tab, a site chosen, devices listed) needs no horizontal scrolling, its
end-of-visit wizard fits the screen and is reachable, and a registration error is shown whole (wrapped).
With COMMISSIONER_SCREENSHOTS set to a folder, each view is saved there for a person to look at."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx
import qasync
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.core.clock import ManualClock
from app.core.models import Endpoint
from app.ui.main_window import FRAME_ALLOWANCE, MainWindow
from app.ui.panel_context import PanelContext
from app.ui.panels.hikvision.panel import HikvisionPanel
from app.ui.panels.hikvision.widgets import WordsList
from app.ui.panels.hikvision.wizard_pages import EndOfVisitWizard
from app.ui.tasks import TaskRunner
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.models import DeviceToAdd
from app.vendors.hikvision.simulator import HikPartnerSimulator
from tests.gui.conftest import run_async, wait_until
from tests.gui.test_hikvision_panel import IDENTITY
from tests.gui.test_laptop_fit import LAPTOP, laptop, tab_page  # noqa: F401  (fixture)


def save(widget: QWidget, name: str) -> None:
    """Keep a screenshot when COMMISSIONER_SCREENSHOTS names a folder."""
    shots = os.environ.get("COMMISSIONER_SCREENSHOTS")
    if shots:
        widget.grab().save(str(Path(shots) / f"{name}.png"))


def assert_shown_whole(words: WordsList) -> None:
    """Every line of `words` fits its width and shows all its text (wrapped, never cut or elided)."""
    viewport = words.viewport()
    assert words.horizontalScrollBar().maximum() == 0
    for row in range(words.count()):
        item = words.item(row)
        rect = words.visualItemRect(item)
        assert rect.width() <= viewport.width(), f"line {row} wider than the list"
        box = QRect(0, 0, rect.width() - 8, 10_000)  # less the item's margins
        needed = words.fontMetrics().boundingRect(box, Qt.TextFlag.TextWordWrap.value, item.text())
        assert rect.height() >= needed.height(), f"line {row} cut: {item.text()!r}"


def test_cloud_panel_tabs_and_wizard_fit_a_laptop_and_errors_wrap(
    laptop: MainWindow, qloop: qasync.QEventLoop, qtbot: QtBot  # noqa: F811
) -> None:
    clock = ManualClock()
    sim = HikPartnerSimulator(seed=3, clock=clock, calls_per_second=10_000)
    history = DeviceHistory(":memory:")
    runner = TaskRunner(lambda level, text: None, history)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=sim))
    client = HikPartnerClient(http, "https://127.0.0.1:8443", sim.app_key, sim.secret_key, clock=clock)
    context = PanelContext(IDENTITY, Endpoint("127.0.0.1", 8443), client, runner, history,
                           lambda level, text: None)
    devices = sim.info.extra["devices"]
    trouble = sim.info.extra["troubleDevices"]

    async def scenario() -> None:
        site = await client.add_site("Harbour View Apartments, Block C", 133, city="Southampton",
                                     street="12 Ocean Way")
        await client.add_devices(site.id, [DeviceToAdd(d["serial"], d["validateCode"]) for d in devices[:6]])
        panel = HikvisionPanel(context)
        page = tab_page(laptop, panel, "Hik-Partner Pro")
        await wait_until(lambda: panel.picker.list.count() == 1)
        panel.picker.list.setCurrentRow(0)
        await wait_until(lambda: panel.table.rowCount() == 6)
        assert "service https://127.0.0.1:8443/ieuapi" in panel.account_label.text()
        panel.labels.setPlainText("\n".join(f"{d['serial']} {d['validateCode']}" for d in trouble)
                                  + f"\n{devices[6]['serial']} WRONGCODE")
        panel.tabs.setCurrentIndex(1)
        panel.register_button.click()
        await wait_until(lambda: panel.outcomes.count() == 3)
        await wait_until(lambda: panel.team_tab.staff.count() > 0)
        for index in range(panel.tabs.count()):
            panel.tabs.setCurrentIndex(index)
            await asyncio.sleep(0.05)  # the layout settles
            name = panel.tabs.tabText(index).replace("&&", "and").replace(" ", "_").lower()
            save(laptop, f"cloud_tab_{name}")
            assert page.horizontalScrollBar().maximum() == 0, f"tab {name} needs horizontal scrolling"
            assert page.verticalScrollBar().maximum() == 0, f"tab {name} makes the panel scroll"
            button = panel.wizard_button
            where = QRect(button.mapTo(page.viewport(), QPoint(0, 0)), button.size())
            assert page.viewport().rect().contains(where), f"tab {name}: the wizard button is off screen"
        panel.tabs.setCurrentIndex(1)
        await asyncio.sleep(0.05)
        assert_shown_whole(panel.outcomes)
        assert any("EVZ20013" in panel.outcomes.item(r).text() for r in range(panel.outcomes.count()))

        # What the wizard button opens, made here as a top-level window the test owns (a wizard parented
        # to a panel inside the test window outlives it in a way PySide does not survive).
        wizard = EndOfVisitWizard(context, preferred_site_id=site.id)
        qtbot.addWidget(wizard)
        wizard.show()
        screen = (LAPTOP[0] - FRAME_ALLOWANCE, LAPTOP[1] - FRAME_ALLOWANCE)
        for number, wizard_page in enumerate(wizard.pages):
            hint = wizard_page.minimumSizeHint()
            assert hint.width() <= screen[0], (number, hint)
            assert hint.height() <= screen[1] - 120, (number, hint)  # room for the title and buttons
        assert wizard.minimumSizeHint().height() <= screen[1]
        assert wizard.height() <= screen[1]
        assert wizard.width() <= screen[0]
        await asyncio.sleep(0.05)
        save(wizard, "cloud_wizard_site")
        register = wizard.pages[1]
        await wizard.controller.validate_site(site=site)
        wizard.next()
        await wait_until(lambda: wizard.currentPage() is register)
        register.labels.setPlainText("\n".join(f"{d['serial']} {d['validateCode']}" for d in trouble))
        register.register_button.click()
        await wait_until(lambda: register.results.count() == 2)
        wizard.resize(wizard.minimumSizeHint())
        QApplication.processEvents()
        save(wizard, "cloud_wizard_register")
        assert_shown_whole(register.results)
        line = register.results.fontMetrics().lineSpacing()
        assert register.results.visualItemRect(register.results.item(0)).height() >= 2 * line  # wrapped
        wizard.close()
        panel.close()

    run_async(qloop, scenario(), timeout=30)
    runner.cancel_all()
    run_async(qloop, http.aclose())
    history.close()
