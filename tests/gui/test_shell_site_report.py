"""Report…: the as-built report as PDF (or HTML) from the plan and the history, the CSV for a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from app.backend import evidence
from app.backend.trust import fetch_certificate
from app.core.clock import ManualClock
from app.sim.server import serve_device
from app.site.plan import PlanRow
from app.site.visit import Visit, VisitDetails
from app.ui import site_report_action
from app.ui.main_window import MainWindow
from app.ui.visit.details_dialog import VisitDetailsDialog
from app.vendors.registry import plugin_for
from tests.gui.conftest import add_by_address, run_async, wait_until

DETAILS = VisitDetails(site="Depot North", customer="ACME", technician="Ana Field", company="Installers Ltd")


def _choose(monkeypatch: pytest.MonkeyPatch, target: Path, chosen_filter: str, offered: list[str]) -> None:
    def choose_file(parent: object, caption: str, suggested: str, *rest: object) -> tuple[str, str]:
        offered.append(Path(suggested).name)
        return str(target), chosen_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose_file)


def test_the_report_is_a_pdf_from_the_plan_and_the_history_and_offers_to_open_it(
    window: MainWindow, qloop: qasync.QEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    camera = plugin_for("axis").create_simulator(serial_index=7, seed=7, clock=ManualClock())
    rows = (PlanRow(2, "CAM-01 Yard", "Roof", serial=camera.info.serial),
            PlanRow(3, "RAD-09", serial="20999"))
    window.visit.save(Visit(DETAILS, rows))
    target, offered = tmp_path / "report.pdf", []
    _choose(monkeypatch, target, site_report_action.PDF_FILTER, offered)

    async def scenario() -> None:
        async with serve_device(camera) as running:
            entry = await add_by_address(window, running.endpoint)
            window.services.trust.trust(entry.key, await fetch_certificate(running.endpoint))
            history = window.services.history
            history.record(entry.key, evidence.ALIGNMENT_RECORDED, "recorded", {"sensors": {}})
            window.report_action.trigger()
            await wait_until(lambda: notified(window, "Commissioning report saved"))

    run_async(qloop, scenario())
    assert offered == [f"commissioning-depot_north-{date.today():%Y-%m-%d}.pdf"]
    assert target.read_bytes().startswith(b"%PDF-")
    messages = [text for _level, text in window.notifications.messages]
    assert any(f"saved to {target} (" in text and "pages)." in text for text in messages)
    offer = window.findChild(QMessageBox, "reportSavedOffer")
    assert offer is not None
    assert offer.isVisible()
    assert "Open it now?" in offer.text()
    offer.reject()


def test_the_html_report_shows_planned_names_open_items_first_and_no_internal_keys(
    window: MainWindow, qloop: qasync.QEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    camera = plugin_for("axis").create_simulator(serial_index=9, seed=9, clock=ManualClock())
    rows = (PlanRow(2, "CAM-01 <Yard>", "Roof", serial=camera.info.serial),
            PlanRow(3, "RAD-09", serial="20999"))
    window.visit.save(Visit(DETAILS, rows))
    target = tmp_path / "report.html"
    _choose(monkeypatch, target, site_report_action.HTML_FILTER, [])

    async def scenario() -> str:
        async with serve_device(camera) as running:
            entry = await add_by_address(window, running.endpoint)
            window.report_action.trigger()
            await wait_until(target.exists)
            await wait_until(lambda: notified(window, "Commissioning report saved"))
            return entry.key

    key = run_async(qloop, scenario())
    page = target.read_text("utf-8")
    assert "CAM-01 &lt;Yard&gt;" in page
    assert page.index("RAD-09") < page.index("CAM-01")  # not found: an open item, listed first
    assert "Technician: Ana Field" in page
    assert key not in page


def test_missing_visit_details_are_asked_before_saving(
    window: MainWindow, qloop: qasync.QEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: VisitDetailsDialog) -> QDialog.DialogCode:
        dialog.site.setText("Depot South")
        dialog.technician.setText("Ben")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(VisitDetailsDialog, "exec", fill)
    offered: list[str] = []
    _choose(monkeypatch, tmp_path / "r.html", site_report_action.HTML_FILTER, offered)

    window.report_action.trigger()
    run_async(qloop, wait_until(lambda: notified(window, "Commissioning report saved")))

    assert window.visit.visit.details.site == "Depot South"
    assert offered == [f"commissioning-depot_south-{date.today():%Y-%m-%d}.pdf"]
    assert "Technician: Ben" in (tmp_path / "r.html").read_text("utf-8")


def test_suggested_file_name_keeps_only_safe_characters() -> None:
    assert site_report_action.suggested_file_name("  ", date(2026, 12, 4)) == "commissioning-2026-12-04.pdf"
    assert (
        site_report_action.suggested_file_name("Bäckerei Müller / Lager", date(2026, 1, 2))
        == "commissioning-backerei_muller_lager-2026-01-02.pdf"
    )


def test_the_csv_filter_saves_the_device_list_for_a_spreadsheet(
    window: MainWindow, qloop: qasync.QEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    camera = plugin_for("axis").create_simulator(serial_index=8, seed=8, clock=ManualClock())
    window.visit.save(Visit(DETAILS))
    # The suggested name ends in .pdf; choosing the CSV filter is what decides the format.
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName",
        lambda *args: (str(tmp_path / "depot.pdf"), site_report_action.CSV_FILTER),
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
    assert not (tmp_path / "depot.pdf").exists()


def test_the_filter_decides_the_suffix() -> None:
    action = site_report_action
    pdf, html, csv_ = action.PDF_FILTER, action.HTML_FILTER, action.CSV_FILTER
    assert site_report_action.with_format_suffix(Path("a/site.html"), csv_) == Path("a/site.csv")
    assert site_report_action.with_format_suffix(Path("a/site.pdf"), html) == Path("a/site.html")
    assert site_report_action.with_format_suffix(Path("a/site.htm"), html) == Path("a/site.htm")
    assert site_report_action.with_format_suffix(Path("a/site.csv"), pdf) == Path("a/site.pdf")
    assert site_report_action.with_format_suffix(Path("a/site 2.0"), csv_) == Path("a/site 2.0.csv")


def notified(window: MainWindow, part: str) -> bool:
    """True once a visible notification contains `part` (read afresh on every call)."""
    return any(part in text for _level, text in window.notifications.messages)
