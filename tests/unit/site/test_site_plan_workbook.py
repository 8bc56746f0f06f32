"""An Excel schedule is read like a CSV one: its first sheet, a refused row named by its sheet row."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from app.site.plan import PlanField, PlanFileError, guess_mapping, parse_plan, read_headers
from app.site.plan_file import plan_text


def schedule_workbook() -> bytes:
    """A designer's schedule as a spreadsheet program saves it: a title above the table, numbers typed
    as numbers, a blank row, a date, a line break in a note, and a second sheet the import ignores."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Devices"
    sheet.append(["Depot North device schedule"])
    sheet.append([])
    sheet.append(["Device name", "Location", "Serial number", "MAC address", "IP address", "Notes",
                  "Installed"])
    sheet.append(["RAD-01 Gate radar", "Main gate", 20000, "02:1D:C9:00:4E:20", "192.168.10.21",
                  "Alarm area 8 m\nnext to pole P1", date(2026, 12, 1)])
    sheet.append([])
    sheet.append(["CAM-01 Yard", "Roof", "ACCC8E4A0002", None, None, None, None])
    sheet.append([None, "Nowhere", 123.0, None, None, "no name", None])
    sheet.append(["SBC-01", "Rack A2", None, "not-a-mac", None, None, None])
    other = book.create_sheet("Cabling")
    other.append(["Cable", "From", "To"])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_the_first_sheet_is_read_below_its_title_with_rows_numbered_as_the_spreadsheet_shows_them() -> None:
    text = plan_text("Depot schedule.XLSX", schedule_workbook())
    headers = read_headers(text)
    mapping = guess_mapping(headers)

    imported = parse_plan(text, mapping)

    assert headers[:3] == ("Device name", "Location", "Serial number")
    assert mapping[PlanField.NAME] == "Device name"
    radar, camera = imported.rows
    assert (radar.line, radar.name, radar.serial, radar.mac, radar.address) == (
        4, "RAD-01 Gate radar", "20000", "02:1D:C9:00:4E:20", "192.168.10.21")
    assert radar.notes == "Alarm area 8 m next to pole P1"
    assert (camera.line, camera.serial) == (6, "ACCC8E4A0002")
    assert [(p.line, p.message) for p in imported.problems] == [
        (7, "no planned name"),
        (8, "'not-a-mac' is not a MAC address (12 hexadecimal digits)"),
    ]
    assert "Cable" not in text  # only the first sheet is the schedule


def test_a_csv_file_is_read_as_text_and_a_damaged_workbook_is_refused_by_name() -> None:
    assert plan_text("plan.csv", "Name;Serial\r\nA;1\r\n".encode("cp1252")) == "Name;Serial\r\nA;1\r\n"
    with pytest.raises(PlanFileError, match=r"site\.xlsx cannot be read as an Excel workbook"):
        plan_text("site.xlsx", b"PK\x03\x04 not really a workbook")
