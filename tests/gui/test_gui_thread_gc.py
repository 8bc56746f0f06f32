"""Garbage is collected on the GUI thread only, however much a worker thread allocates."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

import qasync
from PySide6.QtCore import QObject

from app.core.memory import collect_if_due
from tests.gui.conftest import run_async, wait_until


class Holder:
    """One half of a reference cycle that keeps a Qt object alive."""

    def __init__(self) -> None:
        self.qt = QObject()
        self.me = self


def test_worker_allocations_never_collect_and_the_gui_thread_does(qloop: qasync.QEventLoop) -> None:
    assert not gc.isenabled()
    collecting_threads: list[str] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            collecting_threads.append(threading.current_thread().name)

    holder = Holder()
    gone = weakref.ref(holder)
    del holder  # now only the cycle keeps it: garbage for the collector
    gc.callbacks.append(note)
    try:
        kept: list[list[list[int]]] = []

        def allocate() -> None:
            kept.append([[] for _ in range(50 * gc.get_threshold()[0])])  # enough for many collections

        worker = threading.Thread(target=allocate, name="worker")
        worker.start()
        worker.join()
        assert collecting_threads == []
        assert gone() is not None  # nobody collected it on the worker
        run_async(qloop, wait_until(lambda: gone() is None, timeout=5))
        assert set(collecting_threads) == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(note)


def test_collect_if_due_follows_the_interpreter_thresholds() -> None:
    gc.collect()
    assert collect_if_due() == -1
    keep = [[] for _ in range(gc.get_threshold()[0] + 10)]
    assert collect_if_due() == 0
    assert keep
