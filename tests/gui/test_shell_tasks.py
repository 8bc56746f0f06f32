"""The task area: a long operation is cancelled from its row; unexpected errors become notifications."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import qasync
from pytestqt.qtbot import QtBot

from app.core.errors import DeviceBusyError
from app.core.progress import Operation, ProgressReporter
from app.ui import tasks as tasks_module
from app.ui.main_window import MainWindow
from app.ui.notifications import ErrorSink
from app.ui.services import AppServices
from tests.gui.conftest import run_async, wait_until

DEVICE = "axis:ACCC8E000001"


@pytest.fixture
def window(qtbot: QtBot, qloop: qasync.QEventLoop, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    """The main window; task rows appear at once instead of after half a second."""
    monkeypatch.setattr(tasks_module, "SHOW_DELAY_MS", 0)
    main = MainWindow(AppServices.create())
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def test_cancel_button_cancels_a_long_operation_and_its_cleanup_runs(
    window: MainWindow, qloop: qasync.QEventLoop
) -> None:
    cleaned_up: list[str] = []
    waiting = asyncio.Event()

    async def upload(reporter: ProgressReporter) -> None:
        reporter.stage("Uploading", total=100)
        reporter.advance(40)
        try:
            waiting.set()
            await asyncio.Event().wait()  # a transfer that only ends when cancelled
        finally:
            cleaned_up.append(reporter.current.stage)

    async def scenario() -> None:
        operation = Operation("Upload firmware", ("Uploading",), upload, device_key=DEVICE)
        task = window.tasks.run(operation, owner=window)
        await waiting.wait()
        await wait_until(lambda: window.task_area.row_for("Upload firmware") is not None)
        row = window.task_area.row_for("Upload firmware")
        assert row is not None
        await wait_until(lambda: row.bar.value() == 400)
        assert "Uploading" in row.stage_label.text()
        row.cancel_button.click()
        assert row.cancel_button.text() == "Cancelling…"
        with pytest.raises(asyncio.CancelledError):
            await task
        assert task.cancelled()
        assert cleaned_up == ["Uploading"]
        await wait_until(lambda: window.task_area.row_for("Upload firmware") is None)
        assert "Upload firmware — cancelled" in window.task_area.recent.item(0).text()
        history = [(e.action, e.result) for e in window.services.history.entries(DEVICE, 5)]
        assert history[:2] == [("Upload firmware", "cancelled"), ("Upload firmware", "started")]
        assert window.notifications.messages == []

    run_async(qloop, scenario())


def test_unexpected_error_in_a_task_becomes_a_notification(
    window: MainWindow, qloop: qasync.QEventLoop
) -> None:
    async def broken() -> None:
        raise KeyError("sensor")

    async def busy(reporter: ProgressReporter) -> None:
        raise DeviceBusyError("The device is busy with another upload.", code="409")

    async def scenario() -> None:
        background = window.tasks.spawn(broken(), owner=window, name="Polling the live view")
        with pytest.raises(KeyError):
            await background
        failed = window.tasks.run(Operation("Save settings", ("Saving",), busy), owner=window)
        with pytest.raises(DeviceBusyError):
            await failed
        await wait_until(lambda: len(window.notifications.messages) == 2)

    run_async(qloop, scenario())
    assert window.isVisible()
    assert window.notifications.messages == [
        ("error", "Polling the live view failed: unexpected error (KeyError: 'sensor')"),
        ("error", "Save settings failed: The device is busy with another upload. (code 409)"),
    ]


def test_error_in_a_loop_callback_is_shown_not_fatal(window: MainWindow, qloop: qasync.QEventLoop) -> None:
    sink = ErrorSink(window.notifications)
    sink.install(qloop)

    def callback() -> None:
        raise ValueError("bad frame")

    async def scenario() -> None:
        asyncio.get_running_loop().call_soon(callback)
        await wait_until(lambda: bool(window.notifications.messages))

    try:
        run_async(qloop, scenario())
    finally:
        sink.uninstall(qloop)
    level, text = window.notifications.messages[0]
    assert level == "error"
    assert text == "Unexpected error: ValueError: bad frame. The details are in the log."
