"""The device list as CSV: one row per device with its facts and the last thing done to it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from app.backend.history import DeviceHistory
from app.backend.site_csv import COLUMNS, render_device_csv
from app.backend.site_report import INTERRUPTED, ReportDevice

CAMERA = ReportDevice(
    key="axis:ACCC8E000001", title="AXIS Q3819-PVE (ACCC8E000001) at 127.0.0.1:8443",
    address="https://127.0.0.1:8443", firmware="11.9.60", state="online", fingerprint="AB:CD",
    vendor="Axis", model="AXIS Q3819-PVE", name="Gate, north", serial="ACCC8E000001", mac="ac:cc:8e:00:00:01",
)
RADAR = ReportDevice(key="inxpect:20001", title="MSK-101-POE (20001)", vendor="Inxpect", serial="20001")
INTERCOM = ReportDevice(key="two_n:08-1", title="2N IP Vario (08-1)", vendor="2N", serial="08-1")


def test_rows_carry_facts_and_the_last_outcome(tmp_path: Path) -> None:
    history = DeviceHistory(tmp_path / "history.sqlite3")
    history.record(CAMERA.key, "Apply stitching offsets", "started")
    history.record(CAMERA.key, "Apply stitching offsets", "succeeded")
    history.record(RADAR.key, "Updating radar sensor firmware", "started")  # never finished
    rows = list(csv.reader(io.StringIO(render_device_csv([CAMERA, RADAR, INTERCOM], history))))
    history.close()
    assert rows[0] == list(COLUMNS)
    camera = dict(zip(COLUMNS, rows[1], strict=True))
    assert camera["Name"] == "Gate, north"  # the comma survives quoting
    assert (camera["Serial"], camera["MAC"]) == ("ACCC8E000001", "ac:cc:8e:00:00:01")
    assert camera["Firmware"] == "11.9.60"
    assert (camera["Certificate SHA-256"], camera["State"]) == ("AB:CD", "online")
    assert (camera["Last action"], camera["Result"]) == ("Apply stitching offsets", "succeeded")
    assert camera["When"]
    radar = dict(zip(COLUMNS, rows[2], strict=True))
    assert (radar["Name"], radar["Result"]) == ("MSK-101-POE (20001)", INTERRUPTED)
    intercom = dict(zip(COLUMNS, rows[3], strict=True))
    assert (intercom["Last action"], intercom["Result"], intercom["When"]) == ("", "", "")


FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1"]


def test_a_cell_a_spreadsheet_would_run_is_neutralised(tmp_path: Path) -> None:
    history = DeviceHistory(tmp_path / "history.sqlite3")
    hostile = ReportDevice(
        key="axis:F", title=FORMULAS[0], address=FORMULAS[1], firmware=FORMULAS[2], state=FORMULAS[3],
        fingerprint=FORMULAS[4], vendor=FORMULAS[5], model=FORMULAS[6], name=FORMULAS[0],
        serial=FORMULAS[3], mac=FORMULAS[1],
    )
    history.record(hostile.key, "=cmd|' /C calc'!A0", "-failed")
    rows = list(csv.reader(io.StringIO(render_device_csv([hostile], history))))
    history.close()
    cells = rows[1]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r", "＝")) for cell in cells), cells
    row = dict(zip(COLUMNS, cells, strict=True))
    assert row["Name"] == "'" + FORMULAS[0]  # kept whole, shown as text
    assert row["Last action"] == "'=cmd|' /C calc'!A0"
    assert row["Result"] == "'-failed"
