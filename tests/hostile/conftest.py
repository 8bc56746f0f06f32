"""Hostile-peer tests run with short deadlines so a trickling or silent peer costs well under a second."""

from __future__ import annotations

import pytest

from tests.hostile.deadlines import TEST_DEADLINE_S, set_deadlines


@pytest.fixture(autouse=True)
def short_deadlines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every transport and probe made during the test ends within TEST_DEADLINE_S."""
    set_deadlines(monkeypatch, TEST_DEADLINE_S)
