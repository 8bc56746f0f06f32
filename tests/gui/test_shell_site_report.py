"""The toolbar's Report…: the visit's devices and what was done to them, saved as one HTML page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QFileDialog, QInputDialog

from app.backend.trust import fetch_certificate
from app.core.clock import ManualClock
from app.sim.server import serve_device
from app.ui import site_report_action
from app.ui.main_window import MainWindow
from app.vendors.registry import plugin_for
from tests.gui.conftest import add_by_address, run_async, wait_until


def test_report_lists_the_camera_with_its_facts_and_history(
    window: MainWindow, qloop: qasync.QEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    camera = plugin_for("axis").create_simulator(serial_index=7, seed=7, clock=ManualClock())
    target = tmp_path / "report.html"
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("Depot North, gate 2", True))
    offered: list[str] = []

    def choose_file(parent: object, caption: str, suggested: str, *rest: object) -> tuple[str, str]:
        offered.append(Path(suggested).name)
        return str(target), "Web page (*.html)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose_file)

    async def scenario() -> str:
        async with serve_device(camera) as running:
            entry = await add_by_address(window, running.endpoint)
            window.services.trust.trust(entry.key, await fetch_certificate(running.endpoint))
            history = window.services.history
            history.record(entry.key, "Apply stitching offsets", "started", {})
            history.record(entry.key, "Apply stitching offsets", "succeeded", {"nudges": 3})
            history.record(entry.key, "Firmware upgrade", "started", {})
            window.report_action.trigger()
            await wait_until(target.exists)
            messages = window.notifications.messages
            await wait_until(lambda: any("report saved" in text for _level, text in messages))
            return running.fingerprint

    fingerprint = run_async(qloop, scenario())
    page = target.read_text(encoding="utf-8")
    assert offered == [f"commissioning-depot-north-gate-2-{date.today():%Y-%m-%d}.html"]
    assert "<h1>Commissioning report — Depot North, gate 2</h1>" in page
    assert camera.info.serial in page
    assert fingerprint in page
    assert page.count("Apply stitching offsets") == 1
    assert "succeeded" in page
    assert "interrupted (started, no outcome recorded)" in page  # the upgrade never finished


def test_suggested_file_name_keeps_only_safe_characters() -> None:
    assert site_report_action.suggested_file_name("  ", date(2026, 12, 4)) == "commissioning-2026-12-04.html"
    assert (
        site_report_action.suggested_file_name("Bäckerei Müller / Lager", date(2026, 1, 2))
        == "commissioning-b-ckerei-m-ller-lager-2026-01-02.html"
    )
