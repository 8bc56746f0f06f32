"""The Inxpect panel against an in-process simulated MSK-101-POE on a ManualClock (see conftest)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.ui.panels.inxpect import config_tab, device_tab
from app.ui.panels.inxpect.calibration_wizard import CalibrationWizard
from app.ui.panels.inxpect.panel import InxpectPanel
from app.vendors.inxpect.calibration import CalibrationStep
from app.vendors.inxpect.ifw_builder import firmware_package
from tests.gui.conftest import run_async, wait_until
from tests.gui.inxpect.conftest import Harness, open_panel


def test_live_plot_receives_targets_once_each(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = open_panel(qtbot, harness)
    drawn: list[int] = []
    panel.live.on_drawn = lambda frames, _t: drawn.extend(f.frame.acq_idx for f in frames)

    async def scenario() -> None:
        while panel.live.drawn_frames < 40:
            await harness.tick(0.1)
        await wait_until(lambda: panel.live.ring.count > 0)
        await wait_until(lambda: "sensor firmware 1.100" in panel.header.text())  # read from /sensorInfo

    run_async(qloop, scenario())
    assert len(drawn) == len(set(drawn))  # no frame drawn twice
    assert drawn == sorted(drawn)
    _t, ids, distance, _ = panel.live.ring.window(-1.0)
    assert 1 in set(ids.tolist())  # the walking person's track
    assert ((distance > 0.4) & (distance < 20.1)).all()
    shown = panel.live.counter_label.text()  # refreshed four times a second, not every frame
    assert shown.startswith("frame ")
    assert 0 <= int(shown.removeprefix("frame ")) <= panel.live.last_drawn_idx
    assert "ALARM" in panel.live.alarm_banner.text() or "alarm" in panel.live.alarm_banner.text()
    panel.live.pause_button.click()
    assert harness.client is panel.client
    assert panel.feed.paused
    panel.close()
    assert not harness.tasks._owned.get(id(panel))


def test_alarm_banner_in_words(qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness) -> None:
    panel = open_panel(qtbot, harness)
    harness.sim.use_scene("empty")
    harness.sim.scenarios.enable("input_voltage_out_of_range")

    async def scenario() -> None:
        await harness.tick(0.3)
        await wait_until(lambda: "input voltage" in panel.live.alarm_banner.text())

    run_async(qloop, scenario())
    assert panel.live.alarm_banner.text().startswith("ALARM — Fault: input voltage out of range")


def open_wizard_ready(qtbot: QtBot, panel: InxpectPanel) -> CalibrationWizard:
    """The calibration wizard with both preconditions ticked by the technician (the scene not yet checked)."""
    wizard = panel.open_calibration_wizard()
    qtbot.addWidget(wizard)
    wizard.preconditions.static_box.setChecked(True)
    wizard.preconditions.object_box.setChecked(True)
    return wizard


def test_calibration_wizard_end_to_end(qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness) -> None:
    panel = open_panel(qtbot, harness)
    harness.sim.use_scene("empty")
    wizard = open_wizard_ready(qtbot, panel)
    page = wizard.preconditions
    assert not page.isComplete()

    async def scenario() -> None:
        await harness.tick(2.0, step=0.5)
        page.check_button.click()
        await wait_until(page.isComplete)
        wizard.next()
        wizard.calibrating.start_button.click()
        await wait_until(lambda: harness.sim.radar.calibration is not None)
        harness.sim.use_scene("calibration")
        while wizard.calibrating.view.drawn_frames < 5:
            await harness.tick(0.1)
        await harness.tick(15, step=0.5)
        wizard.calibrating.stop_button.click()
        await wait_until(wizard.calibrating.isComplete)
        wizard.next()
        assert "Calibration succeeded" in wizard.result_page.explanation.text()
        wizard.result_page.save_button.click()
        await wait_until(wizard.result_page.isComplete)
        assert wizard.result_page.explanation.text().startswith("✓ Calibration saved")
        coefficient = panel.configuration.editors["calibration_coefficient"][1]
        await wait_until(lambda: coefficient() == wizard.controller.saved_coefficient)  # the form re-read
        harness.sim.use_scene("site")
        wizard.next()
        while wizard.controller.step is not CalibrationStep.DONE:
            await harness.tick(0.2, step=0.1)
            await asyncio.sleep(0.01)
        await wait_until(wizard.walk_test.isComplete)

    run_async(qloop, scenario(), timeout=40)
    assert "Object:" in wizard.calibrating.feedback.text()
    assert "m, size" in wizard.calibrating.feedback.text()
    assert harness.sim.config.calibration_coefficient == wizard.controller.saved_coefficient
    assert "as configured" in wizard.walk_test.result_label.text()
    wizard.close()


def test_failed_calibration_offers_retry(qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness) -> None:
    panel = open_panel(qtbot, harness)
    harness.sim.use_scene("empty")
    wizard = panel.open_calibration_wizard()
    qtbot.addWidget(wizard)
    wizard.preconditions.static_box.setChecked(True)
    wizard.preconditions.object_box.setChecked(True)

    async def scenario() -> None:
        await harness.tick(2.0, step=0.5)
        wizard.preconditions.check_button.click()
        await wait_until(wizard.preconditions.isComplete)
        wizard.next()
        wizard.calibrating.start_button.click()
        await wait_until(lambda: harness.sim.radar.calibration is not None)
        await harness.tick(10, step=0.5)
        wizard.calibrating.stop_button.click()
        await wait_until(wizard.calibrating.isComplete)
        wizard.next()

    run_async(qloop, scenario())
    assert "Calibration failed" in wizard.result_page.explanation.text()
    assert not wizard.result_page.save_button.isVisibleTo(wizard.result_page)
    wizard.result_page.retry_button.click()
    assert wizard.currentPage() is wizard.preconditions
    assert not wizard.preconditions.isComplete()  # the scene is checked again on every attempt
    wizard.close()


def test_default_password_gate(qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path) -> None:
    harness = Harness(tmp_path, password=None)
    run_async(qloop, harness.client.login())
    panel = open_panel(qtbot, harness)
    assert panel.stack.currentWidget() is panel.gate
    panel.gate.new_password.setText("short")
    panel.gate.repeat.setText("short")
    panel.gate.button.click()
    assert "8 characters" in panel.gate.problem.text()
    panel.gate.new_password.clear()
    panel.gate.repeat.clear()
    qtbot.keyClicks(panel.gate.new_password, "new-site-pass")
    qtbot.keyClick(panel.gate.new_password, Qt.Key.Key_Return)  # on to "Repeat"
    qtbot.keyClicks(panel.gate.repeat, "new-site-pass")
    qtbot.keyClick(panel.gate.repeat, Qt.Key.Key_Return)  # Enter submits, as the button does
    run_async(qloop, wait_until(lambda: panel.stack.currentWidget() is panel.tabs))
    assert harness.sim.password == "new-site-pass"
    assert not harness.sim.password_is_default
    panel.close()
    harness.tasks.cancel_all()
    run_async(qloop, harness.http.aclose())
    harness.history.close()


def test_configuration_diff_then_save_and_read_back(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(config_tab, "confirm", lambda parent, title, text: asked.append(text) or True)
    panel = open_panel(qtbot, harness)
    tab = panel.configuration
    run_async(qloop, wait_until(lambda: tab.current is not None))
    _widget, _, setter = tab.editors["alarm_distance"]
    setter(6500)
    tab.save_button.click()
    run_async(
        qloop,
        wait_until(lambda: harness.sim.config.alarm_distance == 6500 and "read back" in tab.status.text()),
    )
    assert "Alarm area ends at: 8.00 m → 6.50 m" in asked[0]
    puts = [r for r in harness.sim.requests if r.path == "/sensorConfiguration" and r.method == "PUT"]
    assert puts[-1].body == b'{"configuration":{"alarmDistance":6500}}'


def test_firmware_fault_reports_running_firmware(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, tmp_path: Path
) -> None:
    package = tmp_path / "CBPOE.ifw"
    package.write_bytes(firmware_package(1, 1209, 64 * 1024))
    harness.sim.update.file_chunk_size = 8 * 1024
    harness.sim.scenarios.enable("update_write_error", times=1, after=3)
    panel = open_panel(qtbot, harness)
    tab = panel.firmware
    tab.open_package(package)
    run_async(qloop, wait_until(tab.update_button.isEnabled))
    assert "network board firmware: 1.207 → 1.209" in tab.summary.text()
    tab.update_button.click()
    run_async(qloop, wait_until(lambda: "still runs" in tab.state.text()))
    assert "network board firmware 1.207" in tab.state.text()
    assert harness.sim.comboard_firmware == 1207


def test_resets_confirm_what_they_erase(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(device_tab, "confirm", lambda parent, title, text: asked.append(text) or False)
    panel = open_panel(qtbot, harness)
    buttons = {b.text(): b for b in panel.device.findChildren(QPushButton)}
    buttons["Reset sensor configuration…"].click()
    buttons["Reset network board…"].click()
    assert "erases the alarm and pre-alarm distances" in asked[0]
    assert "erases the network settings" in asked[1]
    assert "password" in asked[1]
    assert not any(r.path in ("/sensorReset", "/comboardReset") for r in harness.sim.requests)


def test_firmware_cancel_aborts_with_force(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, tmp_path: Path
) -> None:
    package = tmp_path / "sensor.ifw"
    package.write_bytes(firmware_package(0, 1102, 64 * 1024))
    harness.sim.update.file_chunk_size = 4 * 1024
    panel = open_panel(qtbot, harness)
    tab = panel.firmware
    tab.open_package(package)
    run_async(qloop, wait_until(tab.update_button.isEnabled))
    send_chunk = harness.client.send_file_chunk
    sent: list[int] = []

    async def send_then_cancel(filename: str, chunk: bytes, offset: int, total: int) -> None:
        await send_chunk(filename, chunk, offset, total)
        sent.append(offset)
        if len(sent) == 3:
            next(info for info in harness.tasks.running if info.title.startswith("Updating")).task.cancel()

    harness.client.send_file_chunk = send_then_cancel  # type: ignore[method-assign]
    tab.update_button.click()
    run_async(qloop, wait_until(lambda: "aborted" in tab.state.text()))
    assert "still runs sensor firmware 1.100" in tab.state.text()
    stops = [r for r in harness.sim.requests if r.path == "/stopProcessUpdate"]
    assert stops[-1].body == b'{"force":1}'
    assert len(sent) == 3
    assert harness.sim.sensor_firmware == 1100


def test_live_polling_only_while_the_live_tab_shows(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = open_panel(qtbot, harness)

    def polls() -> int:
        return sum(1 for r in harness.sim.requests if r.path == "/detectionStatus")

    async def scenario() -> None:
        await wait_until(lambda: polls() > 3)
        feed_task = panel._feed_task
        assert feed_task is not None
        panel.show_tab(panel.configuration)
        await wait_until(feed_task.done)
        assert feed_task.cancelled()
        settled = polls()
        panel.tabs.setCurrentWidget(panel.live)
        await wait_until(lambda: polls() > settled)

    run_async(qloop, scenario())


def test_confirmed_sensor_reset_reloads_the_configuration(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(device_tab, "confirm", lambda parent, title, text: True)
    harness.sim.config = harness.sim.config.with_changes(alarm_distance=5000)
    panel = open_panel(qtbot, harness)
    tab = panel.configuration
    run_async(qloop, wait_until(lambda: tab.current is not None and tab.current.alarm_distance == 5000))
    buttons = {b.text(): b for b in panel.device.findChildren(QPushButton)}
    buttons["Reset sensor configuration…"].click()
    run_async(qloop, wait_until(lambda: tab.current is not None and tab.current.alarm_distance == 8000))
    assert [r.method for r in harness.sim.requests if r.path == "/sensorReset"] == ["PUT"]
    assert any("factory defaults" in text for _, text in harness.notes)


def test_scene_check_waits_until_the_area_is_clear(qtbot: QtBot, qloop: qasync.QEventLoop,
                                                   harness: Harness) -> None:
    panel = open_panel(qtbot, harness)
    harness.sim.use_scene("crowd")
    wizard = open_wizard_ready(qtbot, panel)
    page = wizard.preconditions

    async def scenario() -> None:
        await harness.tick(0.5)
        page.check_button.click()
        await wait_until(lambda: "Waiting for the area to clear" in page.check_label.text())
        assert not page.isComplete()
        harness.sim.use_scene("empty")
        while not page.isComplete():
            await harness.tick(0.5, step=0.25)

    run_async(qloop, scenario())
    assert page.check_label.text().startswith("✓ Nothing moves in the field")
    wizard.close()


def test_calibration_plot_shows_the_sensor_field_before_start(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = open_panel(qtbot, harness)
    run_async(qloop, wait_until(lambda: "sensor firmware" in panel.header.text()))  # field of view read
    wizard = panel.open_calibration_wizard()
    qtbot.addWidget(wizard)
    info = run_async(qloop, harness.client.read_info())
    assert wizard.field_of_view == (info.sensor.min_angle, info.sensor.max_angle, info.sensor.max_distance)
    far_m = info.sensor.max_distance / 1000
    (_x_range, (_near, far)) = wizard.calibrating.view.top_plot.viewRange()
    assert far >= far_m
    assert far < far_m * 1.2
    assert not wizard.calibrating.view.alarm_banner.isVisibleTo(wizard.calibrating)  # the object alarms
