"""The Inxpect panel's configuration backup: save to a file, then restore after a per-setting preview."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import qasync
from pytestqt.qtbot import QtBot

from app.ui.panels.inxpect import backup_box
from tests.gui.conftest import run_async, wait_until
from tests.gui.inxpect.conftest import Harness, open_panel

SHOTS = os.environ.get("COMMISSIONER_SHOTS")


def test_save_then_restore_previews_each_change_and_leaves_the_network_alone(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    questions: list[str] = []
    monkeypatch.setattr(backup_box, "confirm", lambda parent, title, text: questions.append(text) or True)
    panel = open_panel(qtbot, harness)
    panel.show_tab(panel.device)
    box = panel.device.backup
    target = tmp_path / "radar.json"
    run_async(qloop, box.save(target))
    assert json.loads(target.read_bytes())["device"]["serial"] == "20001"
    assert box.status.text().startswith(f"Saved 21 settings to {target}.")

    harness.sim.config = harness.sim.config.with_changes(alarm_distance=5500, anti_tamper_mode=0)
    harness.sim.name = "moved-on"
    harness.sim.requests.clear()
    run_async(qloop, box.preview(target))
    run_async(qloop, wait_until(lambda: "Restored radar.json" in box.status.text()))
    assert questions == [questions[0]]
    assert "• Alarm area ends at: 5.50 m → 8.00 m" in questions[0]
    assert "• Anti-tamper: Disabled → Alarm when the sensor is moved" in questions[0]
    assert "Network settings and name are not touched." in questions[0]
    sent = [r.json() for r in harness.sim.requests.for_path("/sensorConfiguration", "PUT")]
    assert sent == [{"configuration": {"alarmDistance": 8000, "antiTamperMode": 2}}]
    assert harness.sim.name == "moved-on"
    assert box.status.text() == "Restored radar.json: 2 setting(s) changed and read back equal."
    run_async(qloop, wait_until(lambda: panel.configuration.current is not None
                                and panel.configuration.current.alarm_distance == 8000))
    restored = [e for e in harness.history.entries("inxpect:20001") if e.action == "Configuration restored"]
    assert restored[0].detail["file"] == "radar.json"
    if SHOTS:
        panel.resize(1366, 768)
        panel.grab().save(str(Path(SHOTS) / "inxpect-device-tab-backup.png"))


def test_a_refused_preview_sends_nothing(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup_box, "confirm", lambda parent, title, text: False)
    panel = open_panel(qtbot, harness)
    box = panel.device.backup
    target = tmp_path / "radar.json"
    run_async(qloop, box.save(target))
    harness.sim.config = harness.sim.config.with_changes(led_mode=1)
    harness.sim.requests.clear()
    run_async(qloop, box.preview(target))
    run_async(qloop, wait_until(lambda: "cancelled" in box.status.text()))
    assert harness.sim.requests.for_path("/sensorConfiguration", "PUT") == []
    assert harness.sim.config.led_mode == 1


def test_a_file_that_is_not_a_backup_is_refused_in_words(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, tmp_path: Path
) -> None:
    panel = open_panel(qtbot, harness)
    box = panel.device.backup
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}')
    task = box.preview(other)
    run_async(qloop, wait_until(task.done))
    assert box.status.text() == (
        "Comparing the backup with the sensor failed: This file is not an MSK-101-POE configuration backup."
    )
