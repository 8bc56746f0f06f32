"""A listed device as the visit's CSV describes it, and how an operation that never finished is named."""

from __future__ import annotations

from dataclasses import dataclass

#: How the CSV names an operation whose start was recorded but no outcome.
INTERRUPTED = "interrupted (started, no outcome recorded)"


@dataclass(frozen=True, slots=True)
class ReportDevice:
    """What the CSV says of a device besides its history (as listed when the file was made)."""

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
