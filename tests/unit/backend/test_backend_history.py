"""Device history survives closing and reopening the database and never stores known secrets."""

from __future__ import annotations

from pathlib import Path

from app.backend.history import DeviceHistory, without_settled_starts
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

