"""Device history survives closing and reopening the database and never stores known secrets."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.backend.history import INTERRUPTED_RESULT, DeviceHistory, without_settled_starts
from app.backend.redact import REDACTOR


def test_history_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "history.sqlite"
    first = DeviceHistory(path)
    first.record("axis:A", "Set time", "succeeded", {"ntp": "pool.example"})
    first.record("axis:B", "Reboot", "failed", {"code": 503})
    first.close()

    reopened = DeviceHistory(path)
    entries = reopened.entries("axis:A")
    assert [(e.device_key, e.action, e.result, dict(e.detail)) for e in entries] == [
        ("axis:A", "Set time", "succeeded", {"ntp": "pool.example"}),
    ]
    assert reopened.entries("axis:B")[0].detail == {"code": 503}
    reopened.close()


def test_history_redacts_secrets_in_details(tmp_path: Path) -> None:
    REDACTOR.add("history-secret-123")
    history = DeviceHistory(tmp_path / "h.sqlite")
    history.record("two_n:1", "Change password", "succeeded", {"note": "set to history-secret-123"})
    history.close()
    assert b"history-secret-123" not in (tmp_path / "h.sqlite").read_bytes()
    assert DeviceHistory(tmp_path / "h.sqlite").entries("two_n:1")[0].detail == {"note": "set to ***"}


def test_a_start_is_dropped_once_its_outcome_is_recorded(tmp_path: Path) -> None:
    history = DeviceHistory(tmp_path / "h.sqlite")
    for action, result in (
        ("Upload firmware", "started"),
        ("Read config", "started"),
        ("Read config", "succeeded"),
        ("Upload firmware", "failed"),
        ("Upload firmware", "started"),  # a retry: no outcome yet
        ("Certificate", "pinned"),
    ):
        history.record("inxpect:1", action, result)
    oldest_first = list(reversed(history.entries("inxpect:1")))
    assert [(e.action, e.result) for e in without_settled_starts(oldest_first)] == [
        ("Read config", "succeeded"),
        ("Upload firmware", "failed"),
        ("Upload firmware", "started"),
        ("Certificate", "pinned"),
    ]
    history.close()



def test_escaped_non_ascii_and_short_secrets_never_reach_the_database(tmp_path: Path) -> None:
    quoted, accented, short = 'hi"st\\ory', "ßecrèt-密码", "k9"
    for secret in (quoted, accented, short):
        REDACTOR.add(secret)
    path = tmp_path / "h.sqlite"
    history = DeviceHistory(path)
    history.record("two_n:1", "Change password", "failed", {
        "message": f"device said: {quoted!r} / {accented}", "password": short, "tried": [short, "ok"],
    })
    history.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    for form in (quoted, accented, short, json.dumps(quoted)[1:-1], json.dumps(accented)[1:-1]):
        assert form.encode("utf-8") not in raw
        assert form.encode("unicode_escape") not in raw or len(form) < 3
    reopened = DeviceHistory(path)
    detail = reopened.entries("two_n:1")[0].detail
    reopened.close()
    assert detail == {"message": "device said: '***' / ***", "password": "***", "tried": ["***", "ok"]}


def test_a_start_left_by_a_crash_is_marked_interrupted_in_the_database(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    before = DeviceHistory(path)
    before.record("axis:A", "Apply offsets", "started")
    before.record("axis:A", "Apply offsets", "succeeded")
    before.record("axis:A", "Firmware upgrade", "started")  # the app died here
    before.record("axis:B", "Reboot", "started")  # ... and here, then it was started again:
    before.record("axis:B", "Reboot", "started")
    before.record("axis:B", "Reboot", "failed", {"code": 503})
    before.record("axis:C", "Backup", "started")  # the app died here too
    before.close()

    after = DeviceHistory(path)
    assert after.mark_interrupted() == 3
    assert after.mark_interrupted() == 0  # idempotent
    keys = ("axis:A", "axis:B", "axis:C")
    results = {key: [(e.action, e.result) for e in reversed(after.entries(key))] for key in keys}
    after.close()
    assert results == {
        "axis:A": [
            ("Apply offsets", "started"),
            ("Apply offsets", "succeeded"),
            ("Firmware upgrade", INTERRUPTED_RESULT),
        ],
        "axis:B": [("Reboot", INTERRUPTED_RESULT), ("Reboot", "started"), ("Reboot", "failed")],
        "axis:C": [("Backup", INTERRUPTED_RESULT)],
    }


def test_device_keys_lists_devices_worked_on_since_a_moment(tmp_path: Path) -> None:
    history = DeviceHistory(tmp_path / "history.sqlite3")
    history.record("two_n:1", "Open", "succeeded")
    history.record("hpp:cloud", "Logged in", "done")
    history.record("two_n:1", "Door test", "succeeded")
    assert history.device_keys(datetime.now(UTC) - timedelta(minutes=1)) == ["two_n:1", "hpp:cloud"]
    assert history.device_keys(datetime.now(UTC) + timedelta(minutes=1)) == []
    history.close()
