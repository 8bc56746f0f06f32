"""Semi-static settings and exit modes in the configuration editor: editable where their mode uses them,
sent only when the technician changed them, exactly as typed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QDoubleSpinBox
from pytestqt.qtbot import QtBot

from app.ui.panels.inxpect import config_tab
from app.ui.panels.inxpect.zones_editor import ZonesEditor
from app.vendors.inxpect.models import ManualZone
from tests.gui.conftest import run_async, wait_until
from tests.gui.inxpect.conftest import Harness, open_panel
from tests.gui.inxpect.test_inxpect_untouched import config_puts

SHOTS = os.environ.get("COMMISSIONER_SHOTS")
ZONES = (ManualZone(2000, 3500), ManualZone(6000, 7251))


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    questions: list[str] = []
    monkeypatch.setattr(config_tab, "confirm", lambda parent, title, text: questions.append(text) or True)
    return questions


def test_manual_zones_and_exit_modes_are_sent_only_as_edited(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, asked: list[str]
) -> None:
    harness.sim.config = harness.sim.config.with_changes(
        ss_mode=4, ss_max_size=1234, ss_num_max_zones=3, ss_manual_zones=ZONES,
        anti_masking_exit_mode=3, anti_tamper_exit_mode=5,
    )
    panel = open_panel(qtbot, harness)
    panel.show_tab(panel.configuration)
    tab = panel.configuration
    run_async(qloop, wait_until(lambda: tab.current is not None))
    zones = tab.editors["ss_manual_zones"][0]
    assert isinstance(zones, ZonesEditor)
    assert zones.isEnabled()
    assert tab.editors["ss_max_size"][0].isEnabled()
    assert tab.edited() == tab.current  # 1.234 m shown as 1.23 m is still the sensor's 1234 mm
    first_to = zones.table.cellWidget(0, 1)
    assert isinstance(first_to, QDoubleSpinBox)
    first_to.setValue(3.6)
    tab.editors["anti_tamper_exit_mode"][0].setValue(1)  # type: ignore[attr-defined]
    if SHOTS:
        panel.resize(1366, 768)
        panel.grab().save(str(Path(SHOTS) / "inxpect-semi-static.png"))
    tab.save_button.click()
    run_async(qloop, wait_until(lambda: "read back" in tab.status.text() or "⚠ The" in tab.status.text()))
    assert config_puts(harness) == [{"configuration": {
        "antiTamperExitMode": 1, "ssManualZones": [{"min": 2000, "max": 3600}, {"min": 6000, "max": 7251}],
    }}]
    assert "Semi-static manual zones: 2.00–3.50 m, 6.00–7.25 m → 2.00–3.60 m, 6.00–7.25 m" in asked[0]
    assert harness.sim.config.ss_max_size == 1234
    assert harness.sim.config.anti_masking_exit_mode == 3


def test_adding_a_zone_and_switching_modes(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, asked: list[str]
) -> None:
    panel = open_panel(qtbot, harness)
    tab = panel.configuration
    run_async(qloop, wait_until(lambda: tab.current is not None))
    zones = tab.editors["ss_manual_zones"][0]
    assert isinstance(zones, ZonesEditor)
    assert not zones.isEnabled()  # factory mode 0: no semi-statics
    assert not tab.editors["ss_num_max_zones"][0].isEnabled()
    mode = tab.editors["ss_mode"][0]
    mode.setCurrentIndex(mode.findData(3))  # type: ignore[attr-defined]
    assert tab.editors["ss_num_max_zones"][0].isEnabled()
    assert not zones.isEnabled()
    mode.setCurrentIndex(mode.findData(4))  # type: ignore[attr-defined]
    assert zones.isEnabled()
    zones.add_button.click()
    tab.editors["ss_num_max_zones"][0].setValue(1)  # type: ignore[attr-defined]
    tab.save_button.click()
    run_async(qloop, wait_until(lambda: "read back" in tab.status.text() or "⚠ The" in tab.status.text()))
    assert config_puts(harness) == [{"configuration": {
        "ssMode": 4, "ssNumMaxZones": 1, "ssManualZones": [{"min": 1500, "max": 2500}],
    }}]
    assert harness.sim.config.ss_manual_zones == (ManualZone(1500, 2500),)
    assert tab.status.text() == "Saved and read back: the sensor has the new configuration."
