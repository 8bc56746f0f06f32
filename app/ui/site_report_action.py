"""The toolbar's "Report…": save the visit's commissioning report (every listed device and its history)."""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QInputDialog

from app.backend.site_report import ReportDevice, render_site_report
from app.core.progress import Operation, ProgressReporter
from app.ui.device_opener import device_label

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def report_devices(window: MainWindow) -> list[ReportDevice]:
    """Every device in the list, then any other device worked on since the window opened (the cloud)."""
    services = window.services
    listed = [
        ReportDevice(
            key=entry.key,
            title=device_label(entry.candidate.identity, entry.candidate.endpoint),
            address=entry.candidate.endpoint.base_url,
            firmware=entry.candidate.identity.firmware,
            state=entry.state.value,
            fingerprint=services.trust.pinned(entry.key) or "",
        )
        for entry in services.inventory.entries()
    ]
    seen = {device.key for device in listed}
    others = [
        ReportDevice(key=key, title=key, fingerprint=services.trust.pinned(key) or "")
        for key in services.history.device_keys(window.opened_at)
        if key not in seen
    ]
    return listed + others


async def save_site_report(window: MainWindow, path: Path, site: str) -> Path:
    """Render the report of what the window lists and write it to `path` (both off the Qt thread)."""
    devices = report_devices(window)
    history, generated_at = window.services.history, datetime.now().astimezone()

    def render_and_write() -> None:
        path.write_text(render_site_report(devices, history, site=site, generated_at=generated_at), "utf-8")

    await asyncio.to_thread(render_and_write)
    return path


def suggested_file_name(site: str, day: date) -> str:
    """`commissioning-<site>-<yyyy-mm-dd>.html`, the site reduced to letters, digits and dashes."""
    slug = re.sub(r"[^0-9A-Za-z]+", "-", site).strip("-").lower()
    return f"commissioning-{slug + '-' if slug else ''}{day:%Y-%m-%d}.html"


def export_site_report(window: MainWindow) -> None:
    """Ask for the site's name and where to save, then save the report as an operation in the task area."""
    site, accepted = QInputDialog.getText(
        window, "Commissioning report", "Site (customer, building) named in the report:"
    )
    if not accepted:
        return
    site = site.strip() or "unnamed site"
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    suggested = Path(folder or Path.home()) / suggested_file_name(site, date.today())
    chosen, _ = QFileDialog.getSaveFileName(
        window, "Save the commissioning report", str(suggested), "Web page (*.html)"
    )
    if not chosen:
        return
    path = Path(chosen)

    async def work(reporter: ProgressReporter) -> Path:
        saved = await save_site_report(window, path, site)
        window.notify("info", f"Commissioning report saved to {saved}.")
        return saved

    window.tasks.run(Operation("Saving the commissioning report", ("Writing",), work), owner=window)
