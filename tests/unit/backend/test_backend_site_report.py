"""The commissioning report: devices as listed, what was done to each, outcomes shown once, text escaped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.backend.history import DeviceHistory
from app.backend.redact import REDACTOR
from app.backend.site_report import ReportDevice, render_site_report

CAMERA = ReportDevice(
    key="axis:ACCC8E000001", title="AXIS Q3819-PVE (ACCC8E000001) at 127.0.0.1:8443",
    address="https://127.0.0.1:8443", firmware="11.9.60", state="online", fingerprint="AB:CD",
)
RADAR = ReportDevice(key="inxpect:20001", title="MSK-101-POE <lab>")


def test_each_device_shows_its_facts_and_its_operations_outcomes_oldest_first(tmp_path: Path) -> None:
    history = DeviceHistory(tmp_path / "history.sqlite3")
    history.record(CAMERA.key, "Certificate", "trusted", {"fingerprint": "AB:CD"})
    history.record(CAMERA.key, "Apply stitching offsets", "started")
    history.record(CAMERA.key, "Apply stitching offsets", "succeeded")
    history.record(CAMERA.key, "Firmware upgrade", "started")  # the app stopped while it ran
    history.record(CAMERA.key, "Firmware upgrade", "started")
    history.record(CAMERA.key, "Firmware upgrade", "failed", {"error": "The camera refused the image."})

    page = render_site_report(
        [CAMERA, RADAR], history, site="Depot <north>", generated_at=datetime(2026, 11, 22, 10, tzinfo=UTC)
    )

    assert "<title>Commissioning report — Depot &lt;north&gt;</title>" in page
    assert "2 device(s), 1 with recorded work" in page
    camera = page[page.index("<h2>AXIS"):page.index("<h2>MSK")]
    for fact in ("https://127.0.0.1:8443", "11.9.60", "online", "AB:CD"):
        assert fact in camera
    order = [camera.index(step) for step in ("Certificate", "Apply stitching offsets", "Firmware upgrade")]
    assert order == sorted(order)
    assert camera.count("Apply stitching offsets") == 1  # "started" dropped once its outcome follows
    assert camera.count("interrupted (started, no outcome recorded)") == 1
    assert '<td class="failed">failed</td>' in camera
    assert "The camera refused the image." in camera
    assert "<h2>MSK-101-POE &lt;lab&gt;</h2>" in page
    assert "Nothing was done to this device." in page[page.index("<h2>MSK"):]
    history.close()


def test_secrets_recorded_in_the_history_stay_out_of_the_report(tmp_path: Path) -> None:
    REDACTOR.add("S1te-Secret!")
    history = DeviceHistory(tmp_path / "history.sqlite3")
    detail = {"password": "S1te-Secret!", "note": "S1te-Secret! set"}
    history.record(RADAR.key, "Credentials", "stored", detail)
    page = render_site_report([RADAR], history, site="x", generated_at=datetime.now(UTC))
    assert "S1te-Secret!" not in page
    assert "***" in page
    history.close()


def test_device_keys_lists_devices_worked_on_since_a_moment(tmp_path: Path) -> None:
    history = DeviceHistory(tmp_path / "history.sqlite3")
    history.record("two_n:1", "Open", "succeeded")
    history.record("hpp:cloud", "Logged in", "done")
    history.record("two_n:1", "Door test", "succeeded")
    assert history.device_keys(datetime.now(UTC) - timedelta(minutes=1)) == ["two_n:1", "hpp:cloud"]
    assert history.device_keys(datetime.now(UTC) + timedelta(minutes=1)) == []
    history.close()


def test_every_device_and_history_field_is_escaped(tmp_path: Path) -> None:
    mark = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    history = DeviceHistory(tmp_path / "history.sqlite3")
    device = ReportDevice(
        key=f"axis:{mark}", title=mark, address=mark, firmware=mark, state=mark, fingerprint=mark,
        vendor=mark, model=mark, name=mark, serial=mark, mac=mark,
    )
    history.record(device.key, mark, mark, {mark: mark})
    history.record(device.key, mark, "started")
    page = render_site_report([device], history, site=mark, generated_at=datetime.now(UTC))
    history.close()
    assert "<script" not in page
    assert "<img" not in page
    assert page.count("&lt;script&gt;") >= 10
