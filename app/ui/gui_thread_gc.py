"""Garbage collection on the GUI thread only, so no worker thread ever destroys a Qt object."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from app.core.memory import collect_if_due

COLLECT_INTERVAL_MS = 100


class GuiThreadCollector(QObject):
    """Turns automatic collection off and collects what is due on a GUI-thread timer instead.

    Python collects on whichever thread happens to allocate. When that is a worker (the live radar
    feed, zeroconf, the executor) and the garbage holds Qt wrappers, the Qt object is destroyed on the
    worker while the GUI thread holds the GIL and waits for the same Qt lock: a deadlock, or a crash.
    pyqtgraph ships the same remedy (`pyqtgraph.util.garbage_collector`).
    """

    def __init__(self, parent: QObject | None = None, interval_ms: int = COLLECT_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(collect_if_due)
        self._was_enabled = gc.isenabled()

    def start(self) -> None:
        """Stop automatic collection; collect on the timer from now on."""
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Stop the timer; if collection was automatic before `start`, collect once here and restore it."""
        self._timer.stop()
        if self._was_enabled:
            gc.collect()
            gc.enable()
        else:
            collect_if_due()
