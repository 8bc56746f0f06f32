"""The hand-over report of a site visit: every device touched, as found, and what was done to it (HTML)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.backend.history import DeviceHistory, HistoryEntry, without_settled_starts

#: Entries per device in the report (the newest; a device's whole life on one page is not a hand-over).
ENTRIES_PER_DEVICE = 500

_STYLE = """
body { font-family: sans-serif; margin: 2em; color: #222; }
h1 { margin-bottom: 0.2em; }
h2 { margin-top: 1.6em; border-bottom: 1px solid #bbb; }
table { border-collapse: collapse; width: 100%; margin-top: 0.5em; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #e4e4e4; vertical-align: top; }
th { background: #f2f2f2; }
.facts td:first-child { width: 12em; color: #555; }
.failed { color: #b00020; font-weight: bold; }
.muted { color: #777; }
code { font-size: 90%; }
"""
_FAILED_RESULTS = frozenset({"failed", "cancelled", "not trusted", "kept blocking"})
INTERRUPTED = "interrupted (started, no outcome recorded)"


@dataclass(frozen=True, slots=True)
class ReportDevice:
    """What the report says of a device besides its history (as listed when the report was made)."""

    key: str
    title: str
    address: str = ""
    firmware: str = ""
    state: str = ""
    fingerprint: str = ""
    vendor: str = ""
    model: str = ""
    name: str = ""
    serial: str = ""
    mac: str = ""


def render_site_report(
    devices: Sequence[ReportDevice], history: DeviceHistory, *, site: str, generated_at: datetime
) -> str:
    """A self-contained HTML page: one section per device with its facts and its history, oldest first.

    Details come from the history, which redacted secrets when they were recorded.
    """
    timelines = {device.key: history.entries(device.key, ENTRIES_PER_DEVICE) for device in devices}
    sections = [_device_section(device, timelines[device.key]) for device in devices]
    done = sum(1 for entries in timelines.values() if entries)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>Commissioning report — {_e(site)}</title>",
            f"<style>{_STYLE}</style></head><body>",
            f"<h1>Commissioning report — {_e(site)}</h1>",
            f'<p class="muted">Made {_e(_when(generated_at))} by Commissioner. {len(devices)} device(s), '
            f"{done} with recorded work. Times are local to this computer.</p>",
            *sections,
            "</body></html>",
        ]
    )


def _device_section(device: ReportDevice, entries: list[HistoryEntry]) -> str:
    facts = [
        ("Device", device.title),
        ("Identity key", device.key),
        ("Address", device.address),
        ("Firmware", device.firmware),
        ("State when reported", device.state),
        ("Trusted certificate (SHA-256)", device.fingerprint),
    ]
    rows = "".join(f"<tr><td>{_e(name)}</td><td>{_e(value)}</td></tr>" for name, value in facts if value)
    if entries:
        body = "".join(_entry_row(entry) for entry in without_settled_starts(list(reversed(entries))))
        timeline = (
            "<table><tr><th>When</th><th>Action</th><th>Result</th><th>Detail</th></tr>" + body + "</table>"
        )
    else:
        timeline = '<p class="muted">Nothing was done to this device.</p>'
    return f'<h2>{_e(device.title)}</h2><table class="facts">{rows}</table>{timeline}'


def _entry_row(entry: HistoryEntry) -> str:
    result = INTERRUPTED if entry.result == "started" else entry.result
    failed = result.lower() in _FAILED_RESULTS or result.startswith("interrupted")
    result_class = ' class="failed"' if failed else ""
    detail = json.dumps(dict(entry.detail), ensure_ascii=False, sort_keys=True) if entry.detail else ""
    return (
        f"<tr><td>{_e(_when(entry.at))}</td><td>{_e(entry.action)}</td>"
        f"<td{result_class}>{_e(result)}</td><td><code>{_e(detail)}</code></td></tr>"
    )


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _e(text: str) -> str:
    return html.escape(text, quote=True)
