"""The Devices tab's Device time dialog against the simulated cloud: it reads the clock through the ISAPI
pass-through, sets NTP with the site's time zone, shows the read-back, and shows a refusal whole."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.backend import evidence
from app.core.clock import ManualClock
from app.ui.panel_context import PanelContext
from app.ui.panels.hikvision.panel import HikvisionPanel
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.models import DeviceToAdd
from app.vendors.hikvision.simulator import HikPartnerSimulator
from tests.gui.conftest import run_async, wait_until
from tests.gui.test_hikvision_fit import save
from tests.gui.test_hikvision_panel import clock, context, notes, sim  # noqa: F401  (fixtures)


def test_device_time_dialog_sets_ntp_and_the_site_zone_and_shows_the_read_back(
    qtbot: object,
    qloop: object,
    context: PanelContext,  # noqa: F811
    sim: HikPartnerSimulator,  # noqa: F811
    clock: ManualClock,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(HikvisionPanel, "POLL_SECONDS", 0.05)
    client: HikPartnerClient = context.client  # type: ignore[assignment]
    door = sim.info.extra["devices"][0]

    async def prepare() -> None:
        site = await client.add_site("Quay Street 9", 48)  # London, +00:00
        await client.add_devices(site.id, [DeviceToAdd(door["serial"], door["validateCode"])])
        clock.advance(10)  # the door station comes online

    run_async(qloop, prepare())  # type: ignore[arg-type]
    panel = HikvisionPanel(context)
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    panel.show()

    async def scenario() -> None:
        await wait_until(lambda: panel.picker.list.count() == 1)
        panel.choose_site(panel.picker.list.item(0).data(Qt.ItemDataRole.UserRole))
        await wait_until(lambda: panel.table.rowCount() == 1)
        panel.table.selectRow(0)
        panel.devices_tab.time_button.click()
        dialog = panel.devices_tab.time_dialog
        assert dialog is not None
        await wait_until(lambda: dialog.current.text().startswith("The device says:"))
        factory = "(CST-1:00:00) · time mode NTP · NTP server pool.ntp.example:123 every 60 min"
        assert factory in dialog.current.text()
        assert dialog.zone.text() == "CST-1:00:00"
        dialog.site_zone_button.click()
        assert dialog.zone.text() == "CST0:00:00"
        dialog.ntp_address.setText("10.10.10.10")
        dialog.ntp_interval.setValue(30)
        dialog.apply_button.click()
        await wait_until(lambda: dialog.read_back.text().startswith("Set. Read back:"))
        read_back = "(CST0:00:00) · time mode NTP · NTP server 10.10.10.10:123 every 30 min"
        assert read_back in dialog.read_back.text()
        assert sim._isapi.clocks.of(door["serial"]).ntp_address == "10.10.10.10"
        save(dialog, "cloud_device_time")
        entries = context.history.entries(f"hikvision:{door['serial']}")
        assert [e.action for e in entries if e.action != evidence.CLOUD_DEVICE_STATE] == ["Device time set"]

        dialog.ntp_address.setText("ntp server.example")
        dialog.apply_button.click()
        await wait_until(lambda: dialog.read_back.text().startswith("Not set:"))
        assert "“ntp server.example” is not an NTP server address" in dialog.read_back.text()
        assert dialog.read_back.wordWrap()
        dialog.close()

    run_async(qloop, scenario(), timeout=30)  # type: ignore[arg-type]
    panel.close()
