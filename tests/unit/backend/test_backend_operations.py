"""run_operation: progress, and every outcome recorded in the device's history."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.backend.history import DeviceHistory
from app.backend.operations import run_operation
from app.core.errors import TransferError
from app.core.progress import Operation, Progress, ProgressReporter

KEY = "axis:ACCC8E000001"


@pytest.fixture
def history(tmp_path: Path) -> DeviceHistory:
    return DeviceHistory(tmp_path / "history.sqlite")


async def test_success_reports_progress_and_is_recorded(history: DeviceHistory) -> None:
    async def work(reporter: ProgressReporter) -> str:
        reporter.stage("Upload", total=2)
        reporter.advance()
        reporter.advance()
        reporter.stage("Verify")
        return "ok"

    seen: list[Progress] = []
    operation = Operation("Update firmware", ("Upload", "Verify"), work, device_key=KEY)
    assert await run_operation(operation, seen.append, history=history) == "ok"
    assert [(p.stage, p.done) for p in seen] == [("Upload", 0), ("Upload", 1), ("Upload", 2), ("Verify", 0)]
    assert [(e.action, e.result) for e in history.entries(KEY)] == [
        ("Update firmware", "succeeded"), ("Update firmware", "started"),
    ]


async def test_failure_records_the_device_state_and_reraises(history: DeviceHistory) -> None:
    async def work(reporter: ProgressReporter) -> None:
        reporter.stage("Upload")
        raise TransferError("The upload broke off.", code=503, state="old firmware still running")

    operation = Operation("Update firmware", ("Upload",), work, device_key=KEY)
    with pytest.raises(TransferError):
        await run_operation(operation, None, history=history)
    latest = history.entries(KEY)[0]
    assert latest.result == "failed"
    assert latest.detail == {
        "error": "TransferError", "message": "The upload broke off. (code 503)", "stage": "Upload",
        "code": 503, "state": "old firmware still running",
    }


async def test_cancel_is_recorded_and_propagates(history: DeviceHistory) -> None:
    started = asyncio.Event()

    async def work(reporter: ProgressReporter) -> None:
        reporter.stage("Wait for reboot")
        started.set()
        await asyncio.Event().wait()

    operation = Operation("Reboot", ("Wait for reboot",), work, device_key=KEY)
    task = asyncio.create_task(run_operation(operation, None, history=history))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    latest = history.entries(KEY)[0]
    assert (latest.result, latest.detail) == ("cancelled", {"stage": "Wait for reboot"})


async def test_operations_without_a_device_key_are_not_recorded(history: DeviceHistory) -> None:
    async def work(reporter: ProgressReporter) -> int:
        return 7

    assert await run_operation(Operation("Scan", (), work), None, history=history) == 7
    assert history.entries("") == []
