"""The residents/buttons list an installer receives as CSV: its columns mapped to directory fields,
every row checked against the document's rules (§5.14.1) with its line number; and the CSV export."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.backend.site_csv import neutralised
from app.core.errors import ConfigurationError
from app.vendors.two_n.directory_models import DirectoryEntry

_UUID = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
_EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")
_VIRT_NUMBER = re.compile(r"^[A-Z0-9]([0-9]{0,5}[A-Z0-9])?$")
_BUTTONS = re.compile(r"^[1-9][0-9]*(,[1-9][0-9]*)*$")
#: The largest list read (a directory holds at most 10000 uuids, §5.14.6).
MAX_ROWS = 10_000
MAX_FILE_BYTES = 8 << 20


def _check_name(value: str) -> str:
    return "is longer than the 63 characters the intercom allows" if len(value) > 63 else ""


def _check_buttons(value: str) -> str:
    if not value or _BUTTONS.match(value):
        return ""
    return "is not a comma-separated list of button numbers (1, 2, …)"


def _check_email(value: str) -> str:
    bad = [a for a in value.split(",") if not _EMAIL.match(a.strip())] if value else []
    return f"is not an e-mail address ({bad[0].strip() or 'empty'})" if bad else ""


def _check_virt_number(value: str) -> str:
    if not value or _VIRT_NUMBER.match(value):
        return ""
    return "must be up to 7 characters: digits, and A–Z or a digit first and last"


def _check_uuid(value: str) -> str:
    return "" if not value or _UUID.match(value) else "is not a uuid (XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX)"


def _no_check(value: str) -> str:
    return ""


@dataclass(frozen=True, slots=True)
class ImportField:
    """A directory field the list can fill: its path (§5.14.1), its label and the headers meaning it."""

    key: str
    label: str
    aliases: tuple[str, ...]
    check: Callable[[str], str]


IMPORT_FIELDS: tuple[ImportField, ...] = (
    ImportField("name", "Name", ("name", "resident", "full name", "display name", "tenant"), _check_name),
    ImportField("buttons", "Buttons", ("buttons", "button", "button number", "buttons assigned"),
                _check_buttons),
    ImportField("callPos[0].peer", "Number to call",
                ("number to call", "phone", "number", "phone number", "sip", "sip uri", "peer", "extension"),
                _no_check),
    ImportField("callPos[1].peer", "Second number", ("second number", "phone 2", "mobile", "number 2"),
                _no_check),
    ImportField("email", "E-mail", ("e-mail", "email", "mail"), _check_email),
    ImportField("virtNumber", "Virtual number", ("virtual number", "virtnumber", "dial code"),
                _check_virt_number),
    ImportField("treepath", "Folder", ("folder", "treepath", "group"), _no_check),
    ImportField("uuid", "UUID", ("uuid",), _check_uuid),
)
FIELDS_BY_KEY: dict[str, ImportField] = {f.key: f for f in IMPORT_FIELDS}


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A CSV file's header and records, each record with the line it starts on (the header is line 1)."""

    headers: tuple[str, ...]
    records: tuple[tuple[int, tuple[str, ...]], ...]
    delimiter: str


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a line of the list is not imported."""

    line: int
    text: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.text}"


@dataclass(frozen=True, slots=True)
class ImportRow:
    """A good row: its line and the value of each mapped field (stripped, normalised)."""

    line: int
    values: Mapping[str, str]

    @property
    def name(self) -> str:
        """The resident's name ("" when only a uuid names the entry)."""
        return self.values.get("name", "")


@dataclass(frozen=True, slots=True)
class ImportList:
    """The rows that can be imported and, for every other line, why not."""

    rows: tuple[ImportRow, ...]
    problems: tuple[RowProblem, ...]
    mapped: tuple[str, ...]


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); lists saved by older spreadsheets in Windows-1252 are read too."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_table(data: bytes) -> CsvTable:
    """Parse CSV bytes (comma, semicolon or tab separated); ConfigurationError when unusable."""
    if len(data) > MAX_FILE_BYTES:
        raise ConfigurationError("The list is larger than 8 MB; that is not a residents list.")
    text = _decode(data)
    header = text.lstrip("\r\n").split("\n", 1)[0]
    # The separator is the one the column names use most (a spreadsheet set to a comma-decimal locale
    # writes semicolons); values may hold the others.
    delimiter = max(",;\t", key=header.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, tuple[str, ...]]] = []
    start = 1
    try:
        for cells in reader:
            records.append((start, tuple(cells)))
            start = reader.line_num + 1
            if len(records) > MAX_ROWS + 1:
                raise ConfigurationError(f"The list has more than {MAX_ROWS} rows; a directory holds fewer.")
    except csv.Error as err:
        raise ConfigurationError(f"Line {reader.line_num} of the list cannot be read: {err}") from err
    if not records or not any(cell.strip() for cell in records[0][1]):
        raise ConfigurationError("The list is empty or its first line (the column names) is blank.")
    headers = tuple(cell.strip() for cell in records[0][1])
    return CsvTable(headers, tuple(records[1:]), delimiter)


def guess_mapping(headers: Sequence[str]) -> dict[str, int | None]:
    """Field key -> column index for headers that name a field (case and spacing ignored), else None."""
    normal = [" ".join(h.casefold().replace("_", " ").split()) for h in headers]
    mapping: dict[str, int | None] = {}
    for field in IMPORT_FIELDS:
        mapping[field.key] = next((normal.index(a) for a in field.aliases if a in normal), None)
    return mapping


def mapping_problems(mapping: Mapping[str, int | None], headers: Sequence[str]) -> list[str]:
    """What keeps a mapping from being used: no name (or uuid) column, one column used twice."""
    problems = []
    if mapping.get("name") is None and mapping.get("uuid") is None:
        problems.append("Choose the column that holds the residents' names.")
    used = [c for c in mapping.values() if c is not None]
    for column in sorted({c for c in used if used.count(c) > 1}):
        problems.append(f"The column {headers[column]!r} is chosen for more than one field.")
    return problems


def _normalised(key: str, value: str) -> str:
    value = value.strip()
    if key == "buttons":
        return ",".join(part.strip() for part in value.split(",")) if value else ""
    if key == "uuid":
        return value.upper()
    if key == "treepath":
        return value or "/"
    return value


def _row(line: int, cells: tuple[str, ...], mapping: Mapping[str, int | None],
         width: int) -> tuple[ImportRow | None, list[RowProblem]]:
    if len(cells) != width:
        return None, [RowProblem(line, f"{len(cells)} cells, but the header names {width} columns")]
    values = {key: _normalised(key, cells[column]) for key, column in mapping.items() if column is not None}
    problems = [RowProblem(line, f"{FIELDS_BY_KEY[key].label} {value!r} {error}")
                for key, value in values.items() if (error := FIELDS_BY_KEY[key].check(value))]
    if not values.get("name") and not values.get("uuid"):
        problems.append(RowProblem(line, "no name"))
    return (None if problems else ImportRow(line, values)), problems


def parse_rows(table: CsvTable, mapping: Mapping[str, int | None]) -> ImportList:
    """Every record checked; a blank line is skipped, any other bad line is reported, none dropped."""
    rows: list[ImportRow] = []
    problems: list[RowProblem] = []
    first_line: dict[tuple[str, str], int] = {}
    for line, cells in table.records:
        if not any(cell.strip() for cell in cells):
            continue
        row, found = _row(line, cells, mapping, len(table.headers))
        problems += found
        if row is None:
            continue
        key = ("uuid", row.values["uuid"]) if row.values.get("uuid") else ("name", row.name.casefold())
        if key in first_line:
            what = "uuid" if key[0] == "uuid" else "name"
            problems.append(RowProblem(line, f"the same {what} as line {first_line[key]}"))
            continue
        first_line[key] = line
        rows.append(row)
    mapped = tuple(key for key, column in mapping.items() if column is not None)
    return ImportList(tuple(rows), tuple(sorted(problems, key=lambda p: p.line)), mapped)


def export_csv(entries: Sequence[DirectoryEntry], path: Path) -> None:
    """Write the entries as a list the import reads back (same column names); formula cells neutralised."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([field.label for field in IMPORT_FIELDS])
        for entry in entries:
            writer.writerow([neutralised(entry.text(field.key)) for field in IMPORT_FIELDS])
