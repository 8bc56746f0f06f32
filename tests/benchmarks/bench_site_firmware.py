"""A site firmware job, headless: 50 simulated 2N IP Verso intercoms, a 32 MB firmware file each, 8 at once.

The intercoms run in a child process (their own CPU and memory, as devices on a network would), on
127.0.0.1 only. This process runs the site job engine over the app's real DeviceConnections (pins from
the list's fingerprints, Digest login, identity check, streamed multipart upload, apply, restart, version
read back). First one extra intercom alone gives one device's time; then the 50. Prints wall time against
the ideal (one device's time x 50 / 8; target efficiency >= 0.8) and this process's peak RSS (target
< 300 MB). Asserts nothing; stops by itself (the whole run is bounded by --limit seconds).
    uv run python -m tests.benchmarks.bench_site_firmware [--devices 50] [--mb 32] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

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


async def run_job(lines: list[str], package: Path, concurrency: int) -> tuple[float, int]:
    """Seconds for the engine to update the listed devices, and how many ended done."""
    from app.backend.credentials import CredentialStore
    from app.backend.trust import TrustStore
    from app.backend.vault import SessionVault
    from app.site.jobs.access import ConnectionAccess
    from app.site.jobs.device_list import read_device_list
    from app.site.jobs.engine import SiteJob
    from app.site.jobs.model import JobSettings, RowState
    from app.site.jobs.tasks.firmware import FirmwareTask

    with tempfile.TemporaryDirectory() as folder:
        listed = Path(folder) / "devices.jsonl"
        listed.write_text("\n".join(lines) + "\n")
        access = ConnectionAccess(TrustStore(Path(folder) / "trust.json"),
                                  CredentialStore(vault=SessionVault(), directory=Path(folder)))
        settings = JobSettings(concurrency=concurrency, upload_concurrency=concurrency)
        job = SiteJob(FirmwareTask(package, version=VERSION), read_device_list(listed), access,
                      settings=settings)
        started = time.perf_counter()
        summary = await job.run()
        elapsed = time.perf_counter() - started
    failures = [row.message for row in job.rows if row.state is RowState.FAILED]
    if failures:
        print(f"  {len(failures)} failed, e.g.: {failures[0]}")
    return elapsed, summary.counts.get(RowState.DONE, 0)


async def run(devices: int, megabytes: int, concurrency: int) -> None:
    """Start the intercoms, time one alone, then all of them, and print the figures."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.benchmarks.bench_site_firmware", "--serve", str(devices + 1),
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        lines: list[str] = []
        while not (line := (await child.stdout.readline()).decode().strip()).startswith('{"ready"'):
            if not line:
                raise RuntimeError("the simulated intercoms did not start")
            lines.append(line)
        with tempfile.TemporaryDirectory() as folder:
            package = Path(folder) / "verso-2.38.0.50.1.bin"
            package.write_bytes(build_firmware("verso", VERSION, size=megabytes * 1024 * 1024, seed=5))
            one, one_done = await run_job(lines[:1], package, 1)
            wall, done = await run_job(lines[1:], package, concurrency)
        ideal = one * devices / concurrency
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{devices} simulated 2N IP Verso, {megabytes} MB firmware each, concurrency {concurrency}, "
              f"headless engine over loopback HTTPS:")
        print(f"  one device alone       {one:7.1f} s  (done: {one_done})")
        print(f"  all {devices} devices        {wall:7.1f} s  (done: {done}/{devices})")
        print(f"  ideal (one x {devices} / {concurrency})  {ideal:7.1f} s")
        print(f"  efficiency             {ideal / wall:7.2f}   (target >= 0.8)")
        print(f"  peak RSS (engine)      {peak_mb:7.0f} MB (target < 300 MB)")
    finally:
        child.kill()
        await child.wait()


def main() -> None:
    """Command-line entry."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--mb", type=int, default=32)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--limit", type=float, default=900.0, help="seconds before the run gives up")
    parser.add_argument("--serve", type=int, default=0, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(arguments.serve))
        return
    with tempfile.TemporaryDirectory(prefix="bench-site-") as data:
        os.environ["COMMISSIONER_DATA_DIR"] = data  # the benchmark's history and settings, removed after
        measured = run(arguments.devices, arguments.mb, arguments.concurrency)
        asyncio.run(asyncio.wait_for(measured, arguments.limit))


if __name__ == "__main__":
    main()
