"""The site jobs section of the commissioning report: each job of the visit with every device's outcome in
words, as HTML the as-built report embeds (every device-supplied text escaped; Qt-free)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from app.site.jobs.model import RowState, RowStatus
from app.site.jobs.store import JobStore, StoredJob

#: How each row's state reads in the report.
OUTCOME_WORDS: Mapping[RowState, str] = {
    RowState.DONE: "done", RowState.SKIPPED: "nothing to do", RowState.CANNOT: "cannot do it",
    RowState.FAILED: "failed", RowState.CANCELLED: "cancelled", RowState.INTERRUPTED: "interrupted",
    RowState.PENDING: "not started", RowState.RUNNING: "running", RowState.PAUSED: "not started",
}
#: Outcomes a customer must see as open (the device was not left as the job meant to leave it).
OPEN_STATES = frozenset({RowState.FAILED, RowState.CANCELLED, RowState.INTERRUPTED, RowState.PENDING,
                         RowState.RUNNING, RowState.PAUSED})


def jobs_for_report(store: JobStore, since: str = "") -> list[StoredJob]:
    """The jobs of the visit: those created since `since` (ISO 8601; every job when empty or unreadable)."""
    try:
        start = datetime.fromisoformat(since) if since else None
    except ValueError:
        start = None
    return store.jobs(start)


def site_jobs_html(jobs: Sequence[StoredJob]) -> str:
    """The section: one heading and table per job, a line per device; "" when there were no jobs."""
    if not jobs:
        return ""
    parts = ['<h2 style="page-break-before: always">Site jobs: one task on many devices</h2>']
    parts.extend(_job(job) for job in jobs)
    return "\n".join(parts)


def _job(job: StoredJob) -> str:
    counts: dict[str, int] = {}
    for row in job.rows:
        word = OUTCOME_WORDS[row.state]
        counts[word] = counts.get(word, 0) + 1
    summary = ", ".join(f"{count} {word}" for word, count in counts.items())
    what = _parameters(job.params)
    rows = "".join(_row(row) for row in job.rows)
    return (f"<h3>{_e(job.kind.value.capitalize())} — {job.created:%Y-%m-%d %H:%M} UTC</h3>"
            f"<p>{_e(what)}{' ' if what else ''}{len(job.rows)} devices: {_e(summary)}.</p>"
            "<table><tr><th>Device</th><th>Address</th><th>Outcome</th>"
            f"<th>What the device read back</th></tr>{rows}</table>")


def _row(row: RowStatus) -> str:
    target = row.target
    device = " ".join(part for part in (target.vendor, target.model, row.serial or target.serial) if part)
    outcome = OUTCOME_WORDS[row.state]
    css = ""
    if row.state in OPEN_STATES:
        css = ' class="open"'
    elif row.state is RowState.DONE:
        css = ' class="done"'
    return (f"<tr><td>{_e(device)}</td><td>{_e(target.host)}:{target.port}</td>"
            f"<td{css}>{_e(outcome)}</td><td>{_e(row.message)}</td></tr>")


def _parameters(params: Mapping[str, Any]) -> str:
    """The job's parameters in words (packages, folder, source device); never a secret (none are kept)."""
    if "packages" in params or "package" in params:
        packages = params.get("packages") or [params]
        return "Firmware: " + "; ".join(
            f"{_name(item.get('package', ''))}{' ' + item['version'] if item.get('version') else ''}"
            f"{' for ' + ', '.join(item['models']) if item.get('models') else ''}" for item in packages) + "."
    if "folder" in params:
        return f"Saved to {params['folder']}."
    if "source" in params:
        source = params["source"]
        extra = " including identity and network settings" if params.get("include_identity") else ""
        return (f"Configuration of {source.get('model', '')} {source.get('serial', '')} at "
                f"{source.get('host', '')}:{source.get('port', '')}{extra}.")
    return ""


def _name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)
