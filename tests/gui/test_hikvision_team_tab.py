"""The cloud panel's Team tab against the simulated cloud: managers assigned, the site shared with a partner
and the share stopped, a refused share shown with the vendor's code, the customer's access switched off."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.ui.panel_context import PanelContext
from app.ui.panels.hikvision.panel import HikvisionPanel
from app.ui.panels.tab_pages import show_tab
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.models import DeviceToAdd
from app.vendors.hikvision.simulator import HikPartnerSimulator
from tests.gui.conftest import run_async, wait_until
from tests.gui.test_hikvision_panel import clock, context, notes, sim  # noqa: F401  (fixtures)

PARTNER = "dana.kim@cabling-partner.example"


def test_team_tab_assigns_managers_shares_the_site_and_switches_customer_access_off(
    qtbot: object,
    qloop: object,
    context: PanelContext,  # noqa: F811
    sim: HikPartnerSimulator,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    notes: list[tuple[str, str]],  # noqa: F811
) -> None:
    monkeypatch.setattr(HikvisionPanel, "POLL_SECONDS", 0.05)
    monkeypatch.setattr(QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Yes)
    client: HikPartnerClient = context.client  # type: ignore[assignment]
    first = sim.info.extra["devices"][0]

    async def prepare() -> None:
        site = await client.add_site("Team Site", 48)
        await client.add_devices(site.id, [DeviceToAdd(first["serial"], first["validateCode"])])

    run_async(qloop, prepare())  # type: ignore[arg-type]
    panel = HikvisionPanel(context)
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    panel.show()
    tab = panel.team_tab

    async def scenario() -> None:
        await wait_until(lambda: panel.picker.list.count() == 1)
        panel.choose_site(panel.picker.list.item(0).data(Qt.ItemDataRole.UserRole))
        show_tab(panel.tabs, tab)
        await wait_until(lambda: tab.staff.count() == 4)
        assert tab.managers_label.text() == "Managers: Alex Morgan"
        assert not tab.access_box.isEnabled()  # not handed over yet
        sam = next(tab.staff.item(r) for r in range(tab.staff.count()) if "Sam" in tab.staff.item(r).text())
        sam.setCheckState(Qt.CheckState.Checked)
        tab.manager_duration.setCurrentIndex(2)  # 7 days
        tab.assign_button.click()
        await wait_until(lambda: "Sam Okafor until" in tab.managers_label.text())
        assert "Alex Morgan" in tab.managers_label.text()

        tab.partner_email.setText("nobody@unknown.example")
        tab.share_button.click()
        await wait_until(lambda: any("LAP008082" in text for _, text in notes))
        assert tab.sharing_label.text() == "Not shared with another company."

        tab.partner_email.setText(PARTNER)
        tab.share_duration.setCurrentIndex(5)  # 24 hours
        tab.share_button.click()
        await wait_until(lambda: "waiting for them to accept" in tab.sharing_label.text())
        assert not tab.share_button.isEnabled()
        assert sim.state.sites[panel.site.id].share is not None  # type: ignore[union-attr]
        tab.stop_share_button.click()
        await wait_until(lambda: tab.sharing_label.text() == "Not shared with another company.")

        site = panel.site
        assert site is not None
        await client.hand_over(site.id, "owner@customer.example", await client.site_devices(site.id))
        tab.show_site()
        await wait_until(tab.access_box.isEnabled)
        assert tab.access_box.isChecked()
        tab.access_box.setChecked(False)
        tab.access_button.click()
        await wait_until(lambda: "switched off" in tab.access_label.text())
        assert sim.state.sites[site.id].cloud_enable is False

    run_async(qloop, scenario(), timeout=30)  # type: ignore[arg-type]
    panel.close()
    errors = [text for level, text in notes if level == "error"]
    assert len(errors) == 1
    assert "does not exist or is banned" in errors[0]
