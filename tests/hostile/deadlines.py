"""Deadlines for hostile-peer tests: short, so a trickling or silent peer costs well under a second."""

from __future__ import annotations

import pytest

from app.backend import transport
from app.discovery import identify

#: Deadlines in these tests: short, so the many trickling and silent cases stay quick. What is asserted
#: (a typed error, bounded bytes) holds whether a capped answer or the deadline ends a call first.
TEST_DEADLINE_S = 0.6
#: For tests where an honest device must be identified beside hostile ones, even on a loaded machine.
HONEST_DEADLINE_S = 2.5


def set_deadlines(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Every transport and probe made from now on ends within `seconds`."""
    monkeypatch.setattr(transport, "DEFAULT_DEADLINE_S", seconds)
    monkeypatch.setattr(transport, "PROBE_DEADLINE_S", seconds)
    monkeypatch.setattr(transport, "DEADLINE_PER_CALL_TIMEOUT", 0.0)
    monkeypatch.setattr(identify, "PROBE_DEADLINE_S", seconds)
