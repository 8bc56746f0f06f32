"""The visit's device list as CSV for a spreadsheet or an asset register: one row per device."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from app.backend.history import DeviceHistory, without_settled_starts
from app.backend.site_report import INTERRUPTED, ReportDevice

#: First characters that make a spreadsheet read a cell as a formula (or, for tab and CR, hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

COLUMNS = (
    "Vendor", "Model", "Name", "Serial", "MAC", "Address", "Firmware", "State",
    "Certificate SHA-256", "Last action", "Result", "When",
)


def render_device_csv(devices: Sequence[ReportDevice], history: DeviceHistory) -> str:
    """A header and one row per device, with the last thing done to it (its history's newest entry)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for device in devices:
        entries = without_settled_starts(list(reversed(history.entries(device.key, 50))))
        last = entries[-1] if entries else None
        result = "" if last is None else INTERRUPTED if last.result == "started" else last.result
        writer.writerow([neutralised(cell) for cell in (
            device.vendor, device.model, device.name or device.title, device.serial, device.mac,
            device.address, device.firmware, device.state, device.fingerprint,
            last.action if last else "", result,
            last.at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if last else "",
        )])
    return out.getvalue()


def neutralised(cell: str) -> str:
    """`cell` as text a spreadsheet shows and never runs: a leading formula character gets a "'" before it."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell
