"""The Inxpect panel tells the truth: untouched fields, network bits, calibration, live state."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QDoubleSpinBox
from pytestqt.qtbot import QtBot

from app.ui.panels.inxpect import config_tab, device_tab, firmware_tab
from app.ui.panels.inxpect.live_view import ALARM_COLOUR, PRE_ALARM_COLOUR, LiveTargetsView
from app.vendors.inxpect.ifw_builder import firmware_package
from app.vendors.inxpect.live import (
    ALARM_AREA_CAUSE,
    PRE_ALARM_AREA_CAUSE,
    Alarm,
    AlarmStatus,
    AlarmType,
    DetectionFrame,
    Target,
)
from app.vendors.inxpect.live_feed import LiveFeed
from app.vendors.inxpect.models import SENSITIVITY_FLAG
from tests.gui.conftest import run_async, wait_until
from tests.gui.inxpect.conftest import Harness, open_panel
from tests.gui.inxpect.test_inxpect_panel import open_wizard_ready


def config_puts(harness: Harness) -> list[object]:
    """The bodies of every PUT /sensorConfiguration the sensor received, decoded."""
    return [
        json.loads(r.body)
        for r in harness.sim.requests
        if r.path == "/sensorConfiguration" and r.method == "PUT"
    ]


def test_values_beyond_the_documents_typical_ranges_stay_untouched_and_warn(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(config_tab, "confirm", lambda parent, title, text: asked.append(text) or True)
    harness.sim.config = harness.sim.config.with_changes(
        mount_height=4500, calibration_coefficient=60000, channel=20, alarm_sensitivity=250, mount_azimuth=181
    )
    panel = open_panel(qtbot, harness)
    tab = panel.configuration
    run_async(qloop, wait_until(lambda: tab.current is not None))
    height = tab.editors["mount_height"][0]
    assert isinstance(height, QDoubleSpinBox)
    assert height.value() == 4.5  # shown as the sensor holds it, not clamped to 4.00 m
    assert tab.edited() == tab.current  # nothing the technician did not touch differs
    warning = tab.unexpected.text()
    assert "Mounting height: 4.50 m is outside the typical range the vendor document shows" in warning
    assert "Calibration coefficient: 60000 is outside" in warning
    assert "Radio channel (0 = alone, 1 = A, …): 20 is outside" in warning
    assert "Pet tolerance (75 % = calibration object): 250 is not a percentage" in warning
    panel.configuration.editors["alarm_distance"][0].setValue(6.0)  # type: ignore[attr-defined]
    tab.save_button.click()
    run_async(qloop, wait_until(lambda: "read back" in tab.status.text() or "⚠ The" in tab.status.text()))
    assert config_puts(harness) == [{"configuration": {"alarmDistance": 6000}}]
    assert harness.sim.config.mount_height == 4500
    assert harness.sim.config.alarm_sensitivity == 250
    assert "Mounting height" not in asked[0]


def test_a_value_typed_beyond_the_typical_range_is_sent_with_a_warning(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(config_tab, "confirm", lambda parent, title, text: asked.append(text) or False)
    panel = open_panel(qtbot, harness)
    tab = panel.configuration
    run_async(qloop, wait_until(lambda: tab.current is not None))
    tab.editors["calibration_coefficient"][0].setValue(70000)  # type: ignore[attr-defined]
    assert "Calibration coefficient: 70000 is outside" in tab.unexpected.text()
    tab.save_button.click()
    assert "Calibration coefficient: 1000 → 70000" in asked[0]
    assert "Unexpected, sent as typed" in asked[0]
    assert config_puts(harness) == []  # the technician said No


@pytest.mark.parametrize(("stored", "shown"), [(4, "auto_ip"), (6, "auto_ip"), (0, "static"), (5, "dhcp")])
def test_the_network_box_keeps_every_flag_it_was_given(
    qtbot: QtBot,
    qloop: qasync.QEventLoop,
    harness: Harness,
    monkeypatch: pytest.MonkeyPatch,
    stored: int,
    shown: str,
) -> None:
    monkeypatch.setattr(device_tab, "confirm", lambda parent, title, text: True)
    harness.sim.net = harness.sim.net | {"netConfiguration": stored}
    panel = open_panel(qtbot, harness)
    network = panel.device.network
    run_async(qloop, wait_until(lambda: network.settings is not None))
    assert getattr(network, shown).isChecked()
    assert int(network.edited().net_configuration) == stored
    network.save_button.click()
    run_async(qloop, wait_until(lambda: any(r.path == "/netSettings" and r.method == "PUT"
                                             for r in harness.sim.requests)))
    assert harness.sim.net["netConfiguration"] == stored


def test_choosing_auto_ip_only_stores_just_that_bit(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = open_panel(qtbot, harness)
    network = panel.device.network
    run_async(qloop, wait_until(lambda: network.settings is not None))
    network.auto_ip.setChecked(True)
    assert not network.auto_fallback.isEnabled()
    assert int(network.edited().net_configuration) == 6  # auto IP + name resolution, no DHCP


def test_closing_the_wizard_mid_calibration_stops_it_on_the_sensor(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = open_panel(qtbot, harness)
    harness.sim.use_scene("empty")
    wizard = open_wizard_ready(qtbot, panel)

    async def scenario() -> None:
        await harness.tick(2.0, step=0.5)
        wizard.preconditions.check_button.click()
        await wait_until(wizard.preconditions.isComplete)
        wizard.next()
        wizard.calibrating.start_button.click()
        await wait_until(lambda: harness.sim.radar.calibration is not None)
        await harness.tick(1.0, step=0.5)
        wizard.reject()  # Cancel
        await wait_until(lambda: harness.sim.radar.calibration.result is not None)  # type: ignore[union-attr]

    run_async(qloop, scenario())
    stops = [r.body for r in harness.sim.requests if r.path == "/calibrationStatus"]
    assert json.loads(stops[-1]) == {"operation": 0}
    assert any("calibration was stopped on the sensor and nothing was saved" in n for _, n in harness.notes)
    wizard.close()  # closing again sends nothing more
    assert [r.body for r in harness.sim.requests if r.path == "/calibrationStatus"] == stops


def test_flashing_asks_first_and_says_what_changes(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(firmware_tab, "confirm", lambda parent, title, text: asked.append(text) or False)
    package = tmp_path / "sensor.ifw"
    package.write_bytes(firmware_package(0, 1102, 64 * 1024))
    panel = open_panel(qtbot, harness)
    tab = panel.firmware
    tab.open_package(package)
    run_async(qloop, wait_until(tab.update_button.isEnabled))
    tab.update_button.click()
    assert "radar sensor firmware: 1.100 → 1.102" in asked[0]
    assert "Do not power off" in asked[0]
    assert not any(r.path == "/startProcessUpdate" for r in harness.sim.requests)
    assert tab.update_button.isEnabled()


def test_a_sensitivity_byte_without_its_flag_is_unexpected() -> None:
    spec = config_tab.FieldSpec("alarm_sensitivity", "Pet tolerance", "percent", 0, 100)
    assert config_tab.unexpected_value(spec, 75 | SENSITIVITY_FLAG) == ""
    assert config_tab.unexpected_value(spec, 75) == (
        "Pet tolerance: 75 is not a percentage with the 0x80 flag as the document describes"
    )


def pre_alarm_status(cause: int) -> AlarmStatus:
    """A fresh target alarm of `cause` (2 pre-alarm area, 4 alarm area, §3.2)."""
    return AlarmStatus(100, 10, 0, (Alarm(AlarmType.TARGET, cause, Target(0, 9000, 1200)),))


def test_pre_alarm_is_told_apart_from_alarm(qtbot: QtBot) -> None:
    view = LiveTargetsView()
    qtbot.addWidget(view)
    feed = LiveFeed(source=None)  # type: ignore[arg-type]
    view.attach(feed)
    feed.alarms = pre_alarm_status(PRE_ALARM_AREA_CAUSE)
    view.repaint_frames()
    assert view.alarm_banner.text().startswith("PRE-ALARM — ")
    assert PRE_ALARM_COLOUR in view.alarm_banner.styleSheet()
    feed.alarms = pre_alarm_status(ALARM_AREA_CAUSE)
    view.repaint_frames()
    assert view.alarm_banner.text().startswith("ALARM — ")
    assert ALARM_COLOUR in view.alarm_banner.styleSheet()
    view.detach()


def test_the_rate_line_says_reconnecting_and_a_slow_sensor(qtbot: QtBot) -> None:
    view = LiveTargetsView()
    qtbot.addWidget(view)
    feed = LiveFeed(source=None)  # type: ignore[arg-type]
    view.attach(feed)
    feed.accept(DetectionFrame(60, 5, 0, ()))
    view.repaint_frames()
    assert "sensor 60/s" in view.rate_label.text()
    assert "below the 100/s the document gives as normal" in view.rate_warning.text()
    feed.reconnecting = True
    assert view._rate_warning(time.monotonic()) == "⚠ The sensor is not answering — reconnecting…"
    feed.reconnecting = False
    assert view._rate_warning(time.monotonic() + 5).startswith("⚠ No new frame for 5 s")
    view.detach()


def test_the_header_says_when_the_board_wants_its_pin_changed(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = open_panel(qtbot, harness)
    run_async(qloop, wait_until(lambda: "sensor firmware" in panel.header.text()))
    assert "pinResetRequired" not in panel.header.text()
    info = panel._info
    assert info is not None
    board = dataclasses.replace(info.comboard, pin_reset_required=True)
    panel.show_device_info(dataclasses.replace(info, comboard=board))
    assert "pinResetRequired: its password must be changed" in panel.header.text()


def test_the_warning_line_says_when_the_sensor_acquires_fewer_frames_than_it_reports(qtbot: QtBot) -> None:
    view = LiveTargetsView()
    qtbot.addWidget(view)
    now = [0.0]
    feed = LiveFeed(source=None, monotonic=lambda: now[0])  # type: ignore[arg-type]
    view.attach(feed)
    for n in range(40):
        now[0] = n * 0.05
        feed.accept(DetectionFrame(100, 1000 + n * 3, 0, ()))
    assert view._rate_warning(time.monotonic()) == "⚠ it acquires only 60 frames/s of the 100/s it reports"
    view.detach()
