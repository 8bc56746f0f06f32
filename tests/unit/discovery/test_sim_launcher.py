"""How the simulated site is started as a child process, from source and when frozen."""

from __future__ import annotations

import sys

import pytest

from app.sim.cli import raise_open_file_limit
from app.sim.launcher import sim_command


def test_from_source_the_module_is_run_with_json_output() -> None:
    assert sim_command(["--count", "5"]) == [sys.executable, "-m", "app", "sim", "--json", "--count", "5"]


def test_frozen_the_executable_itself_takes_the_sim_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert sim_command(["--vendor", "axis"]) == [sys.executable, "sim", "--json", "--vendor", "axis"]


def test_the_open_file_limit_is_raised_to_the_hard_limit() -> None:
    resource = pytest.importorskip("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        raised = raise_open_file_limit()
        assert raised == resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        assert raised == hard or hard == resource.RLIM_INFINITY
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
