"""PanelWork: success reaches the panel on the GUI thread, failure is shown and recorded, closing the panel
cancels its work, stages and progress reach the task area."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.core.errors import DeviceBusyError
from app.core.models import DeviceIdentity, Endpoint
from app.core.progress import ProgressReporter
from app.ui import tasks as tasks_module
from app.ui.panel_work import PanelWork
from app.ui.tasks import TaskArea
from tests.gui.conftest import PanelServices, panel_services, run_async, wait_until

IDENTITY = DeviceIdentity("axis", "P3719-PLE", serial="ACCC8E000009")


@pytest.fixture
def services(tmp_path: Path, qloop: qasync.QEventLoop) -> Iterator[PanelServices]:
    """A panel's context on a real runner that records history; rows show at once."""
    history = DeviceHistory(tmp_path / "history.sqlite")
    made = panel_services(IDENTITY, Endpoint("127.0.0.1", 443), None, history, runner_records_history=True)
    yield made
    made.tasks.cancel_all()
    history.close()


@pytest.fixture
def panel(qtbot: QtBot) -> QWidget:
    """A stand-in panel widget owning the work."""
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_success_reaches_the_panel_on_the_gui_thread_and_is_recorded(
    services: PanelServices, panel: QWidget, qloop: qasync.QEventLoop
) -> None:
    work = PanelWork(services.context, panel)
    seen: list[tuple[str, bool]] = []

    async def read(reporter: ProgressReporter) -> str:
        await asyncio.sleep(0)
        return "2.38.2"

    def show(version: str) -> None:
        seen.append((version, threading.current_thread() is threading.main_thread()))

    result = run_async(qloop, _finished(work.op("Saving the name", read).success(show).run()))
    assert result == "2.38.2"
    assert seen == [("2.38.2", True)]
    actions = [(e.action, e.result) for e in services.context.history.entries(IDENTITY.key)]
    assert actions == [("Saving the name", "succeeded"), ("Saving the name", "started")]
    assert services.notes == []


def test_failure_is_shown_recorded_and_told_to_the_panel_but_success_is_not_called(
    services: PanelServices, panel: QWidget, qloop: qasync.QEventLoop
) -> None:
    work = PanelWork(services.context, panel)
    status = QLabel()
    succeeded: list[object] = []

    async def refuse(reporter: ProgressReporter) -> None:
        raise DeviceBusyError("The device is synchronising with its HA peer.")

    task = work.op("Reading alarms", refuse).read_only().success(succeeded.append).failure_in(status).run()
    with pytest.raises(DeviceBusyError):
        run_async(qloop, _finished(task))
    run_async(qloop, wait_until(lambda: services.notes != []))
    assert succeeded == []
    shown = "Reading alarms failed: The device is synchronising with its HA peer."
    assert status.text() == shown
    assert services.notes == [("error", shown)]
    entries = services.context.history.entries(IDENTITY.key)
    assert [(e.action, e.result) for e in entries] == [("Reading alarms", "failed")]  # a read: failure only
    assert entries[0].detail["error"] == "DeviceBusyError"


def test_a_background_failure_is_shown_and_recorded_too(
    services: PanelServices, panel: QWidget, qloop: qasync.QEventLoop
) -> None:
    work = PanelWork(services.context, panel)

    async def poll(reporter: ProgressReporter) -> None:
        raise DeviceBusyError("busy")

    with pytest.raises(DeviceBusyError):
        run_async(qloop, _finished(work.op("Live targets", poll).in_background().run()))
    run_async(qloop, wait_until(lambda: services.notes != []))
    assert services.notes == [("error", "Live targets failed: busy")]
    assert [e.result for e in services.context.history.entries(IDENTITY.key)] == ["failed"]


def test_closing_the_panel_cancels_its_work_runs_cleanup_and_skips_success(
    services: PanelServices, panel: QWidget, qloop: qasync.QEventLoop
) -> None:
    work = PanelWork(services.context, panel)
    started, cleaned_up = asyncio.Event(), asyncio.Event()
    succeeded: list[object] = []

    async def endless(reporter: ProgressReporter) -> None:
        try:
            started.set()
            await asyncio.Event().wait()
        finally:
            cleaned_up.set()

    foreground = work.op("Uploading firmware", endless).success(succeeded.append).run()
    background = work.op("Live targets", endless).in_background().run()

    async def scenario() -> None:
        await started.wait()
        work.close()
        await cleaned_up.wait()
        for task in (foreground, background):
            with pytest.raises(asyncio.CancelledError):
                await task

    run_async(qloop, scenario())
    late = work.op("Reading again", endless).run()
    run_async(qloop, _settled(late))
    assert late.cancelled()
    assert succeeded == []
    assert services.notes == []
    results = [e.result for e in services.context.history.entries(IDENTITY.key)]
    assert results == ["cancelled", "started"]  # the upload; the background poll keeps no history


def test_stages_and_progress_reach_the_task_area(
    services: PanelServices, panel: QWidget, qloop: qasync.QEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks_module, "SHOW_DELAY_MS", 0)
    area = TaskArea(services.tasks)
    work = PanelWork(services.context, panel)
    halfway, finish = asyncio.Event(), asyncio.Event()

    async def upload(reporter: ProgressReporter) -> None:
        reporter.stage("Uploading", total=10)
        reporter.advance(5)
        halfway.set()
        await finish.wait()

    async def scenario() -> None:
        task = work.op("Upload firmware", upload, stages=("Checking", "Uploading")).run()
        await halfway.wait()
        await wait_until(lambda: area.row_for("Upload firmware") is not None)
        row = area.row_for("Upload firmware")
        assert row is not None
        await wait_until(lambda: "2/2 Uploading" in row.stage_label.text())
        assert row.bar.value() == 750  # stage 2 of 2, half done
        finish.set()
        await task
        await wait_until(lambda: area.row_for("Upload firmware") is None)

    run_async(qloop, scenario())
    assert "Upload firmware — done" in area.recent.item(0).text()
    area.deleteLater()


async def _finished(task: asyncio.Task[object]) -> object:
    return await task


async def _settled(task: asyncio.Task[object]) -> None:
    await asyncio.wait({task})


def test_progress_shown_through_while_open_stops_once_the_panel_closed(
    services: PanelServices, panel: QWidget
) -> None:
    work = PanelWork(services.context, panel)
    shown: list[int] = []
    show = work.while_open(shown.append)
    show(1)
    work.close()
    show(2)
    assert shown == [1]
