"""The toolbar's "Report…": save the visit's commissioning report (every listed device and its history)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QInputDialog

from app.backend.site_csv import render_device_csv
from app.backend.site_report import ReportDevice, render_site_report
from app.core.file_names import safe_file_name
from app.core.progress import Operation, ProgressReporter
from app.discovery.inventory import DeviceEntry
from app.site.naming import device_label
from app.vendors.registry import short_name

HTML_FILTER = "Commissioning report, web page (*.html)"
CSV_FILTER = "Device list for a spreadsheet (*.csv)"

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
    """What the report says of a row of the device list, with its pinned certificate's fingerprint."""
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


async def save_site_report(window: MainWindow, path: Path, site: str) -> Path:
    """Render what the window lists and write it to `path` (both off the Qt thread): a `.csv` path gets
    the device list for a spreadsheet, any other the HTML report."""
    devices = report_devices(window)
    history, generated_at = window.services.history, datetime.now().astimezone()

    def render_and_write() -> None:
        if path.suffix.lower() == ".csv":
            # utf-8-sig: spreadsheet programs then read the names' accents correctly.
            path.write_text(render_device_csv(devices, history), "utf-8-sig", newline="")
            return
        path.write_text(render_site_report(devices, history, site=site, generated_at=generated_at), "utf-8")

    await asyncio.to_thread(render_and_write)
    return path


def suggested_file_name(site: str, day: date) -> str:
    """`commissioning-<site>-<yyyy-mm-dd>.html`, the site reduced as safe_file_name reduces device fields."""
    return safe_file_name("commissioning", site.lower(), f"{day:%Y-%m-%d}", suffix=".html")


def with_format_suffix(path: Path, chosen_filter: str) -> Path:
    """`path` ending as the chosen format does (.csv for the device list, else .html): the filter decides,
    since the dialog keeps the suggested name's suffix when the technician switches format."""
    wanted = ".csv" if chosen_filter == CSV_FILTER else ".html"
    suffix = path.suffix.lower()
    if suffix == wanted or (wanted == ".html" and suffix == ".htm"):
        return path
    if suffix in (".csv", ".html", ".htm"):
        return path.with_suffix(wanted)
    return path.with_name(path.name + wanted)


def export_site_report(window: MainWindow) -> None:
    """Ask for the site's name and where to save, then save the report as an operation in the task area."""
    site, accepted = QInputDialog.getText(
        window, "Commissioning report", "Site (customer, building) named in the report:"
    )
    if not accepted:
        return
    site = site.strip() or "unnamed site"
    documents = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
    folder = documents if documents.is_dir() else Path.home()
    suggested = folder / suggested_file_name(site, date.today())
    chosen, chosen_filter = QFileDialog.getSaveFileName(
        window, "Save the commissioning report", str(suggested), f"{HTML_FILTER};;{CSV_FILTER}"
    )
    if not chosen:
        return
    path = with_format_suffix(Path(chosen), chosen_filter)

    async def work(reporter: ProgressReporter) -> Path:
        saved = await save_site_report(window, path, site)
        what = "Device list" if saved.suffix.lower() == ".csv" else "Commissioning report"
        window.notify("info", f"{what} saved to {saved}.")
        return saved

    window.tasks.run(Operation("Saving the commissioning report", ("Writing",), work), owner=window)
