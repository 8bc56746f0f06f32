"""The site plan read from CSV: mapping guessed from headers, every bad row reported with its line."""

from __future__ import annotations

import pytest

from app.core.paths import resource
from app.site.plan import (
    PlanField,
    PlanFileError,
    decode_plan,
    guess_mapping,
    normalised_mac,
    parse_plan,
    read_headers,
)

SCHEDULE = """Tag;Room;Make;Type;SN;MAC address;IP;FW;Remarks
Gate radar;Gate;Inxpect;MSK-101-POE;20000;02:1d:c9:00:4e:20;192.168.10.21;1.102;"pole P1; 3 m"

;;;;;;;;
No id;Yard;Axis;Q3819;;;;;
Bad mac;Yard;Axis;Q3819;;02:1d:zz;;;
Bad ip;Yard;Axis;Q3819;;;192.168.10.999 x;;
;Office;2N;Vario;08-0000-0001;;;;
Twin;Gate;Inxpect;MSK-101-POE;20000;;;;"two
lines"
Too many;Gate;Inxpect;MSK;20001;;;;;extra
Intercom;Hall;2N;IP Vario;08-0000-0002;FC-1E-B3-00-00-02;10.0.0.7:8443;;
"""


def test_headers_are_mapped_to_fields_by_their_words() -> None:
    mapping = guess_mapping(read_headers(SCHEDULE))

    assert mapping == {
        PlanField.NAME: "Tag", PlanField.LOCATION: "Room", PlanField.VENDOR: "Make", PlanField.MODEL: "Type",
        PlanField.SERIAL: "SN", PlanField.MAC: "MAC address", PlanField.ADDRESS: "IP",
        PlanField.FIRMWARE: "FW", PlanField.NOTES: "Remarks",
    }


def test_every_data_row_is_either_taken_or_reported_with_its_first_line() -> None:
    result = parse_plan(SCHEDULE, guess_mapping(read_headers(SCHEDULE)))

    assert [(row.line, row.name) for row in result.rows] == [(2, "Gate radar"), (12, "Intercom")]
    assert result.rows[0].notes == "pole P1; 3 m"
    assert result.rows[0].vendor == "Inxpect"
    assert result.rows[0].firmware == "1.102"
    problems = {problem.line: problem.message for problem in result.problems}
    assert sorted(problems) == [5, 6, 7, 8, 9, 11]  # blank lines (3, 4) are not rows
    assert "no serial, MAC or planned address" in problems[5]
    assert "'02:1d:zz' is not a MAC address" in problems[6]
    assert "is not an IP address or host name" in problems[7]
    assert problems[8] == "no planned name"
    assert problems[9] == "Twin: the same serial as line 2"  # a quoted value over two lines: line 9 starts it
    assert "10 cells but 9 columns" in problems[11]


def test_a_plan_without_a_name_column_or_header_is_refused_in_words() -> None:
    with pytest.raises(PlanFileError, match="planned name"):
        parse_plan(SCHEDULE, {PlanField.SERIAL: "SN"})
    with pytest.raises(PlanFileError, match="no header row"):
        read_headers("\n\n")


def test_a_spreadsheet_export_in_windows_1252_is_read() -> None:
    text = decode_plan("Name,Serial\nCaméra hall,ACCC8E000001\n".encode("cp1252"))

    rows = parse_plan(text, {PlanField.NAME: "Name", PlanField.SERIAL: "Serial"}).rows
    assert rows[0].name == "Caméra hall"


def test_macs_compare_whatever_their_separators_and_case() -> None:
    assert normalised_mac("ac:cc:8e:4a:00:02") == normalised_mac("ACCC.8E4A.0002") == "ACCC8E4A0002"
    assert normalised_mac("AC-CC-8E-4A-00") == ""


def test_the_shipped_sample_plan_reads_without_problems() -> None:
    text = decode_plan(resource("plans", "demo-site-plan.csv").read_bytes())
    result = parse_plan(text, guess_mapping(read_headers(text)))

    assert result.problems == ()
    assert len(result.rows) == 10
