"""Report… (Ctrl+P): save the visit's as-built report as PDF or HTML for the customer, or the device list
as CSV for a spreadsheet, then offer to open it."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from app.backend.site_csv import render_device_csv
from app.backend.site_report import ReportDevice
from app.core.file_names import safe_file_name
from app.core.progress import Operation, ProgressReporter
from app.discovery.inventory import DeviceEntry
from app.site.as_built import DEMO_MARK, AsBuiltReport, render_as_built_html
from app.site.jobs.report import jobs_for_report
from app.site.jobs.store import JobStore, StoredJob
from app.site.naming import device_label
from app.site.visit import VisitDetails
from app.ui.report_pdf import write_report_pdf
from app.ui.visit.details_dialog import VisitDetailsDialog
from app.vendors.registry import short_name

PDF_FILTER = "Commissioning report, PDF (*.pdf)"
HTML_FILTER = "Commissioning report, web page (*.html)"
CSV_FILTER = "Device list for a spreadsheet (*.csv)"
_SUFFIXES = {PDF_FILTER: ".pdf", HTML_FILTER: ".html", CSV_FILTER: ".csv"}

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def report_devices(window: MainWindow) -> list[ReportDevice]:
    """Every device in the list, then any other device worked on since the window opened (the cloud)."""
    services = window.services
    pinned = services.trust.pinned
    listed = [listed_device(entry, pinned(entry.key) or "") for entry in services.inventory.entries()]
    seen = {device.key for device in listed}
    others = [
        ReportDevice(key=key, title=key, fingerprint=pinned(key) or "")
        for key in services.history.device_keys(window.opened_at)
        if key not in seen
    ]
    return listed + others


def listed_device(entry: DeviceEntry, fingerprint: str) -> ReportDevice:
    """What the CSV says of a row of the device list, with its pinned certificate's fingerprint."""
    identity = entry.candidate.identity
    return ReportDevice(
        key=entry.key,
        title=device_label(identity, entry.candidate.endpoint),
        address=entry.candidate.endpoint.base_url,
        firmware=identity.firmware,
        state=entry.state.value,
        fingerprint=fingerprint,
        vendor=short_name(identity.vendor),
        model=identity.model,
        name=identity.name,
        serial=identity.serial,
        mac=identity.mac,
    )


async def save_site_report(window: MainWindow, path: Path) -> tuple[Path, int]:
    """Write the report to `path` off the Qt thread: `.csv` the device list, `.pdf` the as-built report as
    PDF, any other the same as HTML; returns the path and the PDF's page count (0 for the others)."""
    controller = window.visit
    details = controller.visit.details
    demo = window.demo
    csv_devices = report_devices(window) if path.suffix.lower() == ".csv" else []
    history = window.services.history
    compute_state = controller.report_state()

    def render_and_write() -> int:
        if path.suffix.lower() == ".csv":
            # utf-8-sig: spreadsheet programs then read the names' accents correctly.
            path.write_text(render_device_csv(csv_devices, history), "utf-8-sig", newline="")
            return 0
        report = AsBuiltReport(details, compute_state(), datetime.now().astimezone(), demo,
                               _site_jobs(details))
        page = render_as_built_html(report)
        if path.suffix.lower() == ".pdf":
            title = f"As-built commissioning report — {details.site or 'site'}"
            return write_report_pdf(page, path, title=title, demo_mark=DEMO_MARK if demo else "")
        path.write_text(page, "utf-8")
        return 0

    pages = await asyncio.to_thread(render_and_write)
    return path, pages


def _site_jobs(details: VisitDetails) -> list[StoredJob]:
    """The visit's site jobs from the job store (run off the Qt thread)."""
    store = JobStore()
    try:
        return jobs_for_report(store, details.started)
    finally:
        store.close()


def suggested_file_name(site: str, day: date, suffix: str = ".pdf") -> str:
    """`commissioning-<site>-<yyyy-mm-dd>.pdf`, the site reduced as safe_file_name reduces device fields."""
    return safe_file_name("commissioning", site.lower(), f"{day:%Y-%m-%d}", suffix=suffix)


def with_format_suffix(path: Path, chosen_filter: str) -> Path:
    """`path` ending as the chosen format does: the filter decides, since the dialog keeps the suggested
    name's suffix when the technician switches format."""
    wanted = _SUFFIXES.get(chosen_filter, ".pdf")
    suffix = path.suffix.lower()
    if suffix == wanted or (wanted == ".html" and suffix == ".htm"):
        return path
    if suffix in (".csv", ".html", ".htm", ".pdf"):
        return path.with_suffix(wanted)
    return path.with_name(path.name + wanted)


def export_site_report(window: MainWindow) -> None:
    """Ask for the visit's details if the report would lack them, then where to save, then save it as an
    operation in the task area and offer to open the file."""
    details = window.visit.visit.details
    if not (details.site and details.technician):
        dialog = VisitDetailsDialog(details, window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        details = dialog.details()
        window.visit.save_details(details)
    chosen, chosen_filter = QFileDialog.getSaveFileName(
        window, "Save the commissioning report", str(_suggested_path(details)),
        f"{PDF_FILTER};;{HTML_FILTER};;{CSV_FILTER}",
    )
    if not chosen:
        return
    path = with_format_suffix(Path(chosen), chosen_filter)

    async def work(reporter: ProgressReporter) -> Path:
        saved, pages = await save_site_report(window, path)
        what = "Device list" if saved.suffix.lower() == ".csv" else "Commissioning report"
        window.notify("info", f"{what} saved to {saved}" + (f" ({pages} pages)." if pages else "."))
        offer_to_open(window, saved)
        return saved

    window.tasks.run(Operation("Saving the commissioning report", ("Writing",), work), owner=window)


def _suggested_path(details: VisitDetails) -> Path:
    documents = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
    folder = documents if documents.is_dir() else Path.home()
    return folder / suggested_file_name(details.site or "site", date.today())


def offer_to_open(window: MainWindow, path: Path) -> QMessageBox:
    """A non-modal question: open the saved file with the system's viewer?"""
    box = QMessageBox(QMessageBox.Icon.Question, "Report saved", f"Saved {path.name}. Open it now?",
                      QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close, window)
    box.setObjectName("reportSavedOffer")
    box.accepted.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
    box.finished.connect(box.deleteLater)
    box.open()
    return box
