"""AppEventLoop: callbacks Qt runs outside a run (the last pass of run_until_complete, pytest-qt between
test phases) find their loop running, so a task stepped there neither fails nor skips its clean-up."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QApplication

from app.ui.event_loop import AppEventLoop


def test_a_callback_qt_runs_between_two_runs_finds_its_loop_running(qapp: QApplication) -> None:
    loop = AppEventLoop(qapp)
    asyncio.set_event_loop(loop)
    seen: list[object] = []
    try:
        loop.run_until_complete(asyncio.sleep(0))
        loop.call_soon(lambda: seen.append(asyncio.events._get_running_loop()))
        while not seen:
            qapp.processEvents()  # Qt runs the callback outside any run of the loop
        assert seen == [loop]
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    assert asyncio.events._get_running_loop() is None


def test_a_task_stepped_between_runs_can_use_a_timeout(qapp: QApplication) -> None:
    loop = AppEventLoop(qapp)
    asyncio.set_event_loop(loop)
    outcome: list[str] = []

    async def bounded() -> None:
        await asyncio.sleep(0)
        async with asyncio.timeout(5):  # needs the running loop: RuntimeError under qasync's own loop
            outcome.append("ran")

    try:
        loop.run_until_complete(asyncio.sleep(0))
        task = loop.create_task(bounded())
        while not task.done():
            qapp.processEvents()
        assert task.exception() is None
        assert outcome == ["ran"]
    finally:
        loop.close()
        asyncio.set_event_loop(None)
