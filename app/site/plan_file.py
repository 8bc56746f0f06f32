"""A schedule file as the plan import reads it: CSV text as it is, an Excel workbook's first sheet as CSV
text with one line per sheet row, so a refused row names the row the spreadsheet shows (Qt-free)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time
from pathlib import PurePath

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from app.site.plan import PlanFileError, decode_plan

#: The suffixes read as Excel workbooks.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def plan_text(name: str, data: bytes) -> str:
    """The schedule's text: a workbook's first sheet (by its suffix) as CSV, else the file decoded."""
    if PurePath(name).suffix.lower() in WORKBOOK_SUFFIXES:
        return workbook_text(data, name)
    return decode_plan(data)


def workbook_text(data: bytes, name: str = "the workbook") -> str:
    """The first sheet as CSV text, every value quoted; line n is sheet row n (a line break inside a cell
    becomes a space). PlanFileError when `data` is not a workbook openpyxl can read."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise PlanFileError(f"{name} cannot be read as an Excel workbook: {err}") from err
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise PlanFileError(f"{name} has no worksheet.")
        out = io.StringIO()
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
        for values in sheet.iter_rows(values_only=True):  # from row 1, empty rows included
            writer.writerow([cell_text(value) for value in values])
    finally:
        workbook.close()
    return out.getvalue()


def cell_text(value: object) -> str:
    """A cell's value as the schedule means it: a whole number without ".0" (a serial typed as a number),
    a date in ISO form, nothing for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
