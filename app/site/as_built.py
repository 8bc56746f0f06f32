"""The as-built report the customer keeps, as HTML that browsers and Qt's text document both lay out:
summary with open items first, per device the tests and outcomes in words, open items, sign-off (Qt-free)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.backend.history import HistoryEntry
from app.site.checklist import Check, CheckItem, DeviceChecklist, running_firmware
from app.site.jobs.report import site_jobs_html
from app.site.jobs.store import StoredJob
from app.site.outcomes import is_deficiency, outcome_words
from app.site.plan_match import FoundDevice
from app.site.visit import VisitDetails
from app.site.visit_state import VisitState

#: The mark a demo report carries on every page.
DEMO_MARK = "DEMO"
#: Outcomes listed per device (the newest); older ones are counted.
OUTCOMES_PER_DEVICE = 40

_STYLE = """
body { font-family: sans-serif; font-size: 10pt; color: #222; }
h1 { font-size: 18pt; margin-bottom: 2pt; }
h2 { font-size: 13pt; margin-top: 14pt; border-bottom: 1px solid #999; }
h3 { font-size: 11pt; margin-top: 10pt; margin-bottom: 2pt; }
table { border-collapse: collapse; }
th { background-color: #e8e8e8; text-align: left; }
td, th { padding: 2px 4px; vertical-align: top; }
.open { color: #b00020; font-weight: bold; }
.done { color: #1b5e20; }
.muted { color: #666; }
.demo { color: #c62828; font-weight: bold; font-size: 14pt; }
.sign td { padding-top: 28pt; }
table.summary { font-size: 8pt; }
tr.alt { background-color: #f0f0f0; }
td.whole { white-space: nowrap; }
"""


@dataclass(frozen=True, slots=True)
class AsBuiltReport:
    """What the report shows: the visit, its state at `generated_at`, and whether it is a demo."""

    details: VisitDetails
    state: VisitState
    generated_at: datetime
    demo: bool = False
    #: The visit's site jobs, each with every device's outcome (app/site/jobs/report.py renders them).
    site_jobs: Sequence[StoredJob] = ()


def render_as_built_html(report: AsBuiltReport) -> str:
    """The report as one self-contained HTML page; every device- and plan-supplied text is escaped."""
    state = report.state
    # Open items first (devices not found before those with open checks), plan order kept within each.
    ordered = sorted(state.checklists, key=lambda c: (c.done, c.device is not None))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>As-built report — {_e(report.details.site or 'site')}</title>",
        f"<style>{_STYLE}</style></head><body>",
        _demo_banner(report),
        _heading(report),
        _summary_table(ordered, state),
        _unplanned(state.matching.unplanned),
        _open_items(ordered),
        '<h2 style="page-break-before: always">Devices: tests and outcomes</h2>',
        *(_device_section(c, _entries(state, c)) for c in ordered),
        site_jobs_html(report.site_jobs),
        _sign_off(report),
        "</body></html>",
    ]
    return "\n".join(part for part in parts if part)


def _entries(state: VisitState, checklist: DeviceChecklist) -> list[HistoryEntry]:
    return state.timelines.get(checklist.device.key, []) if checklist.device else []


def _demo_banner(report: AsBuiltReport) -> str:
    if not report.demo:
        return ""
    return (f'<p class="demo">{DEMO_MARK} — made on the simulated demo site; not a record of real '
            "devices.</p>")


def _heading(report: AsBuiltReport) -> str:
    d = report.details
    facts = [("Site", d.site), ("Customer", d.customer), ("Technician", d.technician),
             ("Company", d.company), ("Date", report.generated_at.strftime("%Y-%m-%d %H:%M")),
             ("Device schedule", d.plan_file)]
    rows = "".join(f"<tr><td><b>{_e(k)}</b></td><td>{_e(v)}</td></tr>" for k, v in facts if v)
    progress = report.state.progress
    return (
        "<h1>As-built commissioning report</h1>"
        f'<table cellpadding="2">{rows}</table>'
        f"<p>Planned devices commissioned: <b>{_e(progress.words)}</b>. "
        f"Found but not planned: {len(report.state.matching.unplanned)}.</p>"
    )


_SUMMARY_HEAD = ("Planned name", "Location", "Model", "Serial", "MAC", "Address", "Firmware", "Checklist")
#: Each summary column's share of the page's width (a MAC and a serial fit on one line at 8 pt).
_SUMMARY_WIDTHS = (13, 11, 11, 14, 14, 14, 10, 13)


def _summary_table(ordered: Sequence[DeviceChecklist], state: VisitState) -> str:
    head = "".join(f'<th width="{w}%">{h}</th>' for h, w in zip(_SUMMARY_HEAD, _SUMMARY_WIDTHS, strict=True))
    body = "".join(_summary_row(c, _entries(state, c), i % 2 == 1) for i, c in enumerate(ordered))
    table = '<table class="summary" border="0" cellspacing="0" cellpadding="2" width="100%">'
    return (f"<h2>Summary</h2>{table}"
            f"<thead><tr>{head}</tr></thead>{body}</table>")


_WHOLE = ' class="whole"'
_UNBROKEN = (_SUMMARY_HEAD.index("Serial"), _SUMMARY_HEAD.index("MAC"))


def _summary_row(checklist: DeviceChecklist, entries: list[HistoryEntry], shaded: bool) -> str:
    row, device = checklist.row, checklist.device
    cells = (
        row.name, row.location, (device.model if device and device.model else row.model),
        (device.serial if device and device.serial else row.serial),
        (device.mac if device and device.mac else row.mac),
        _address(device.address) if device and device.address else row.address,
        running_firmware(device, entries) if device else "",
    )
    if checklist.device is None:
        verdict = "not found"
    else:
        open_count = len(checklist.open_items)
        verdict = "done" if checklist.done else f"open ({open_count} of {len(checklist.items)})"
    css = "done" if checklist.done else "open"
    row_start = '<tr class="alt">' if shaded else "<tr>"
    # A serial and a MAC are read (and typed) whole: they do not wrap.
    tds = "".join(f"<td{_WHOLE if i in _UNBROKEN else ''}>{_e(c)}</td>" for i, c in enumerate(cells))
    return f'{row_start}{tds}<td class="{css}">{_e(verdict)}</td></tr>'


def _address(address: str) -> str:
    """An address as the customer's network plan writes it: host and port, without the scheme."""
    return address.split("://", 1)[-1].rstrip("/")


def _unplanned(devices: Sequence[FoundDevice]) -> str:
    if not devices:
        return ""
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in _device_cells(d)) + "</tr>"
        for d in devices
    )
    head = "".join(f"<th>{h}</th>" for h in ("Name", "Model", "Serial", "MAC", "Address", "Firmware"))
    return (f'<h2>Found but not in the plan</h2>{_TABLE}'
            f"<thead><tr>{head}</tr></thead>{rows}</table>")


def _device_cells(d: FoundDevice) -> tuple[str, ...]:
    return (d.name, d.model, d.serial, d.mac, _address(d.address), d.firmware)


_TABLE = '<table border="0" cellspacing="0" cellpadding="3" width="100%">'


def _open_items(ordered: Sequence[DeviceChecklist]) -> str:
    items = [f"<li><b>{_e(c.row.name)}</b>{f' ({_e(c.row.location)})' if c.row.location else ''}: "
             f"{_e(_still_open(c))}</li>" for c in ordered if not c.done]
    if not items:
        return "<h2>Open items</h2><p>None: every planned device passed its checklist.</p>"
    return f"<h2>Open items</h2><ul>{''.join(items)}</ul>"


def _still_open(checklist: DeviceChecklist) -> str:
    """What is still to do on a device: everything, for one not found."""
    if checklist.device is None:
        rest = ", ".join(i.label for i in checklist.open_items if i.check is not Check.FOUND)
        return f"not found on the network; still to do: {rest}"
    return "not yet — " + ", ".join(_open_words(i) for i in checklist.open_items)


def _open_words(item: CheckItem) -> str:
    """An open item as the customer reads it: the check, with what is known of it ("walk test: not yet")."""
    return f"{item.label} ({item.evidence})" if item.evidence else item.label


def _device_section(checklist: DeviceChecklist, entries: list[HistoryEntry]) -> str:
    row, device = checklist.row, checklist.device
    where = " — ".join(_e(v) for v in (row.location, device.model if device else row.model) if v)
    checks = "".join(
        f'<tr><td>{_e(item.label)}</td><td class="{"done" if item.done else "open"}">'
        f'{"passed" if item.done else "open"}</td><td>{_e(item.evidence)}</td></tr>'
        for item in checklist.items
    )
    table = (f"{_TABLE}"
             '<tr><th width="28%">Check</th><th width="12%">Result</th><th>Evidence</th></tr>'
             f"{checks}</table>")
    outcomes = _outcomes(entries)
    return f'<h3>{_e(row.name)}</h3><p class="muted">{where}</p>{table}{outcomes}{_notes(row.notes)}'


def _outcomes(entries: list[HistoryEntry]) -> str:
    said = [(entry, outcome_words(entry)) for entry in entries]
    said = [(entry, words) for entry, words in said if words]
    if not said:
        return '<p class="muted">No work recorded on this device.</p>'
    shown = said[-OUTCOMES_PER_DEVICE:]
    older = len(said) - len(shown)
    lines = "".join(
        f'<li{" class=open" if is_deficiency(entry) else ""}>{_e(_when(entry))} — {_e(words)}</li>'
        for entry, words in shown
    )
    more = f'<p class="muted">{older} earlier outcome(s) are in the device history.</p>' if older else ""
    return f"<ul>{lines}</ul>{more}"


def _when(entry: HistoryEntry) -> str:
    return entry.at.astimezone().strftime("%Y-%m-%d %H:%M")


def _notes(notes: str) -> str:
    return f'<p class="muted">Plan notes: {_e(notes)}</p>' if notes else ""


def _sign_off(report: AsBuiltReport) -> str:
    d = report.details
    line = "_" * 34
    return (
        '<h2 style="page-break-before: auto">Acceptance</h2>'
        "<p>The devices above were installed and commissioned as recorded in this report. Open items are "
        "listed above; the customer accepts the installation subject to them.</p>"
        '<table class="sign" width="100%" cellpadding="4"><tr>'
        f"<td>Technician: {_e(d.technician)}<br>{_e(d.company)}<br><br>Signature: {line}<br>Date: {line}</td>"
        f"<td>Customer: {_e(d.customer)}<br><br><br>Signature: {line}<br>Date: {line}</td>"
        "</tr></table>"
    )


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)
