"""A site firmware job: 50 simulated 2N IP Verso intercoms, a 32 MB firmware file each, 8 at once, run
headless and then in the GUI's job view.

The intercoms run in a child process (their own CPU and memory, as devices on a network would), on
127.0.0.1 only. This process runs the site job engine over the app's real DeviceConnections (pins from
the list's fingerprints, Digest login, identity check, streamed multipart upload, apply, restart, version
read back). First one extra intercom alone gives one device's time; then the 50 headless (plain asyncio,
no Qt); then the same 50 again to a newer version from the job view (SiteJobDialog on the qasync loop,
offscreen unless a display is set, its Start button pressed) while a 5 ms QTimer heartbeat records how
late each tick comes: the GUI's longest stall (target < 50 ms). Prints wall times against the ideal (one
device's time x 50 / 8; target efficiency >= 0.8) and this process's peak RSS after each part (target
< 300 MB). Asserts nothing; stops by itself (each part is bounded by --limit seconds).
    uv run python -m tests.benchmarks.bench_site_firmware [--devices 50] [--mb 32] [--concurrency 8]
                                                          [--parts headless,gui]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.clock import SystemClock
from app.sim.cli import device_json, raise_open_file_limit
from app.sim.server import serve_device
from app.vendors.two_n.simulator import TwoNSimulator, build_firmware
from app.vendors.two_n.simulator.profiles import VERSO

VERSION = "2.38.0.50.1"
#: The simulated intercoms restart in 2 s (8 s by default) so the run stays short; the app polls every 5 s.
REBOOT_SECONDS = 2.0


async def serve(count: int) -> None:
    """Child mode: serve `count` Verso intercoms on loopback, print one JSON line each, then wait."""
    raise_open_file_limit()
    async with contextlib.AsyncExitStack() as stack:
        for index in range(count):
            sim = TwoNSimulator(serial_index=index, seed=index, clock=SystemClock(), profile=VERSO,
                                reboot_seconds=REBOOT_SECONDS)
            running = await stack.enter_async_context(serve_device(sim))
            print(json.dumps(device_json(running), default=str), flush=True)
        print(json.dumps({"ready": True, "count": count}), flush=True)
        await asyncio.Event().wait()


def job_inputs(lines: list[str], folder: Path) -> tuple[Any, list[Any]]:
    """Access through fresh stores in `folder` (pins from the list's fingerprints) and the listed targets."""
    from app.backend.credentials import CredentialStore
    from app.backend.trust import TrustStore
    from app.backend.vault import SessionVault
    from app.site.jobs.access import ConnectionAccess
    from app.site.jobs.device_list import read_device_list

    listed = folder / "devices.jsonl"
    listed.write_text("\n".join(lines) + "\n")
    access = ConnectionAccess(TrustStore(folder / "trust.json"),
                              CredentialStore(vault=SessionVault(), directory=folder))
    return access, read_device_list(listed)


def job_records(folder: Path) -> tuple[Any, Any]:
    """The job store and device history the app writes as the job runs (in `folder`)."""
    from app.backend.history import DeviceHistory
    from app.site.jobs.store import JobStore

    return JobStore(folder / "site-jobs.sqlite3"), DeviceHistory(folder / "history.sqlite3")


async def run_job(lines: list[str], package: Path, concurrency: int) -> tuple[float, int]:
    """Seconds for the engine to update the listed devices, and how many ended done."""
    from app.site.jobs.engine import SiteJob
    from app.site.jobs.model import JobSettings, RowState
    from app.site.jobs.tasks.firmware import FirmwareTask

    with tempfile.TemporaryDirectory() as folder:
        access, targets = job_inputs(lines, Path(folder))
        store, history = job_records(Path(folder))
        settings = JobSettings(concurrency=concurrency, upload_concurrency=concurrency)
        job = SiteJob(FirmwareTask(package, version=VERSION), targets, access, settings=settings, store=store,
                      history=history)
        started = time.perf_counter()
        summary = await job.run()
        elapsed = time.perf_counter() - started
        store.close()
        history.close()
    failures = [row.message for row in job.rows if row.state is RowState.FAILED]
    if failures:
        print(f"  {len(failures)} failed, e.g.: {failures[0]}")
    return elapsed, summary.counts.get(RowState.DONE, 0)


GUI_VERSION = "2.38.0.50.2"


@dataclass
class Figures:
    """What one part measured."""

    wall: float
    done: int
    peak_mb: float
    stalls_ms: list[float] = field(default_factory=list)


def start_intercoms(count: int) -> tuple[subprocess.Popen[bytes], list[str]]:
    """The child serving `count` intercoms, and their JSON lines once all listen."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.benchmarks.bench_site_firmware", "--serve", str(count)],
        stdout=subprocess.PIPE)
    assert child.stdout is not None
    lines: list[str] = []
    while not (line := child.stdout.readline().decode().strip()).startswith('{"ready"'):
        if not line:
            child.kill()
            raise RuntimeError("the simulated intercoms did not start")
        lines.append(line)
    return child, lines


def peak_rss_mb() -> float:
    """This process's peak resident memory so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_headless(lines: list[str], package: Path, concurrency: int, limit: float) -> Figures:
    """The job on plain asyncio (what `commissioner site firmware` runs)."""
    wall, done = asyncio.run(asyncio.wait_for(run_job(lines, package, concurrency), limit))
    return Figures(wall, done, peak_rss_mb())


def run_in_job_view(lines: list[str], package: Path, concurrency: int, limit: float) -> Figures:
    """The job from the job view on the qasync loop, with the heartbeat measuring the GUI's stalls."""
    os.environ["QT_API"] = "pyside6"
    if not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication  # noqa: I001  (PySide6 before qasync)
    import qasync

    from app.ui.gui_thread_gc import GuiThreadCollector
    from app.ui.plain_text import install_plain_text_default
    from tests.benchmarks.bench_responsiveness import Heartbeat

    app = QApplication(sys.argv[:1])
    install_plain_text_default(app)
    app.setQuitOnLastWindowClosed(False)
    GuiThreadCollector(app).start()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    heartbeat = Heartbeat()
    try:
        wall, done = loop.run_until_complete(
            asyncio.wait_for(job_view_run(lines, package, concurrency, heartbeat), limit))
    finally:
        loop.close()
    return Figures(wall, done, peak_rss_mb(), heartbeat.lateness_ms)


async def job_view_run(
    lines: list[str], package: Path, concurrency: int, heartbeat: Any
) -> tuple[float, int]:
    """Open the job view over the intercoms, press Start, wait until the job has settled."""
    from app.site.jobs.engine import SiteJob
    from app.site.jobs.model import JobSettings, RowState
    from app.site.jobs.tasks.firmware import FirmwareTask
    from app.ui.dialogs.site_job import SiteJobDialog

    with tempfile.TemporaryDirectory() as folder:
        access, targets = job_inputs(lines, Path(folder))
        store, history = job_records(Path(folder))

        def make_job(settings: JobSettings, approve: Any) -> SiteJob:
            return SiteJob(FirmwareTask(package, version=GUI_VERSION), targets, access, settings=settings,
                           pilot_approval=approve, store=store, history=history)

        dialog = SiteJobDialog(f"Update firmware on {len(targets)} devices", make_job)
        dialog.concurrency.setValue(concurrency)
        dialog.upload_concurrency.setValue(concurrency)
        dialog.resize(1200, 700)
        dialog.show()
        await asyncio.sleep(0.2)  # first paint
        heartbeat.start()
        started = time.perf_counter()
        dialog.start_button.click()
        while dialog.running or dialog.job is None:
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - started
        heartbeat.stop()
        job = dialog.job
        dialog.close()
        store.close()
        history.close()
    return elapsed, sum(row.state is RowState.DONE for row in job.rows)


def report(devices: int, megabytes: int, concurrency: int, one: Figures, parts: dict[str, Figures]) -> None:
    """Print every figure."""
    ideal = one.wall * devices / concurrency
    print(f"{devices} simulated 2N IP Verso, {megabytes} MB firmware each, concurrency {concurrency}, "
          f"over loopback HTTPS:")
    print(f"  one device alone           {one.wall:7.1f} s  (done: {one.done})")
    print(f"  ideal (one x {devices} / {concurrency})      {ideal:7.1f} s")
    for name, figures in parts.items():
        print(f"  {name:<10} all {devices} devices {figures.wall:7.1f} s  (done: {figures.done}/{devices}); "
              f"efficiency {ideal / figures.wall:4.2f} (target >= 0.8); peak RSS so far "
              f"{figures.peak_mb:4.0f} MB (target < 300 MB)")
        if figures.stalls_ms:
            ordered = sorted(figures.stalls_ms)
            p99 = ordered[max(int(len(ordered) * 0.99) - 1, 0)]
            print(f"  {name:<10} GUI heartbeat: {len(ordered)} ticks of {5} ms; longest stall "
                  f"{ordered[-1]:.1f} ms (target < 50 ms); p99 {p99:.1f} ms; median "
                  f"{statistics.median(ordered):.1f} ms")


def run(devices: int, megabytes: int, concurrency: int, parts: list[str], limit: float) -> None:
    """Start the intercoms, time one alone, then all of them per part, and print the figures."""
    child, lines = start_intercoms(devices + 1)
    try:
        with tempfile.TemporaryDirectory() as folder:
            package = Path(folder) / f"verso-{VERSION}.bin"
            package.write_bytes(build_firmware("verso", VERSION, size=megabytes * 1024 * 1024, seed=5))
            newer = Path(folder) / f"verso-{GUI_VERSION}.bin"
            newer.write_bytes(build_firmware("verso", GUI_VERSION, size=megabytes * 1024 * 1024, seed=6))
            one = run_headless(lines[:1], package, 1, limit)
            measured: dict[str, Figures] = {}
            if "headless" in parts:
                measured["headless"] = run_headless(lines[1:], package, concurrency, limit)
            if "gui" in parts:
                measured["job view"] = run_in_job_view(lines[1:], newer, concurrency, limit)
        report(devices, megabytes, concurrency, one, measured)
    finally:
        child.kill()
        child.wait()


def main() -> None:
    """Command-line entry."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--mb", type=int, default=32)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--parts", default="headless,gui", help="headless, gui or both (comma-separated)")
    parser.add_argument("--limit", type=float, default=900.0, help="seconds before a part gives up")
    parser.add_argument("--serve", type=int, default=0, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(arguments.serve))
        return
    with tempfile.TemporaryDirectory(prefix="bench-site-") as data:
        os.environ["COMMISSIONER_DATA_DIR"] = data  # the benchmark's history and settings, removed after
        parts = arguments.parts.split(",")
        run(arguments.devices, arguments.mb, arguments.concurrency, parts, arguments.limit)


if __name__ == "__main__":
    main()
