"""Firmware upload of an 8 MB component to the simulated MSK-101-POE over loopback TLS.

The app's path: the whole update flow (start process, manifest start/chunks/stop, file start/chunks/stop,
stop process) with `X-Update-Filename` and `Content-Range` on every chunk, at the device's chunk size.
The baseline: one plain `httpx` PUT of the same bytes to the same server (the simulator reads the body,
then refuses it as out of order). Prints MB/s of both and their ratio (target >= 0.8). Asserts nothing.
    uv run python -m tests.benchmarks.bench_inxpect_upload [--mb 8] [--chunk-kib 64 256 1024] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from app.backend.session import pinned_client
from app.core.clock import SystemClock
from app.core.models import Credentials
from app.core.progress import Progress, ProgressReporter
from app.sim.server import serve_device
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.firmware import UPDATE_STAGES, FirmwareUpdater, UpdatePlan
from app.vendors.inxpect.ifw import read_ifw
from app.vendors.inxpect.ifw_builder import firmware_package
from app.vendors.inxpect.simulator import InxpectSimulator

PASSWORD = "bench-password"


async def measure(size: int, chunk: int, runs: int) -> tuple[list[float], list[float], list[float]]:
    """(seconds per whole update, seconds of its transfer, seconds per plain PUT) against one simulator.

    The transfer runs from /startProcessUpdate to the answer of /stopProcessUpdate; the whole update adds
    reading /sensorInfo back after the device's reboot (one 403, a new login).
    """
    sim = InxpectSimulator(device_id=29999, seed=1, clock=SystemClock(), password=PASSWORD,
                           file_chunk_size=chunk)
    package = read_ifw(firmware_package(1, 1300, size), "bench.ifw")
    image = next(iter(package.files.values())).data
    updates: list[float] = []
    transfers: list[float] = []
    puts: list[float] = []
    async with serve_device(sim) as running:
        assert running.certificate is not None
        async with pinned_client(running.certificate.cert_der, timeout=120) as http:
            client = InxpectClient(http, running.endpoint, Credentials("", PASSWORD))
            await client.login()
            info = await client.read_info()
            for _ in range(runs):
                sim.comboard_firmware = 1207
                plan = UpdatePlan(package, info.comboard.fw_version, tuple(package.files.values()), ())
                marks: dict[str, float] = {}

                def mark(progress: Progress, marks: dict[str, float] = marks) -> None:
                    marks.setdefault(progress.stage, time.perf_counter())

                started = time.perf_counter()
                await FirmwareUpdater(client, plan).run(ProgressReporter(UPDATE_STAGES, mark))
                updates.append(time.perf_counter() - started)
                transfers.append(marks["Reading the firmware back"] - marks["Starting the update"])
                await client.login()
                token = sim._issue_token()
                started = time.perf_counter()
                response = await http.put(f"{running.endpoint.base_url}/chunkFileUpdate", content=image,
                                          headers={"Authorization": f"Bearer {token}"})
                puts.append(time.perf_counter() - started)
                assert response.status_code == 200
    return updates, transfers, puts


def main() -> None:
    """Print throughput figures for the default chunk size and a few others the device could ask for."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=8.0)
    parser.add_argument("--chunk-kib", type=int, nargs="+", default=[64, 256, 1024, 2048])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    size = int(args.mb * 1024 * 1024)
    mb = size / 1e6
    print(f"component: {args.mb:.1f} MiB over loopback TLS, {args.runs} runs per row (medians)")
    print("device chunk | chunks | whole update (incl. read-back) | transfer only | one plain PUT | ratio")
    for chunk_kib in args.chunk_kib:
        updates, transfers, puts = asyncio.run(measure(size, chunk_kib * 1024, args.runs))
        whole, transfer, put = (mb / statistics.median(x) for x in (updates, transfers, puts))
        print(f"{chunk_kib:>8} KiB | {-(-size // (chunk_kib * 1024)):>6} | {whole:>8.1f} MB/s "
              f"({statistics.median(updates) * 1000:4.0f} ms) | {transfer:>7.1f} MB/s | {put:>7.1f} MB/s | "
              f"{transfer / put:.2f} (transfer/PUT, target >= 0.8)")


if __name__ == "__main__":
    main()
