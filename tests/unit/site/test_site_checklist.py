"""Each planned device's checklist comes from its capabilities and the entries the panels record."""

from __future__ import annotations

from pathlib import Path

from app.backend import evidence
from app.backend.history import DeviceHistory
from app.site.checklist import Check
from app.site.plan import PlanRow
from app.site.plan_match import FoundDevice
from app.site.visit_state import visit_state
from app.vendors.base import acceptance_tests_of
from app.vendors.registry import plugins

RADAR = FoundDevice("inxpect:20000", "inxpect", "MSK-101-POE", "20000", "", "https://127.0.0.1:8443", "1.100")
MEDIANT = FoundDevice("audiocodes:1017", "audiocodes", "Mediant 800", "1017", "", "https://127.0.0.1:9443",
                      "7.20A.200.014")
DOOR_STATION = FoundDevice("hikvision:G36924931", "hikvision", serial="G36924931")
ROWS = (
    PlanRow(2, "Gate radar", serial="20000", firmware="1.102"),
    PlanRow(3, "SBC", serial="1017", firmware="7.20A.200.014"),
    PlanRow(4, "Door station", serial="G36924931"),
    PlanRow(5, "Absent radar", serial="20007", firmware="1.102"),
)


def _items(state_checklist: object) -> dict[Check, tuple[bool, str]]:
    return {item.check: (item.done, item.evidence) for item in state_checklist.items}  # type: ignore[attr-defined]


def test_a_radar_is_done_once_trusted_password_firmware_configuration_and_walk_test_are_recorded(
    tmp_path: Path,
) -> None:
    history = DeviceHistory(tmp_path / "h.sqlite3")
    history.record(RADAR.key, "Certificate", "trusted", {"fingerprint": "AB:CD"})
    history.record(RADAR.key, "Logged in", "done")

    before = visit_state(ROWS, [RADAR], history).checklists[0]

    assert _items(before) == {
        Check.FOUND: (True, "found at https://127.0.0.1:8443"),
        Check.CERTIFICATE: (True, "trusted"),
        Check.PASSWORD: (False, ""),
        Check.FIRMWARE: (False, "runs 1.100, target 1.102"),
        Check.CONFIGURED: (False, ""),
        Check.ACCEPTANCE: (False, "walk test: not yet"),
    }
    history.record(RADAR.key, evidence.FACTORY_PASSWORD_CHANGED, "done")
    history.record(RADAR.key, "Updating sensor firmware", "started")
    history.record(RADAR.key, "Updating sensor firmware", "succeeded")
    history.record(RADAR.key, evidence.FIRMWARE_UPDATED, "done",
                   {"from": "1.100", "to": "1.102", "file": "MSK101_sensor_v1.102.ifw"})
    history.record(RADAR.key, evidence.CALIBRATION_SAVED, "done", {"coefficient": 1234})
    history.record(RADAR.key, evidence.WALK_TEST, "passed", {"alarm_at_m": 8.0, "area_ends_m": 8.0})

    after = visit_state(ROWS, [RADAR], history).checklists[0]

    assert after.done
    assert after.summary == "done"
    items = _items(after)
    assert items[Check.FIRMWARE] == (True, "runs 1.102, target 1.102")
    assert items[Check.ACCEPTANCE][1].startswith("walk test: passed")
    assert "Calibration saved" in items[Check.CONFIGURED][1]


def test_a_later_failure_reopens_the_acceptance_test_and_a_missing_device_keeps_everything_open(
    tmp_path: Path,
) -> None:
    history = DeviceHistory(tmp_path / "h.sqlite3")
    history.record(MEDIANT.key, "Certificate", "pinned to the serial read after login")
    history.record(MEDIANT.key, evidence.CERTIFICATE_REPLACED, "confirmed", {"context": "0"})
    history.record(MEDIANT.key, evidence.CERTIFICATE_REPLACED, "unconfirmed", {"context": "0"})

    state = visit_state(ROWS, [MEDIANT, RADAR], history)
    mediant, absent = state.checklists[1], state.checklists[3]

    assert _items(mediant)[Check.CERTIFICATE] == (True, "pinned to the serial read after login")
    assert _items(mediant)[Check.FIRMWARE][0] is True  # already runs the target
    assert Check.PASSWORD not in _items(mediant)  # a Mediant has no first-password step
    assert _items(mediant)[Check.ACCEPTANCE][0] is False
    assert [item.check for item in absent.open_items] == [
        Check.FOUND, Check.FIRMWARE, Check.CONFIGURED, Check.ACCEPTANCE,
    ]
    assert state.progress.words == "0 of 4 done"


def test_a_cloud_device_is_done_once_registered_and_its_site_hand_over_accepted(tmp_path: Path) -> None:
    history = DeviceHistory(tmp_path / "h.sqlite3")
    history.record(DOOR_STATION.key, "Register to site Depot", "done", {"code": "200", "message": ""})
    history.record(DOOR_STATION.key, evidence.CLOUD_DEVICE_STATE, "online",
                   {"model": "DS-KD8003-IME1", "handover": "not handed over"})

    registered = visit_state(ROWS, [DOOR_STATION], history).checklists[2]

    assert [item.check for item in registered.items] == [Check.FOUND, Check.CONFIGURED, Check.ACCEPTANCE]
    done, words = _items(registered)[Check.ACCEPTANCE]
    assert not done
    assert words.startswith("cloud registration: done ")
    assert "; hand-over: not handed over " in words

    history.record(DOOR_STATION.key, evidence.CLOUD_DEVICE_STATE, "online",
                   {"model": "DS-KD8003-IME1", "handover": evidence.HANDOVER_ACCEPTED})
    state = visit_state(ROWS, [DOOR_STATION], history)

    assert state.checklists[2].done
    assert state.progress.words == "1 of 4 done"
    accepted = _items(state.checklists[2])[Check.ACCEPTANCE][1]
    assert f"; hand-over: {evidence.HANDOVER_ACCEPTED} " in accepted  # said once, not "accepted: accepted"


def test_an_intercom_is_accepted_only_after_its_door_test_and_its_test_call(tmp_path: Path) -> None:
    intercom = FoundDevice("two_n:08-0000-0001", "two_n", "2N IP Vario", "08-0000-0001")
    rows = (PlanRow(2, "Visitor intercom", serial="08-0000-0001"),)
    history = DeviceHistory(tmp_path / "h.sqlite3")
    history.record(intercom.key, evidence.TWO_N_DOOR_TEST, "passed", {"summary": "door 1 opened"})

    after_door = _items(visit_state(rows, [intercom], history).checklists[0])[Check.ACCEPTANCE]
    history.record(intercom.key, evidence.TWO_N_TEST_CALL, "passed", {"summary": "call connected"})
    after_call = _items(visit_state(rows, [intercom], history).checklists[0])[Check.ACCEPTANCE]

    assert after_door[0] is False
    assert after_door[1].startswith("door test: passed ")
    assert after_door[1].endswith("; test call: not yet")
    assert after_call[0] is True
    assert "; test call: passed " in after_call[1]


def test_the_acceptance_tests_come_from_the_plugins_and_a_vendor_without_any_has_no_such_item(
    tmp_path: Path,
) -> None:
    declared = {plugin.vendor_id: [t.name for t in acceptance_tests_of(plugin)] for plugin in plugins()}
    sixth = FoundDevice("sixth:1", "sixth", "Box", "1")
    history = DeviceHistory(tmp_path / "h.sqlite3")
    history.record(sixth.key, "Walk test", "passed", {"alarm_at_m": 8.0})

    items = _items(visit_state((PlanRow(2, "Box", serial="1"),), [sixth], history).checklists[0])

    assert declared == {
        "inxpect": ["walk test"],
        "two_n": ["door test", "test call"],
        "axis": ["alignment recorded"],
        "audiocodes": ["certificate installed and verified"],
        "hikvision": ["cloud registration", "hand-over"],
    }
    assert Check.ACCEPTANCE not in items  # nothing names a test for a vendor no plugin declares one for


def test_opening_a_device_its_first_password_and_a_test_call_configure_nothing(tmp_path: Path) -> None:
    history = DeviceHistory(tmp_path / "h.sqlite3")
    # What a demo session records on a radar and an intercom that were only opened and tried.
    history.record(RADAR.key, "Open MSK-101-POE (20000) at 127.0.0.1:45807", "succeeded")
    history.record(RADAR.key, evidence.FACTORY_PASSWORD_CHANGED, "done")
    history.record(RADAR.key, "Changing the factory password", "succeeded")
    history.record(RADAR.key, "Test call to sip:200@127.0.0.1", "succeeded")

    items = _items(visit_state(ROWS, [RADAR], history).checklists[0])

    assert items[Check.CONFIGURED] == (False, "")
    assert items[Check.PASSWORD][0] is True
