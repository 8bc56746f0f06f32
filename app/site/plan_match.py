"""Which discovered device is which planned one: serial or MAC first, then the planned address (Qt-free)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.site.plan import PlanRow, address_host, address_port, normalised_mac, normalised_serial


@dataclass(frozen=True, slots=True)
class FoundDevice:
    """A device the visit found (listed, or worked on through the cloud), as matching and reports see it."""

    key: str
    vendor: str = ""
    model: str = ""
    serial: str = ""
    mac: str = ""
    address: str = ""
    firmware: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True)
class PlanMatch:
    """A plan row and the device found for it (None: planned, not found); `by` says how it was matched."""

    row: PlanRow
    device: FoundDevice | None
    by: str = ""


@dataclass(frozen=True, slots=True)
class VisitMatching:
    """Every plan row in plan order with its device, and the devices found that the plan does not list."""

    planned: tuple[PlanMatch, ...]
    unplanned: tuple[FoundDevice, ...]

    def row_for(self, device_key: str) -> PlanRow | None:
        """The plan row a device was matched to, or None."""
        for match in self.planned:
            if match.device is not None and match.device.key == device_key:
                return match.row
        return None

    @property
    def missing(self) -> tuple[PlanRow, ...]:
        """Planned devices not found."""
        return tuple(match.row for match in self.planned if match.device is None)


def match_plan(rows: Sequence[PlanRow], devices: Sequence[FoundDevice]) -> VisitMatching:
    """Pair rows and devices one to one: by serial or MAC (case and separators ignored) first, then, for
    rows still open, by the planned address's host."""
    found: dict[int, tuple[FoundDevice, str]] = {}
    taken: set[str] = set()
    for index, row in enumerate(rows):
        device = next((d for d in devices if d.key not in taken and _same_identity(row, d)), None)
        if device is not None:
            found[index] = (device, _identity_word(row, device))
            taken.add(device.key)
    for index, row in enumerate(rows):
        if index in found or not row.address:
            continue
        free = (d for d in devices if d.key not in taken)
        device = next((d for d in free if _same_address(row.address, d.address)), None)
        if device is not None:
            found[index] = (device, "address")
            taken.add(device.key)
    planned = tuple(
        PlanMatch(row, *found[index]) if index in found else PlanMatch(row, None)
        for index, row in enumerate(rows)
    )
    return VisitMatching(planned, tuple(d for d in devices if d.key not in taken))


def _same_address(planned: str, found: str) -> bool:
    """Same host, and the same port when the plan gives one (a port-less plan row matches any port)."""
    if address_host(planned) != address_host(found):
        return False
    port = address_port(planned)
    return not port or port == (address_port(found) or _default_port(found))


def _default_port(address: str) -> str:
    return "80" if address.lower().startswith("http://") else "443"


def _device_marks(device: FoundDevice) -> set[str]:
    marks = {normalised_serial(device.serial), normalised_mac(device.mac), normalised_mac(device.serial)}
    return marks - {""}


def _row_marks(row: PlanRow) -> set[str]:
    # The schedule's serial column often holds a MAC ("serial or MAC"), so both are tried for it.
    marks = {normalised_serial(row.serial), normalised_mac(row.serial), normalised_mac(row.mac)}
    return marks - {""}


def _same_identity(row: PlanRow, device: FoundDevice) -> bool:
    return bool(_row_marks(row) & _device_marks(device))


def _identity_word(row: PlanRow, device: FoundDevice) -> str:
    serial = normalised_serial(row.serial)
    return "serial" if serial and serial == normalised_serial(device.serial) else "MAC"
