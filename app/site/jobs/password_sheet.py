"""First passwords generated one per device, and the sheet a technician prints or exports (CSV whose cells a
spreadsheet never runs, or printable HTML), written only for its owner to read."""

from __future__ import annotations

import csv
import html
import io
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.backend.atomic import write_bytes_atomically
from app.backend.site_csv import neutralised
from app.core.paths import private_file
from app.site.jobs.model import JobTarget
from app.vendors.registry import short_name

#: Letters and digits a printed sheet cannot confuse (no 0/O, 1/l/I) and every device accepts.
ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 16
COLUMNS = ("Device", "Serial", "Address", "Username", "New password")


def generate_password(length: int = LENGTH) -> str:
    """A random password of `length` characters with a lower-case letter, a capital and a digit."""
    while True:
        password = "".join(secrets.choice(ALPHABET) for _ in range(length))
        if (any(c.islower() for c in password) and any(c.isupper() for c in password)
                and any(c.isdigit() for c in password)):
            return password


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One device's line on the sheet."""

    device: str
    serial: str
    address: str
    username: str
    password: str


def generated_passwords(targets: Sequence[JobTarget]) -> dict[str, str]:
    """One new password per device that has a serial, keyed by its identity ("vendor:serial")."""
    return {target.identity.key: generate_password() for target in targets if target.identity.key}


def sheet_rows(targets: Sequence[JobTarget], passwords: Mapping[str, str]) -> list[SheetRow]:
    """The sheet's lines: every device with a password, in the job's order."""
    return [SheetRow(_device(target), target.serial,
                     f"{target.host}:{target.port}", target.username, passwords[target.identity.key])
            for target in targets if target.identity.key in passwords]


def _device(target: JobTarget) -> str:
    """"Inxpect MSK-101-POE", "2N IP Verso": the vendor's name unless the model already says it."""
    vendor = short_name(target.vendor)
    if target.model.lower().startswith(vendor.lower()):
        return target.model
    return " ".join(part for part in (vendor, target.model) if part)


def sheet_csv(rows: Sequence[SheetRow]) -> str:
    """The sheet as CSV: a header, then one line per device; no cell starts a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralised(cell) for cell in
                         (row.device, row.serial, row.address, row.username, row.password)])
    return buffer.getvalue()


def sheet_html(rows: Sequence[SheetRow], *, site: str = "", now: datetime | None = None) -> str:
    """The sheet as a printable HTML page (every value escaped)."""
    when = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    title = f"First passwords{' – ' + site if site else ''}"
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape(value)}</td>" for value in
                         (row.device, row.serial, row.address, row.username)) +
        f'<td class="pw">{html.escape(row.password)}</td></tr>' for row in rows)
    head = "".join(f"<th>{html.escape(name)}</th>" for name in COLUMNS)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            "<style>body{font-family:sans-serif} table{border-collapse:collapse} "
            "td,th{border:1px solid #999;padding:4px 8px;text-align:left} .pw{font-family:monospace}</style>"
            f"</head><body><h1>{html.escape(title)}</h1><p>Made {when} for {len(rows)} devices. These are "
            "the devices' passwords: keep this sheet as securely as the devices themselves and hand it over "
            f"only to their owner.</p><table><tr>{head}</tr>{cells}</table></body></html>")


def write_private(path: Path, text: str) -> Path:
    """Write `text` (UTF-8) to `path` readable by its owner only, atomically; returns the path."""
    write_bytes_atomically(path, text.encode("utf-8"))
    private_file(path)
    return path
