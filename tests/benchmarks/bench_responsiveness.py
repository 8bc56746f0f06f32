"""Responsiveness: the longest GUI event-loop stall while 250 simulated devices are discovered.

Run: uv run python -m tests.benchmarks.bench_responsiveness [--count 250]

A `commissioner sim --count N` site (Inxpect, 2N, Axis: the vendors announced over mDNS) runs in a
child process. This process runs the real main window (offscreen unless a display is set) on the
qasync loop and browses 127.0.0.1. A QTimer heartbeat ticks every 5 ms; each tick's lateness
(gap minus interval) is a stall of the GUI thread. Prints the longest stall, p99, and the seconds
from the browse start until every device is listed in the window and identified. Asserts nothing
about time. Target: longest stall under 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time

HEARTBEAT_MS = 5
MDNS_VENDORS = ("inxpect", "two_n", "axis")
TIMEOUT_S = 60.0


class Heartbeat:
    """Records how late each tick of a precise QTimer arrives."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.lateness_ms: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.lateness_ms.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lateness_ms.append(max(0.0, (now - self._last) * 1000 - HEARTBEAT_MS))
        self._last = now


async def scenario(count: int) -> None:
    """Start the site, open the window, browse, and report once everything is listed and identified."""
    from app.discovery.service import DiscoveryService
    from app.sim.launcher import start_sim_subprocess
    from app.ui.main_window import MainWindow
    from app.ui.services import AppServices

    args = ["--count", str(count), "--host", "127.0.0.1"]
    for vendor in MDNS_VENDORS:
        args += ["--vendor", vendor]
    async with await start_sim_subprocess(args) as site:
        devices = await site.wait_ready()
        print(f"site ready: {len(devices)} simulated devices", flush=True)
        services = AppServices.create(session_vault=True)
        services.discovery = DiscoveryService(inventory=services.inventory)
        window = MainWindow(services)
        window.show()
        await services.discovery.prepare()
        heartbeat = Heartbeat()
        heartbeat.start()
        started = time.perf_counter()
        await window.start_discovery(["127.0.0.1"])
        listed, identified = await wait_for(window, len(devices), started)
        heartbeat.stop()
        window.close()
        await services.discovery.stop()
    report(heartbeat.lateness_ms, listed, identified, len(devices))


async def wait_for(window: object, count: int, started: float) -> tuple[float | None, float | None]:
    """Seconds until `count` rows are listed in the window, and until all are identified."""
    from app.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    listed = identified = None
    deadline = started + TIMEOUT_S
    while time.perf_counter() < deadline and (listed is None or identified is None):
        rows = window.model.rows()
        if listed is None and len(rows) >= count:
            listed = time.perf_counter() - started
        if identified is None and sum(row.identified for row in rows) >= count:
            identified = time.perf_counter() - started
        await asyncio.sleep(0.005)
    return listed, identified


def report(lateness: list[float], listed: float | None, identified: float | None, count: int) -> None:
    """Print the figures."""
    ordered = sorted(lateness)
    p99 = ordered[int(len(ordered) * 0.99) - 1] if ordered else 0.0
    print(f"heartbeat ticks: {len(ordered)} (every {HEARTBEAT_MS} ms)")
    print(f"longest stall: {max(ordered, default=0.0):.1f} ms; p99 {p99:.1f} ms; "
          f"median {statistics.median(ordered) if ordered else 0.0:.1f} ms (target: longest < 50 ms)")
    print(f"all {count} listed in the window: {_seconds(listed)}; all identified: {_seconds(identified)}")


def _seconds(value: float | None) -> str:
    return f"{value:.2f} s after the browse started" if value is not None else f"not within {TIMEOUT_S:.0f} s"


def main() -> None:
    """Run the scenario on a qasync loop over a QApplication."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=250)
    args = parser.parse_args()
    os.environ.setdefault("COMMISSIONER_DATA_DIR", tempfile.mkdtemp(prefix="commissioner-bench-"))
    if not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["QT_API"] = "pyside6"
    # PySide6 before qasync, so qasync binds to it.
    from PySide6.QtWidgets import QApplication  # noqa: I001
    import qasync

    from app.ui.gui_thread_gc import GuiThreadCollector
    from app.ui.plain_text import install_plain_text_default

    app = QApplication(sys.argv[:1])
    install_plain_text_default(app)  # as the app does
    app.setQuitOnLastWindowClosed(False)  # closing the window at the end must not stop the loop
    GuiThreadCollector(app).start()  # as the app does
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(scenario(args.count))
    finally:
        loop.close()


if __name__ == "__main__":
    main()
