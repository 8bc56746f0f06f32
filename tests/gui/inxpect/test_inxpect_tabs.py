"""The Inxpect panel's configuration, firmware and device tabs as a technician meets them."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest
import qasync
from pytestqt.qtbot import QtBot

from app.ui.panels.inxpect import config_tab
from app.ui.panels.inxpect.device_tab import duration_text, started_at
from app.ui.panels.inxpect.firmware_tab import FirmwareTab, human_size
from app.vendors.inxpect.ifw_builder import firmware_package, web_package
from tests.gui.conftest import run_async, wait_until
from tests.gui.inxpect.conftest import Harness, open_panel


def test_saving_after_a_calibration_warns_only_about_fields_sent(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config_tab, "confirm", lambda parent, title, text: True)
    panel = open_panel(qtbot, harness)
    tab = panel.configuration
    run_async(qloop, wait_until(lambda: tab.current is not None))
    assert tab.editors["mount_elevation"][0].text().endswith("°")  # type: ignore[attr-defined]
    # A calibration saved meanwhile changed the coefficient behind the form.
    harness.sim.config = harness.sim.config.with_changes(calibration_coefficient=1002)
    tab.editors["alarm_distance"][2](6000)
    tab.save_button.click()
    run_async(qloop, wait_until(lambda: "read back" in tab.status.text() or "⚠" in tab.status.text()))
    assert tab.status.text() == "Saved and read back: the sensor has the new configuration."
    assert tab.editors["calibration_coefficient"][1]() == 1002
    actions = lambda: [e.action for e in harness.history.entries("inxpect:20001")]  # noqa: E731
    run_async(qloop, wait_until(lambda: "Saving the configuration" in actions()))  # the operation's outcome
    entries = harness.history.entries("inxpect:20001")
    saved = next(e for e in entries if e.action == "Configuration saved")
    assert saved.detail == {"changes": "Alarm area ends at: 8.00 m → 6.00 m"}
    assert not [e.action for e in entries if e.action.startswith("Reading")]  # reads change nothing


def test_a_bad_package_clears_the_previous_one(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, tmp_path: Path
) -> None:
    good = tmp_path / "sensor.ifw"
    good.write_bytes(firmware_package(0, 1100, 2 * 1024 * 1024))
    bad = tmp_path / "bad.ifw"
    bad.write_text("not a zip")
    panel = open_panel(qtbot, harness)
    tab = panel.firmware
    tab.open_package(good)
    run_async(qloop, wait_until(tab.update_button.isEnabled))
    assert tab.allow_downgrade.isVisibleTo(tab)  # same version as the device runs
    item = tab.contents.topLevelItem(0)
    assert item is not None
    assert item.text(1) == "2.0 MiB"
    assert tab.summary.text().startswith("radar sensor firmware: 1.100 → 1.100")
    tab.open_package(bad)
    run_async(qloop, wait_until(lambda: tab.summary.text().startswith("✗")))
    assert "not a readable zip" in tab.summary.text()
    assert tab.contents.topLevelItemCount() == 0
    assert not tab.allow_downgrade.isVisibleTo(tab)
    assert not tab.update_button.isEnabled()
    assert tab.state.text() == ""


def update_from(qloop: qasync.QEventLoop, tab: FirmwareTab, package: Path) -> None:
    """Choose `package`, press Update once it is checked, and wait for the completed update."""
    tab.open_package(package)
    run_async(qloop, wait_until(tab.update_button.isEnabled))
    tab.update_button.click()
    run_async(qloop, wait_until(lambda: tab.state.text().startswith("✓")))


def test_web_update_says_which_web_interface_runs(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, tmp_path: Path
) -> None:
    package = tmp_path / "web.ifw"
    package.write_bytes(web_package(1210))
    panel = open_panel(qtbot, harness)
    update_from(qloop, panel.firmware, package)
    assert "web interface 1.210" in panel.firmware.state.text()


def test_after_an_update_the_header_and_the_device_list_show_the_new_firmware(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, tmp_path: Path
) -> None:
    reported: list[str] = []
    harness.context = dataclasses.replace(harness.context, firmware_read=reported.append)
    package = tmp_path / "sensor.ifw"
    package.write_bytes(firmware_package(0, 1102, 64 * 1024))
    panel = open_panel(qtbot, harness)
    run_async(qloop, wait_until(lambda: reported == ["1.100 (board 1.207)"]))  # read when the panel opened
    assert "sensor firmware 1.100" in panel.header.text()
    update_from(qloop, panel.firmware, package)
    assert "sensor firmware 1.102" in panel.header.text()
    assert reported[-1] == "1.102 (board 1.207)"


def test_static_address_fields_follow_the_address_mode(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = open_panel(qtbot, harness)
    network = panel.device.network
    run_async(qloop, wait_until(lambda: network.settings is not None))
    assert network.dhcp.isChecked()
    assert not network.address.isEnabled()
    assert network.auto_fallback.isEnabled()
    network.static.setChecked(True)
    assert network.address.isEnabled()
    assert network.gateway.isEnabled()
    assert not network.auto_fallback.isEnabled()


def test_saving_the_name_says_so(qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness) -> None:
    panel = open_panel(qtbot, harness)
    device = panel.device
    device.name_edit.setText("hall-radar-1")
    device.name_button.click()
    run_async(qloop, wait_until(lambda: device.name_note.text() != ""))
    assert harness.sim.name == "hall-radar-1"
    assert "hall-radar-1" in device.name_note.text()
    assert device.network.name_resolution.text() == "Name resolution (mDNS / NetBIOS: hall-radar-1.local)"


def test_event_times_and_sizes_read_as_a_technician_expects() -> None:
    now = datetime(2026, 11, 22, 8, 15, 0)
    assert started_at(now, 844) == "08:00:56"
    assert started_at(now, 9 * 3600) == "2026-11-21 23:15"
    assert duration_text(45) == "45 s"
    assert duration_text(844) == "14 min 4 s"
    assert duration_text(7500) == "2 h 5 min"
    assert human_size(512) == "512 B"
    assert human_size(192 * 1024) == "192.0 KiB"
    assert human_size(160 * 1024 * 1024) == "160.0 MiB"


def test_event_log_reads_clock_time_first(qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness) -> None:
    panel = open_panel(qtbot, harness)
    device = panel.device

    async def scenario() -> None:
        await harness.tick(20.0, step=0.1)  # the demo scene's walker crosses the alarm areas
        device.reload()
        await wait_until(lambda: device.events.rowCount() > 0)

    run_async(qloop, scenario())
    cells = [device.events.item(0, column) for column in range(4)]
    texts = [cell.text() if cell is not None else "" for cell in cells]
    assert texts[0].count(":") == 2  # a clock time, not "N s ago"
    assert texts[1].startswith("Intrusion")
    assert texts[1].endswith(" m")
    assert texts[2].endswith(" s")
