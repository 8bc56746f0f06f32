"""Device history survives closing and reopening the database and never stores known secrets."""

from __future__ import annotations

from pathlib import Path

from app.backend.history import DeviceHistory
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
