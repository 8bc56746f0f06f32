"""Matching the plan to the devices found: serial or MAC first (case and separators ignored), then address."""

from __future__ import annotations

from app.site.plan import PlanRow
from app.site.plan_match import FoundDevice, match_plan

RADAR = FoundDevice("inxpect:20000", "inxpect", "MSK-101-POE", "20000", "02:1d:c9:00:4e:20",
                    "https://127.0.0.1:8443", "1.100")
CAMERA = FoundDevice("axis:ACCC8E4A0002", "axis", "AXIS Q3819-PVE", "ACCC8E4A0002", "AC:CC:8E:4A:00:02",
                     "https://10.0.0.41:443")
INTERCOM = FoundDevice("two_n:08-0000-0001", "two_n", "2N IP Vario", "08-0000-0001", "", "https://10.0.0.31")
STRANGER = FoundDevice("axis:ACCC8E000009", "axis", "AXIS M3106", "ACCC8E000009", "", "https://10.0.0.99")


def test_serial_and_mac_match_before_the_planned_address() -> None:
    rows = [
        PlanRow(2, "Radar", serial="20000"),
        PlanRow(3, "Camera", mac="accc.8e4a.0002", address="10.0.0.31"),  # its address is the intercom's
        PlanRow(4, "Intercom", serial="0800-00-0001"),
    ]

    matching = match_plan(rows, [INTERCOM, STRANGER, CAMERA, RADAR])

    assert [(m.row.name, m.device, m.by) for m in matching.planned] == [
        ("Radar", RADAR, "serial"), ("Camera", CAMERA, "MAC"), ("Intercom", INTERCOM, "serial"),
    ]
    assert matching.unplanned == (STRANGER,)
    assert matching.row_for(CAMERA.key) == rows[1]


def test_a_mac_in_the_serial_column_matches_and_address_matches_only_what_is_left() -> None:
    rows = [
        PlanRow(2, "Radar", serial="02-1D-C9-00-4E-20"),  # the radar's MAC written in the serial column
        PlanRow(3, "By address", address="10.0.0.99:443"),
        PlanRow(4, "Same address again", address="10.0.0.99"),
        PlanRow(5, "Absent", serial="20007"),
    ]

    matching = match_plan(rows, [RADAR, STRANGER])

    assert [(m.row.name, m.device.key if m.device else None, m.by) for m in matching.planned] == [
        ("Radar", RADAR.key, "MAC"), ("By address", STRANGER.key, "address"),
        ("Same address again", None, ""), ("Absent", None, ""),
    ]
    assert [row.name for row in matching.missing] == ["Same address again", "Absent"]
    assert matching.unplanned == ()


def test_a_planned_port_must_match_and_a_plan_without_one_matches_any_port() -> None:
    first = FoundDevice("seen:addr:127.0.0.1:40001", "inxpect", address="https://127.0.0.1:40001")
    second = FoundDevice("seen:addr:127.0.0.1:40002", "inxpect", address="https://127.0.0.1:40002")
    default = FoundDevice("axis:X", "axis", address="https://[::1]/")
    rows = [PlanRow(2, "Second", address="127.0.0.1:40002"), PlanRow(3, "Any port", address="127.0.0.1"),
            PlanRow(4, "IPv6", address="[::1]:443")]

    matching = match_plan(rows, [first, second, default])

    assert [m.device for m in matching.planned] == [second, first, default]
