"""The designer's device schedule (the site plan) read from CSV: columns mapped to fields, bad rows kept
as problems with their line number (Qt-free)."""

from __future__ import annotations

import csv
import enum
import io
import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.core.errors import AppError


class PlanField(enum.Enum):
    """A field of a plan row, named as the column mapping shows it."""

    NAME = "Planned name"
    LOCATION = "Location"
    VENDOR = "Vendor"
    MODEL = "Model"
    SERIAL = "Serial"
    MAC = "MAC"
    ADDRESS = "Planned address"
    FIRMWARE = "Target firmware"
    NOTES = "Notes"


#: Field -> the header the schedule uses for it ("" when the schedule has no such column).
ColumnMapping = Mapping[PlanField, str]

#: Header words that suggest a field, tried in this order (lower case, separators removed).
_SYNONYMS: dict[PlanField, tuple[str, ...]] = {
    PlanField.NAME: ("plannedname", "devicename", "name", "nickname", "cameraname", "tag", "label"),
    PlanField.LOCATION: ("location", "place", "room", "position", "area", "building", "level"),
    PlanField.VENDOR: ("vendor", "manufacturer", "make", "brand"),
    PlanField.MODEL: ("model", "vendormodel", "type", "devicetype", "product"),
    PlanField.SERIAL: ("serial", "serialnumber", "sn", "serialormac"),
    PlanField.MAC: ("mac", "macaddress", "hwaddress"),
    PlanField.ADDRESS: ("plannedaddress", "address", "ip", "ipaddress", "host", "hostname"),
    PlanField.FIRMWARE: ("targetfirmware", "firmware", "fw", "firmwareversion", "version"),
    PlanField.NOTES: ("notes", "note", "remarks", "comment", "comments"),
}
_MAC_HEX = re.compile(r"^[0-9A-F]{12}$")


class PlanFileError(AppError):
    """The schedule cannot be read at all (not text, no header row)."""


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One planned device as the schedule lists it; `line` is its first line in the file."""

    line: int
    name: str
    location: str = ""
    vendor: str = ""
    model: str = ""
    serial: str = ""
    mac: str = ""
    address: str = ""
    firmware: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class PlanProblem:
    """A row the import could not take, with the line it starts on and why."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class PlanImport:
    """The rows taken and the rows refused: every data row of the file is in exactly one of them."""

    rows: tuple[PlanRow, ...]
    problems: tuple[PlanProblem, ...]
    headers: tuple[str, ...] = field(default=())


def decode_plan(data: bytes) -> str:
    """A schedule's text: UTF-8 (with or without BOM), else Windows-1252 as spreadsheet programs write it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = text[:4096]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def read_headers(text: str) -> tuple[str, ...]:
    """The header row's cells, stripped; PlanFileError when the file has none."""
    reader = csv.reader(io.StringIO(text), _dialect(text))
    for cells in reader:
        if _is_header(cells):
            return tuple(cell.strip() for cell in cells)
    raise PlanFileError("The plan file has no header row: the first line must name the columns.")


def _is_header(cells: Sequence[str]) -> bool:
    """The header row is the first naming at least two columns: a blank line or a title above it is not."""
    return sum(1 for cell in cells if cell.strip()) >= 2


def guess_mapping(headers: Sequence[str]) -> dict[PlanField, str]:
    """Each field's most likely column by its header's words; a column is used for one field only."""
    squeezed = {header: _squeeze(header) for header in headers if header}
    mapping: dict[PlanField, str] = {}
    for plan_field, words in _SYNONYMS.items():
        for word in words:
            found = next((h for h, s in squeezed.items() if s == word and h not in mapping.values()), None)
            if found is not None:
                mapping[plan_field] = found
                break
    return mapping


def _squeeze(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def parse_plan(text: str, mapping: ColumnMapping) -> PlanImport:
    """Every data row as a PlanRow, or as a PlanProblem naming its line (nothing is dropped silently)."""
    if not mapping.get(PlanField.NAME):
        raise PlanFileError("Choose the column that holds the planned name.")
    reader = csv.reader(io.StringIO(text), _dialect(text))
    headers: tuple[str, ...] = ()
    rows: list[PlanRow] = []
    problems: list[PlanProblem] = []
    seen: dict[str, int] = {}
    end = 0
    for cells in reader:
        start, end = end + 1, reader.line_num
        if not headers:
            headers = tuple(cell.strip() for cell in cells) if _is_header(cells) else ()
            continue
        if not any(cell.strip() for cell in cells):
            continue  # a blank line is not a row
        try:
            row = _row(start, headers, cells, mapping)
            _check_unique(row, seen)
        except ValueError as err:
            problems.append(PlanProblem(start, str(err)))
            continue
        rows.append(row)
    if not headers:
        raise PlanFileError("The plan file is empty.")
    return PlanImport(tuple(rows), tuple(problems), headers)


def _row(line: int, headers: tuple[str, ...], cells: list[str], mapping: ColumnMapping) -> PlanRow:
    if len(cells) > len(headers) and any(cell.strip() for cell in cells[len(headers):]):
        raise ValueError(f"{len(cells)} cells but {len(headers)} columns (a separator inside a value?)")
    by_header = dict(zip(headers, (cell.strip() for cell in cells), strict=False))

    def value(plan_field: PlanField) -> str:
        return by_header.get(mapping.get(plan_field, ""), "")

    name = value(PlanField.NAME)
    if not name:
        raise ValueError("no planned name")
    serial, mac, address = value(PlanField.SERIAL), value(PlanField.MAC), value(PlanField.ADDRESS)
    if mac and not normalised_mac(mac):
        raise ValueError(f"{mac!r} is not a MAC address (12 hexadecimal digits)")
    if address and not _valid_address(address):
        raise ValueError(f"{address!r} is not an IP address or host name")
    if not (serial or mac or address):
        raise ValueError(f"{name}: no serial, MAC or planned address to recognise the device by")
    return PlanRow(
        line, name, value(PlanField.LOCATION), value(PlanField.VENDOR), value(PlanField.MODEL), serial, mac,
        address, value(PlanField.FIRMWARE), value(PlanField.NOTES),
    )


def _check_unique(row: PlanRow, seen: dict[str, int]) -> None:
    marks = [f"serial {normalised_serial(row.serial)}" if row.serial else "",
             f"MAC {normalised_mac(row.mac)}" if row.mac else ""]
    for mark in filter(None, marks):
        if mark in seen:
            raise ValueError(f"{row.name}: the same {mark.split(' ')[0]} as line {seen[mark]}")
    for mark in filter(None, marks):
        seen[mark] = row.line


def normalised_serial(text: str) -> str:
    """A serial compared as printed labels vary: upper case, without spaces, dashes, colons or dots."""
    return re.sub(r"[\s\-:.]", "", text).upper()


def normalised_mac(text: str) -> str:
    """A MAC as 12 upper-case hex digits whatever its separators; "" when it is not a MAC."""
    squeezed = re.sub(r"[\s\-:.]", "", text).upper()
    return squeezed if _MAC_HEX.match(squeezed) else ""


def address_host(text: str) -> str:
    """The host of a planned or discovered address ("https://10.0.0.5:443/x" -> "10.0.0.5"), lower case."""
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text.strip().lower()).split("/", 1)[0]
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def address_port(text: str) -> str:
    """The port written in an address ("10.0.0.5:8443" -> "8443"), or "" when it gives none."""
    rest = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text.strip().lower()).split("/", 1)[0]
    if rest.startswith("["):
        rest = rest.split("]", 1)[-1]
    elif rest.count(":") != 1:
        return ""
    return rest.rsplit(":", 1)[-1] if ":" in rest else ""


def _valid_address(text: str) -> bool:
    host = address_host(text)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return bool(re.fullmatch(r"[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?", host))
    return True
