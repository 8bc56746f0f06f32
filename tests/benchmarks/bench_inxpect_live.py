"""Live target plot against a simulated MSK-101-POE at 100 frames/s with 10 moving targets.

The simulator runs in its own process (so the app's CPU is measured alone) as a real HTTPS server on
127.0.0.1; the app side is the panel's LiveFeed polling /detectionStatus over pinned TLS and the
LiveTargetsView repainting from its ring buffer on a QTimer. By default the feed polls on the Qt
thread's loop (what the panel does); with --threaded it polls on a LiveFeedThread (its own loop and
pinned client) while the Qt thread only paints. Both processes read CLOCK_MONOTONIC, so a frame's
creation time is the simulator's boot time + acqIdx / fps. Prints figures, asserts nothing.
    uv run python -m tests.benchmarks.bench_inxpect_live [--seconds 10] [--threaded]
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
from collections.abc import AsyncIterator
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


async def watch(server: dict[str, Any], seconds: float, view: Any, threaded: bool) -> dict[str, Any]:
    """Run the feed and the view for `seconds`; collect latencies, frames, loop intervals and CPU."""
    import psutil
    from PySide6.QtCore import Qt, QTimer

    from app.backend.session import pinned_client
    from app.core.models import Credentials, Endpoint
    from app.vendors.inxpect.client import InxpectClient
    from app.vendors.inxpect.live_feed import LiveFeed, LiveSource
    from app.vendors.inxpect.live_thread import LiveFeedThread

    boot, fps = server["boot"], server["fps"]
    latencies: list[float] = []
    drawn: list[int] = []

    def on_drawn(frames: list[Any], at: float) -> None:
        for received in frames:
            drawn.append(received.frame.acq_idx)
            latencies.append(at - (boot + received.frame.acq_idx / fps))

    ticks: list[float] = []
    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(16)
    ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))
    endpoint = Endpoint("127.0.0.1", server["port"])
    cert = bytes.fromhex(server["cert"])

    @contextlib.asynccontextmanager
    async def open_source() -> AsyncIterator[LiveSource]:
        async with pinned_client(cert) as worker_http:
            worker_client = InxpectClient(worker_http, endpoint, Credentials("", PASSWORD))
            await worker_client.login()
            yield worker_client

    async with pinned_client(cert) as http:
        client = InxpectClient(http, endpoint, Credentials("", PASSWORD))
        await client.login()
        feed = LiveFeed(client)
        view.on_drawn = on_drawn
        view.attach(feed)
        worker = LiveFeedThread(feed, open_source) if threaded else None
        if worker is not None:
            worker.start()
        task = asyncio.ensure_future(asyncio.Event().wait() if worker is not None else feed.run())
        await asyncio.sleep(1.0)  # warm-up: connection, first paints
        drawn.clear()
        latencies.clear()
        view.frame_times.clear()
        process = psutil.Process()
        cpu_before, wall_before = process.cpu_times(), time.monotonic()
        first_frame = int((wall_before - boot) * fps)
        polls_before = feed.polls
        ticker.start()
        await asyncio.sleep(seconds)
        ticker.stop()
        cpu_after, wall_after = process.cpu_times(), time.monotonic()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if worker is not None:
            worker.stop()
            await asyncio.to_thread(worker.join, 10)
        view.detach()
    cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    wall = wall_after - wall_before
    return {
        "wall": wall,
        "produced": int((wall_after - boot) * fps) - first_frame,
        "drawn": len(set(drawn)),
        "duplicates": len(drawn) - len(set(drawn)),
        "latencies": latencies,
        "repaints": list(view.frame_times),
        "intervals": [b - a for a, b in itertools.pairwise(ticks)],
        "cpu": cpu / wall,
        "polls": feed.polls - polls_before,
        "threaded": threaded,
    }


def report(result: dict[str, Any]) -> None:
    """Print the figures."""
    wall = result["wall"]
    ms = [x * 1000 for x in result["latencies"]]
    repaint = [x * 1000 for x in result["repaints"]]
    intervals = [x * 1000 for x in result["intervals"]]
    mode = "worker thread" if result["threaded"] else "Qt thread (as the panel does)"
    platform = os.environ.get("QT_QPA_PLATFORM", "default")
    print(f"measured {wall:.1f} s; platform {platform}; polling on the {mode}")
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
        f"repaint handler time          : median {statistics.median(repaint):5.2f} ms, "
        f"p99 {percentile(repaint, 0.99):5.2f} ms"
    )
    print(
        f"GUI frame interval (16 ms tick): median {statistics.median(intervals):5.1f} ms, "
        f"p99 {percentile(intervals, 0.99):5.1f} ms (target p99 < 16 ms over the nominal 16)"
    )
    print(f"app CPU                       : {100 * result['cpu']:.0f} % of one core")


def main() -> None:
    """Start the simulator process, run the live view against it, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threaded", action="store_true", help="poll on a LiveFeedThread")
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

        from app.ui.panels.inxpect.live_view import LiveTargetsView

        app = QApplication(sys.argv[:1])
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        view = LiveTargetsView()
        view.set_geometry(-50, 50, 20000, 8000, 12000)
        view.resize(1200, 700)
        view.show()
        with loop:
            result = loop.run_until_complete(watch(server, args.seconds, view, args.threaded))
        report(result)
    finally:
        if child.stdin is not None:
            child.stdin.close()
        child.wait(timeout=10)


if __name__ == "__main__":
    main()
