"""Live target plot against a simulated MSK-101-POE at 100 frames/s with 10 moving targets.

The simulator runs in its own process (so the app's CPU is measured alone) as a real HTTPS server on
127.0.0.1. The app side is what the panel runs: the LiveFeed polling /detectionStatus and /alarmStatus
on a LiveFeedThread through a second pinned session (sibling_source), and the LiveTargetsView repainting
from the feed's buffer on its 60 Hz QTimer. With --qt-thread the feed polls on the Qt thread's loop
instead (what the panel does when its context cannot open a second session).

Figures: frames shown against frames produced; latency from a frame's creation in the simulator to the
end of the repaint handler that drew it (both processes read CLOCK_MONOTONIC, so creation = boot time +
acqIdx / fps); GUI frame time = from the view's repaint tick to the end of the paints it caused (both
plots' paintEvent, timed by wrapping pyqtgraph's GraphicsView.paintEvent here); frame pacing = interval
between repaint ticks (60 Hz nominal: 16 ms) and the share that missed a slot; CPU of the app process.
Prints figures, asserts nothing.
    uv run python -m tests.benchmarks.bench_inxpect_live [--seconds 10] [--qt-thread]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

PASSWORD = "bench-password"


async def serve() -> None:
    """Child process: serve the crowd scene until stdin closes; print where and when it booted."""
    from app.core.clock import SystemClock
    from app.sim.server import serve_device
    from app.vendors.inxpect.simulator import InxpectSimulator

    sim = InxpectSimulator(device_id=29998, seed=2, clock=SystemClock(), scene="crowd", password=PASSWORD)
    async with serve_device(sim) as running:
        assert running.certificate is not None
        print(
            json.dumps(
                {
                    "port": running.endpoint.port,
                    "cert": running.certificate.cert_der.hex(),
                    "boot": sim.radar.boot_time,
                    "fps": sim.scene.fps,
                }
            ),
            flush=True,
        )
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` quantile of `values` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)] if ordered else float("nan")


class FrameClock:
    """Times the view's frames: each repaint tick (handler start) and every plot paint after it."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.paint_ends: list[float] = []
        self.recording = False

    def install(self, view_class: Any) -> None:
        """Wrap the view's repaint slot and pyqtgraph's paintEvent (before the view is built)."""
        import pyqtgraph as pg

        clock = self
        repaint, paint = view_class.repaint_frames, pg.GraphicsView.paintEvent

        def timed_repaint(view: Any) -> None:
            if clock.recording:
                clock.ticks.append(time.perf_counter())
            repaint(view)

        def timed_paint(widget: Any, event: Any) -> None:
            paint(widget, event)
            if clock.recording:
                clock.paint_ends.append(time.perf_counter())

        view_class.repaint_frames = timed_repaint
        pg.GraphicsView.paintEvent = timed_paint

    def frame_times(self) -> list[float]:
        """Per tick: from the tick to the end of the last paint before the next tick (ticks that drew)."""
        times: list[float] = []
        ends = iter(self.paint_ends)
        end = next(ends, None)
        for tick, next_tick in itertools.pairwise([*self.ticks, float("inf")]):
            while end is not None and end < tick:
                end = next(ends, None)
            last = None
            while end is not None and end < next_tick:
                last, end = end, next(ends, None)
            if last is not None:
                times.append(last - tick)
        return times

    def intervals(self) -> list[float]:
        """Seconds between consecutive repaint ticks."""
        return [b - a for a, b in itertools.pairwise(self.ticks)]


async def watch(
    server: dict[str, Any], seconds: float, view: Any, frames: FrameClock, threaded: bool
) -> dict[str, Any]:
    """Run the feed and the view for `seconds`; collect latencies, frames, frame times and CPU."""
    import psutil

    from app.backend.session import pinned_client
    from app.core.models import Credentials, Endpoint
    from app.vendors.inxpect.client import InxpectClient
    from app.vendors.inxpect.live_feed import LiveFeed
    from app.vendors.inxpect.live_thread import LiveFeedThread, sibling_source

    boot, fps = server["boot"], server["fps"]
    latencies: list[float] = []
    drawn: list[int] = []

    def on_drawn(received_frames: list[Any], at: float) -> None:
        for received in received_frames:
            drawn.append(received.frame.acq_idx)
            latencies.append(at - (boot + received.frame.acq_idx / fps))

    endpoint = Endpoint("127.0.0.1", server["port"])
    cert = bytes.fromhex(server["cert"])

    async def open_http() -> Any:
        return pinned_client(cert)

    async with pinned_client(cert) as http:
        client = InxpectClient(http, endpoint, Credentials("", PASSWORD))
        await client.login()
        feed = LiveFeed(client)
        view.on_drawn = on_drawn
        view.attach(feed)
        polling = LiveFeedThread(feed, sibling_source(client, open_http)).run() if threaded else feed.run()
        task = asyncio.ensure_future(polling)
        await asyncio.sleep(1.5)  # warm-up: connections, the worker's login, first paints
        drawn.clear()
        latencies.clear()
        process = psutil.Process()
        cpu_before, wall_before = process.cpu_times(), time.monotonic()
        first_frame = int((wall_before - boot) * fps)
        polls_before = feed.polls
        frames.recording = True
        await asyncio.sleep(seconds)
        frames.recording = False
        cpu_after, wall_after = process.cpu_times(), time.monotonic()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        view.detach()
    cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    wall = wall_after - wall_before
    return {
        "wall": wall,
        "produced": int((wall_after - boot) * fps) - first_frame,
        "drawn": len(set(drawn)),
        "duplicates": len(drawn) - len(set(drawn)),
        "latencies": latencies,
        "frame_times": frames.frame_times(),
        "intervals": frames.intervals(),
        "cpu": cpu / wall,
        "polls": feed.polls - polls_before,
        "threaded": threaded,
    }


def report(result: dict[str, Any]) -> None:
    """Print the figures."""
    wall = result["wall"]
    ms = [x * 1000 for x in result["latencies"]]
    frame_ms = [x * 1000 for x in result["frame_times"]]
    intervals = [x * 1000 for x in result["intervals"]]
    missed = sum(1 for x in intervals if x > 1.5 * 16)
    mode = "a worker thread (as the panel does)" if result["threaded"] else "the Qt thread's loop"
    platform = os.environ.get("QT_QPA_PLATFORM", "default")
    print(f"measured {wall:.1f} s; platform {platform}; polling on {mode}")
    print(f"frames produced by the sensor : {result['produced'] / wall:6.1f} /s")
    print(
        f"frames displayed              : {result['drawn'] / wall:6.1f} /s "
        f"({100 * result['drawn'] / max(result['produced'], 1):.0f} % of produced; "
        f"{result['duplicates']} drawn twice)"
    )
    print(f"detection polls               : {result['polls'] / wall:6.1f} /s")
    print(
        f"creation-to-draw latency      : median {statistics.median(ms):5.1f} ms, "
        f"p99 {percentile(ms, 0.99):5.1f} ms (target p99 < 50 ms)"
    )
    print(
        f"GUI frame time (tick to painted): median {statistics.median(frame_ms):5.2f} ms, "
        f"p99 {percentile(frame_ms, 0.99):5.2f} ms, max {max(frame_ms):5.1f} ms "
        f"over {len(frame_ms)} frames (target p99 < 16 ms)"
    )
    print(
        f"frame pacing (60 Hz ticks)    : interval median {statistics.median(intervals):5.1f} ms, "
        f"p99 {percentile(intervals, 0.99):5.1f} ms, longest {max(intervals):5.1f} ms; "
        f"{missed} of {len(intervals)} ({100 * missed / max(len(intervals), 1):.1f} %) missed a slot"
    )
    print(f"app CPU                       : {100 * result['cpu']:.0f} % of one core")


def main() -> None:
    """Start the simulator process, run the live view against it, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--qt-thread", action="store_true", help="poll on the Qt thread's loop")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve())
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_API"] = "pyside6"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.benchmarks.bench_inxpect_live", "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        server = json.loads(child.stdout.readline())
        import qasync
        from PySide6.QtWidgets import QApplication

        from app.ui.gui_thread_gc import GuiThreadCollector
        from app.ui.panels.inxpect.live_view import LiveTargetsView
        from app.ui.plain_text import install_plain_text_default

        app = QApplication(sys.argv[:1])
        install_plain_text_default(app)  # as the app does
        GuiThreadCollector(app).start()  # as the app does
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        frames = FrameClock()
        frames.install(LiveTargetsView)
        view = LiveTargetsView()
        view.set_geometry(-50, 50, 20000, 8000, 12000)
        view.resize(1200, 700)
        view.show()
        with loop:
            result = loop.run_until_complete(watch(server, args.seconds, view, frames, not args.qt_thread))
        report(result)
    finally:
        if child.stdin is not None:
            child.stdin.close()
        child.wait(timeout=10)


if __name__ == "__main__":
    main()
