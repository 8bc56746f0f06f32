"""The as-built report: summary with open items first, outcomes in words, escaped, no internal keys."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from app.backend import evidence
from app.backend.history import DeviceHistory
from app.site.as_built import DEMO_MARK, AsBuiltReport, render_as_built_html
from app.site.plan import PlanRow
from app.site.plan_match import FoundDevice
from app.site.visit import VisitDetails
from app.site.visit_state import visit_state

RADAR = FoundDevice("inxpect:20000", "inxpect", "MSK-101-POE", "20000", "02:1D:C9:00:4E:20",
                    "https://127.0.0.1:8443", "1.102", "<b>radar</b>")
MEDIANT = FoundDevice("audiocodes:1017", "audiocodes", "Mediant 800", "1017", "", "https://127.0.0.1:9443",
                      "7.20A.200.014")
STRANGER = FoundDevice("axis:ACCC8E000009", "axis", "AXIS <M3106>", "ACCC8E000009")
ROWS = (
    PlanRow(2, "Gate radar", "Gate <P1>", serial="20000", firmware="1.102"),
    PlanRow(3, "SBC", "Rack A2", serial="1017", firmware="7.40"),
    PlanRow(4, "Absent camera", "Car park", serial="ACCC8E4A0099"),
)
DETAILS = VisitDetails(site="Depot", customer="ACME & Co", technician="Ana Field", company="Installers Ltd")


def _history(tmp_path: Path) -> DeviceHistory:
    history = DeviceHistory(tmp_path / "h.sqlite3")
    history.record(RADAR.key, "Certificate", "trusted", {"fingerprint": "AB:CD"})
    history.record(RADAR.key, evidence.FACTORY_PASSWORD_CHANGED, "done")
    history.record(RADAR.key, evidence.FIRMWARE_UPDATED, "done",
                   {"from": "1.100", "to": "1.102", "file": "MSK101_sensor_v1.102.ifw"})
    history.record(RADAR.key, evidence.CALIBRATION_SAVED, "done", {"coefficient": 1234})
    history.record(RADAR.key, evidence.WALK_TEST, "passed", {"alarm_at_m": 8.0, "area_ends_m": 8.0})
    history.record(MEDIANT.key, "Certificate", "trusted")
    history.record(MEDIANT.key, evidence.CERTIFICATE_REPLACED, "confirmed", {
        "context": "0", "installed": "AA:BB", "served": "AA:BB", "verified_by": "TLS handshake",
        "subject": "CN=sbc.acme.example", "issuer": "CN=ACME Issuing CA", "not_after": "2028-01-31",
    })
    history.record(MEDIANT.key, "Site job: configuration backup", "succeeded",
                   {"job": "job-7f3a", "message": "Saved 42 KiB to backups/sbc.ini."})
    history.record(MEDIANT.key, "Restart the device", "failed", {"error": "DeviceTimeoutError",
                                                                  "message": "No answer <in 30 s>."})
    return history


def _page(tmp_path: Path, *, demo: bool = False) -> str:
    state = visit_state(ROWS, [RADAR, MEDIANT, STRANGER], _history(tmp_path))
    return render_as_built_html(AsBuiltReport(DETAILS, state, datetime(2026, 12, 5, 10, tzinfo=UTC), demo))


def test_the_summary_lists_open_items_first_and_the_outcomes_in_words(tmp_path: Path) -> None:
    page = _page(tmp_path)

    summary = page[page.index("<h2>Summary"):page.index("<h2>Found but not")]
    assert summary.index("Absent camera") < summary.index("SBC") < summary.index("Gate radar")
    assert "1 of 3 done" in page
    assert ("<b>Absent camera</b> (Car park): not found on the network; still to do: configured, "
            "acceptance test passed") in page
    assert "walk test passed: alarm at 8.0 m, alarm area ends at 8.0 m" in page
    assert "calibration saved: coefficient 1234" in page
    assert "firmware 1.100 → 1.102 from MSK101_sensor_v1.102.ifw" in page
    assert ("TLS certificate installed (verified by TLS handshake), subject CN=sbc.acme.example, "
            "issuer CN=ACME Issuing CA, expires 2028-01-31") in page
    assert "Restart the device: failed — No answer &lt;in 30 s&gt;." in page
    assert "site job (configuration backup): succeeded — Saved 42 KiB to backups/sbc.ini." in page
    assert "job-7f3a" not in page
    assert "Technician: Ana Field" in page
    assert "Customer: ACME &amp; Co" in page
    assert page.count("Signature:") == 2
    assert DEMO_MARK not in page


def test_device_and_plan_text_is_escaped_and_internal_keys_and_json_stay_out(tmp_path: Path) -> None:
    page = _page(tmp_path, demo=True)

    assert "Gate &lt;P1&gt;" in page
    assert "AXIS &lt;M3106&gt;" in page
    assert "<M3106>" not in page
    assert "<P1>" not in page
    for internal in ("inxpect:20000", "audiocodes:1017", "axis:ACCC8E000009", "{", '"coefficient"',
                     "DeviceTimeoutError", "AA:BB", "verified_by"):
        assert internal not in page.split("</style>", 1)[1], internal
    assert f"{DEMO_MARK} — made on the simulated demo site" in page


def test_markup_in_any_device_plan_or_history_field_is_shown_as_text(tmp_path: Path) -> None:
    mark = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    device = FoundDevice(f"axis:{mark}", "axis", mark, mark, mark, mark, mark, mark)
    row = PlanRow(2, mark, mark, mark, mark, mark, notes=mark)
    history = DeviceHistory(tmp_path / "h.sqlite3")
    history.record(device.key, mark, "failed", {"message": mark})
    history.record(device.key, evidence.FIRMWARE_UPDATED, "done", {"from": mark, "to": mark, "file": mark})
    details = VisitDetails(mark, mark, mark, mark, mark)

    page = render_as_built_html(AsBuiltReport(
        details, visit_state([row], [device], history), datetime(2026, 12, 5, tzinfo=UTC), demo=True,
    ))

    assert "<script" not in page
    assert "<img" not in page
    assert page.count("&lt;script&gt;") >= 12


def test_cloud_devices_and_an_intercom_are_reported_in_words_with_what_the_cloud_says_of_them(
    tmp_path: Path,
) -> None:
    intercom = FoundDevice("two_n:08-0000-0001", "two_n", "2N IP Vario", "08-0000-0001")
    door = FoundDevice("hikvision:G36924931", "hikvision", serial="G36924931")  # known only to the history
    rows = (PlanRow(2, "Visitor intercom", serial="08-0000-0001"),
            PlanRow(3, "Door station", serial="G36924931"))
    history = DeviceHistory(tmp_path / "h.sqlite3")
    history.record(intercom.key, evidence.DISPLAY_PICTURE, "done", {
        "file": "acme-logo.png", "display": "ext1", "how": "an overlay", "width": 320, "height": 240})
    history.record(intercom.key, "Upload display image", "succeeded")
    history.record(intercom.key, evidence.TWO_N_DOOR_TEST, "passed", {"summary": "door 1 opened and closed"})
    history.record(intercom.key, evidence.TWO_N_TEST_CALL, "passed", {"summary": "sip:200 answered"})
    history.record(door.key, "Register to site Depot", "done", {"code": "200", "message": "OK"})
    for handover in ("not handed over", evidence.HANDOVER_ACCEPTED):
        history.record(door.key, evidence.CLOUD_DEVICE_STATE, "online", {
            "model": "DS-KD8003-IME1", "name": "Staff door", "firmware": "V2.2.3", "site": "Depot",
            "handover": handover})

    state = visit_state(rows, [intercom], history, worked_on=[door])
    page = render_as_built_html(AsBuiltReport(DETAILS, state, datetime(2026, 12, 5, 10, tzinfo=UTC)))
    body = page.split("</style>", 1)[1]

    assert "picture acme-logo.png (320×240) put on the display as an overlay" in body
    assert body.count("put on the display") == 1  # the upload's own entry adds nothing more
    assert "door test passed: door 1 opened and closed" in body
    assert "test call passed: sip:200 answered" in body
    assert ("cloud device DS-KD8003-IME1 “Staff door”, firmware V2.2.3, online, in site Depot, "
            "hand-over accepted") in body
    summary = body[body.index("<h2>Summary"):body.index("<h2>Open items")]
    assert "<td>DS-KD8003-IME1</td>" in summary
    assert "<td>V2.2.3</td>" in summary
    assert state.checklists[1].done  # the door station: registered, and its site's hand-over accepted
    assert state.checklists[0].items[-1].done  # the intercom's acceptance: door test and test call
    for internal in ("hikvision:", "two_n", "wizard.", "handover", "{"):
        assert internal not in body, internal
