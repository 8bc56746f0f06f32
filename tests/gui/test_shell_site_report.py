"""The toolbar's Report…: the visit's devices and what was done to them, saved as one HTML page."""

from __future__ import annotations

import csv
import io
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
            await wait_until(lambda: notified(window, "report saved"))
            return running.fingerprint

    fingerprint = run_async(qloop, scenario())
    page = target.read_text(encoding="utf-8")
    assert offered == [f"commissioning-depot_north_gate_2-{date.today():%Y-%m-%d}.html"]
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
        == "commissioning-backerei_muller_lager-2026-01-02.html"
    )


def test_the_csv_filter_saves_the_device_list_for_a_spreadsheet(
    window: MainWindow, qloop: qasync.QEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    camera = plugin_for("axis").create_simulator(serial_index=8, seed=8, clock=ManualClock())
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("Depot", True))
    # The suggested name ends in .html; choosing the CSV filter is what decides the format.
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName",
        lambda *args: (str(tmp_path / "depot.html"), site_report_action.CSV_FILTER),
    )
    target = tmp_path / "depot.csv"

    async def scenario() -> None:
        async with serve_device(camera) as running:
            await add_by_address(window, running.endpoint)
            window.report_action.trigger()
            await wait_until(target.exists)
            await wait_until(lambda: notified(window, "Device list saved"))

    run_async(qloop, scenario())
    assert any(text == f"Device list saved to {target}." for _level, text in window.notifications.messages)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as spreadsheet programs expect
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Vendor", "Model", "Name", "Serial"]
    assert [(row[0], row[3]) for row in rows[1:]] == [("Axis", camera.info.serial)]
    assert not (tmp_path / "depot.html").exists()


def test_the_filter_decides_the_suffix() -> None:
    csv_filter, html_filter = site_report_action.CSV_FILTER, site_report_action.HTML_FILTER
    assert site_report_action.with_format_suffix(Path("a/site.html"), csv_filter) == Path("a/site.csv")
    assert site_report_action.with_format_suffix(Path("a/site.csv"), html_filter) == Path("a/site.html")
    assert site_report_action.with_format_suffix(Path("a/site.htm"), html_filter) == Path("a/site.htm")
    assert site_report_action.with_format_suffix(Path("a/site 2.0"), csv_filter) == Path("a/site 2.0.csv")


def notified(window: MainWindow, part: str) -> bool:
    """True once a visible notification contains `part` (read afresh on every call)."""
    return any(part in text for _level, text in window.notifications.messages)
