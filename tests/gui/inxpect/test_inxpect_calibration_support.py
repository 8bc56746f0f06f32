"""The calibration wizard's zone-based calibration (operation 2) and its support-data export."""

from __future__ import annotations

import json
import os
from pathlib import Path

import qasync
from pytestqt.qtbot import QtBot

from app.backend.evidence import CALIBRATION_SAVED
from tests.gui.conftest import run_async, wait_until
from tests.gui.inxpect.conftest import Harness, open_panel
from tests.gui.inxpect.test_inxpect_panel import open_wizard_ready

SHOTS = os.environ.get("COMMISSIONER_SHOTS")


def test_zone_based_calibration_then_export_of_its_peaks(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, tmp_path: Path
) -> None:
    panel = open_panel(qtbot, harness)
    harness.sim.use_scene("empty")
    wizard = open_wizard_ready(qtbot, panel)
    target = tmp_path / "support" / "calibration.json"

    async def scenario() -> None:
        await harness.tick(2.0, step=0.5)
        wizard.preconditions.check_button.click()
        await wait_until(wizard.preconditions.isComplete)
        wizard.next()
        wizard.calibrating.zone_based.setChecked(True)
        wizard.calibrating.start_button.click()
        await wait_until(lambda: harness.sim.radar.calibration is not None)
        assert not wizard.calibrating.standard.isEnabled()
        harness.sim.use_scene("calibration")
        await harness.tick(15, step=0.5)
        wizard.calibrating.stop_button.click()
        await wait_until(wizard.calibrating.isComplete)
        wizard.next()
        await wizard.result_page.export(target)
        wizard.result_page.save_button.click()
        await wait_until(wizard.result_page.isComplete)

    run_async(qloop, scenario(), timeout=40)
    sent = [r.json() for r in harness.sim.requests.for_path("/calibrationStatus")]
    assert sent[0] == {"operation": 2}
    body = json.loads(target.read_bytes())
    assert body["operation"] == 2
    assert body["calibrationData"]["peaks"] == harness.sim.radar.calibration.peaks  # type: ignore[union-attr]
    peaks = len(body["calibrationData"]["peaks"])
    assert wizard.result_page.export_note.text().startswith(f"Saved {peaks} peaks")
    saved = next(e for e in harness.history.entries("inxpect:20001") if e.action == CALIBRATION_SAVED)
    assert saved.detail["kind"] == "zone-based"
    if SHOTS:
        wizard.back()
        wizard.resize(900, 640)
        wizard.grab().save(str(Path(SHOTS) / "inxpect-calibration-kinds.png"))
    wizard.close()
