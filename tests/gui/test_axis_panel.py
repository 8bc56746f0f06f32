"""The Axis stitching panel against an in-process simulated camera."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import qasync
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.core.clock import ManualClock
from app.core.models import Credentials, DeviceIdentity, Endpoint
from app.ui.panels.axis.panel import AxisPanel
from app.vendors.axis.alignment import ALIGNMENT_ACTION
from app.vendors.axis.client import AxisClient
from app.vendors.axis.models import SNAPSHOT_PATH, STITCHING_PATH
from app.vendors.axis.simulator import AxisSimulator
from tests.gui.conftest import panel_services, run_async, show_panel, wait_until

ENDPOINT = Endpoint("127.0.0.1", 443)


class Harness:
    """A simulated camera, a client on it, and the panel's context."""

    def __init__(self, tmp_path: Path, scenarios: tuple[str, ...] = ()) -> None:
        self.sim = AxisSimulator(serial_index=1, seed=3, clock=ManualClock())
        for name in scenarios:
            self.sim.scenarios.enable(name)
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.sim), base_url=ENDPOINT.base_url)
        self.client = AxisClient.connect(self.http, ENDPOINT, Credentials("root", self.sim.password))
        self.history = DeviceHistory(tmp_path / "history.sqlite")
        identity = DeviceIdentity("axis", "AXIS Q3819-PVE", serial=self.sim.info.serial)
        services = panel_services(identity, ENDPOINT, self.client, self.history)
        self.context, self.tasks, self.notes = services.context, services.tasks, services.notes

    def calls(self, method: str) -> list[Any]:
        """The params of every stitching.cgi call of `method` answered past authentication, oldest first."""
        return [
            r.json().get("params")
            for r in self.sim.requests.for_path(STITCHING_PATH)
            if r.status == 200 and r.json().get("method") == method
        ]

    def rotations(self) -> list[Any]:
        return self.calls("rotateAngle")

    def snapshots(self) -> int:
        return len(self.sim.requests.for_path(SNAPSHOT_PATH))


@pytest.fixture
def harness(tmp_path: Path, qloop: qasync.QEventLoop) -> Iterator[Harness]:
    made = Harness(tmp_path)
    yield made
    run_async(qloop, made.http.aclose())
    made.history.close()


def open_panel(qtbot: QtBot, harness: Harness) -> AxisPanel:
    return show_panel(qtbot, AxisPanel(harness.context), 1200, 800)


def test_arrow_key_nudges_the_sensor_and_the_preview_refreshes(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = open_panel(qtbot, harness)

    async def scenario() -> None:
        await wait_until(lambda: panel.preview.painted_number >= 1)
        painted, snapshots = panel.preview.painted_number, harness.snapshots()
        panel.select_sensor(2)
        qtbot.keyClick(panel, Qt.Key.Key_Right)
        await wait_until(lambda: panel.preview.painted_number > painted and harness.snapshots() > snapshots)
        assert harness.rotations() == [{"id": 2, "axis": "pan", "angle": 0.05}]
        assert panel.offsets.item(2, 0).text() == "+0.05"
        qtbot.keyClick(panel, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
        await wait_until(lambda: len(harness.rotations()) == 2)
        assert harness.rotations()[1] == {"id": 2, "axis": "roll", "angle": -0.05}

    run_async(qloop, scenario())


def test_undo_and_redo_buttons_send_inverse_rotations(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = open_panel(qtbot, harness)

    async def scenario() -> None:
        await wait_until(lambda: panel.session.capabilities is not None)
        qtbot.keyClick(panel, Qt.Key.Key_Up)
        await wait_until(panel.undo_button.isEnabled)
        qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
        await wait_until(panel.redo_button.isEnabled)
        qtbot.mouseClick(panel.redo_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: len(harness.rotations()) == 3)
        assert [r["angle"] for r in harness.rotations()] == [0.05, -0.05, 0.05]
        assert {r["axis"] for r in harness.rotations()} == {"tilt"}

    run_async(qloop, scenario())


def test_restore_asks_first_and_close_records_the_alignment(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = open_panel(qtbot, harness)
    answers: list[int] = []

    def confirm(sensor_id: int) -> bool:
        answers.append(sensor_id)
        return len(answers) > 1

    panel.confirm_restore = confirm  # type: ignore[method-assign]

    async def scenario() -> None:
        await wait_until(panel.restore_button.isEnabled)
        qtbot.keyClick(panel, Qt.Key.Key_Right)
        await wait_until(lambda: len(harness.rotations()) == 1)
        panel.restore_selected()  # declined
        panel.restore_selected()  # confirmed
        await wait_until(lambda: "restored" in panel.status.text())
        assert harness.calls("restore") == [{"id": 0}]

    run_async(qloop, scenario())
    panel.close()
    entries = harness.history.entries(harness.context.identity.key)
    recorded = [e for e in entries if e.action == ALIGNMENT_ACTION]
    assert recorded[0].detail["automatic"] is True
    assert recorded[0].detail["sensors"]["0"] == {"pan": 0.0, "tilt": 0.0, "roll": 0.0}
    assert recorded[0].detail["apiVersion"] == "3.0"


def test_unsupported_methods_are_disabled_with_the_reason(
    qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    harness = Harness(tmp_path, ("parallax_unsupported",))
    panel = open_panel(qtbot, harness)

    async def scenario() -> None:
        await wait_until(lambda: panel.session.capabilities is not None and panel.blending_box.isEnabled())
        assert not panel.parallax_box.isEnabled()
        assert "setParallaxCompensationDistance" in panel.parallax_box.toolTip()
        await harness.http.aclose()

    run_async(qloop, scenario())
    harness.history.close()


def test_soft_limit_warns_and_hard_limit_refuses(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    key = harness.context.identity.key
    earlier = {"sensors": {"1": {"pan": 1.3, "tilt": 0.0, "roll": 179.8}}}
    harness.history.record(key, ALIGNMENT_ACTION, "recorded", earlier)
    panel = open_panel(qtbot, harness)

    async def scenario() -> None:
        await wait_until(lambda: panel.session.capabilities is not None)
        panel.select_sensor(1)
        panel.step_box.setCurrentIndex(panel.step_box.count() - 1)  # 0.5°
        qtbot.keyClick(panel, Qt.Key.Key_Right)
        await wait_until(lambda: len(harness.rotations()) == 1)
        await wait_until(lambda: "soft limit ±1.4°" in panel.status.text())
        assert panel.offsets.item(1, 0).text() == "+1.80"
        assert "soft limit" in panel.offsets.item(1, 0).toolTip()
        qtbot.keyClick(panel, Qt.Key.Key_BracketRight)
        assert "the camera gives for rotateAngle" in panel.status.text()
        assert harness.rotations() == [{"id": 1, "axis": "pan", "angle": 0.5}]

    run_async(qloop, scenario())


def test_the_header_shows_model_serial_and_firmware_read_from_the_harness(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    reported: list[str] = []
    harness.context = dataclasses.replace(harness.context, firmware_read=reported.append)
    panel = open_panel(qtbot, harness)
    run_async(qloop, wait_until(lambda: "firmware" in panel.header.text() and reported != []))
    text = panel.header.text()
    assert "AXIS Q3819-PVE Panoramic Camera" in text  # ProdFullName, not the discovery record's model
    assert f"Serial {harness.sim.info.serial}" in text
    assert f"firmware {harness.sim.info.firmware}" in text
    assert reported == [harness.sim.info.firmware]
    panel.close()


def test_blending_takes_decimals_and_sends_them(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = open_panel(qtbot, harness)
    run_async(qloop, wait_until(panel.blending_box.isEnabled))
    panel.blending_box.setValue(37.5)
    assert panel.blending_box.value() == 37.5  # the slider follows without rounding the typed value
    assert panel.blending_slider.value() == 38
    panel.blending_box.editingFinished.emit()
    run_async(qloop, wait_until(lambda: harness.calls("setBlendingAmount") != []))
    assert harness.calls("setBlendingAmount") == [{"blendingAmount": 37.5}]
    run_async(qloop, wait_until(lambda: harness.sim.state.blending == 37.5))
    panel.close()


def test_seam_figures_beside_the_pad_rise_when_a_seam_is_knocked_out_and_return_to_the_best(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = open_panel(qtbot, harness)

    def seam_lines() -> list[str]:
        return panel.seam_quality.text().splitlines()[1:]

    async def scenario() -> None:
        await wait_until(lambda: panel.figures_number >= 1 and panel.session.capabilities is not None)
        first = seam_lines()
        assert [line.split(":")[0] for line in first] == ["Seam 0|1", "Seam 1|2", "Seam 2|3"]
        assert all(line.endswith("✓ best so far") for line in first)
        qtbot.keyClick(panel, Qt.Key.Key_3)  # sensor 2
        panel.step_box.setCurrentIndex(panel.step_box.count() - 1)  # 0.5°
        for _ in range(4):
            qtbot.keyClick(panel, Qt.Key.Key_Up)
        await wait_until(lambda: len(harness.rotations()) == 4 and "(best so far" in seam_lines()[1])
        assert seam_lines()[0] == first[0]  # the seam between sensors 0 and 1 is untouched
        for sent in range(5, 9):
            await wait_until(panel.undo_button.isEnabled)
            panel.undo()
            await wait_until(lambda sent=sent: len(harness.rotations()) == sent)
        await wait_until(lambda: seam_lines() == first)
        assert panel.seam_quality.accessibleName() == "Seam mismatch"

    run_async(qloop, scenario())
