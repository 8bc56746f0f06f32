"""Firmware upload of an 8 MB component to the simulated MSK-101-POE over loopback TLS.

The simulator runs in its own process (a device is its own machine: its hashing and flash bookkeeping
run beside the app, not in turn with it). The app's path: the whole update flow (start process,
manifest start/chunks/stop, file start/chunks/stop, stop process) with `X-Update-Filename` and
`Content-Range` on every chunk, at the device's chunk size. The baseline: one plain `httpx` PUT of the
same bytes to the same server, same route and connection (the simulator reads the whole body, then
refuses it as out of order, so unlike the chunks it neither stores nor hashes it). Prints MB/s of both,
their ratio (target >= 0.8), the requests the transfer needed, and the floor of one acknowledged
request on this machine (an empty PUT to the same route, answered at once): requests x floor is time
the documented one-chunk-per-request protocol costs before any byte moves. Asserts nothing.
    uv run python -m tests.benchmarks.bench_inxpect_upload [--mb 8] [--chunk-kib 64 256 1024] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from typing import Any

PASSWORD = "bench-password"


async def serve(chunk: int) -> None:
    """Child process: one simulator with `chunk`-byte file chunks until stdin closes."""
    from app.core.clock import SystemClock
    from app.sim.server import serve_device
    from app.vendors.inxpect.simulator import InxpectSimulator

    sim = InxpectSimulator(
        device_id=29999, seed=1, clock=SystemClock(), password=PASSWORD, file_chunk_size=chunk
    )
    async with serve_device(sim) as running:
        assert running.certificate is not None
        print(
            json.dumps({"port": running.endpoint.port, "cert": running.certificate.cert_der.hex()}),
            flush=True,
        )
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


Row = tuple[list[float], list[float], list[float], int, float]


async def measure(server: dict[str, str], size: int, runs: int) -> Row:
    """(s per whole update, s of its transfer, s per plain PUT, requests per transfer, s per empty PUT).

    The transfer runs from /startProcessUpdate to the answer of /stopProcessUpdate; the whole update adds
    reading /sensorInfo back after the device's reboot (one 403, a new login).
    """
    from app.backend.session import pinned_client
    from app.core.models import Credentials, Endpoint
    from app.core.progress import Progress, ProgressReporter
    from app.vendors.inxpect.client import InxpectClient
    from app.vendors.inxpect.firmware import UPDATE_STAGES, FirmwareUpdater, prepare_update
    from app.vendors.inxpect.ifw import read_ifw
    from app.vendors.inxpect.ifw_builder import firmware_package

    package = read_ifw(firmware_package(1, 1300, size), "bench.ifw")
    image = next(iter(package.files.values())).data
    endpoint = Endpoint("127.0.0.1", int(server["port"]))
    updates: list[float] = []
    transfers: list[float] = []
    puts: list[float] = []
    floors: list[float] = []
    sent: list[str] = []

    async def count(request: Any) -> None:
        sent.append(request.url.path)

    async with pinned_client(bytes.fromhex(server["cert"]), timeout=120) as http:
        http.event_hooks = {"request": [count]}
        client = InxpectClient(http, endpoint, Credentials("", PASSWORD))
        await client.login()
        auth = {"Authorization": f"Bearer {client._session.token}"}
        for _ in range(runs):
            plan = await prepare_update(client, package)
            marks: dict[str, float] = {}

            def mark(progress: Progress, marks: dict[str, float] = marks) -> None:
                marks.setdefault(progress.stage, time.perf_counter())

            sent.clear()
            started = time.perf_counter()
            await FirmwareUpdater(client, plan, allow_downgrade=True).run(
                ProgressReporter(UPDATE_STAGES, mark)
            )
            updates.append(time.perf_counter() - started)
            transfers.append(marks["Reading the firmware back"] - marks["Starting the update"])
            transfer_requests = sent.index("/sensorInfo") if "/sensorInfo" in sent else len(sent)
            auth = {"Authorization": f"Bearer {client._session.token}"}
            started = time.perf_counter()
            response = await http.put(f"{endpoint.base_url}/chunkFileUpdate", content=image, headers=auth)
            puts.append(time.perf_counter() - started)
            assert response.status_code == 200
            for _ in range(20):
                started = time.perf_counter()
                await http.put(f"{endpoint.base_url}/chunkFileUpdate", content=b"", headers=auth)
                floors.append(time.perf_counter() - started)
    return updates, transfers, puts, transfer_requests, statistics.median(floors)


def run_row(size: int, chunk: int, runs: int) -> Row:
    """Start a simulator process with this chunk size and measure against it."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.benchmarks.bench_inxpect_upload", "--serve", str(chunk)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        server = json.loads(child.stdout.readline())
        return asyncio.run(measure(server, size, runs))
    finally:
        if child.stdin is not None:
            child.stdin.close()
        child.wait(timeout=10)


def main() -> None:
    """Print throughput figures for a few chunk sizes the device could ask for."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=8.0)
    parser.add_argument("--chunk-kib", type=int, nargs="+", default=[64, 256, 1024, 2048])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--serve", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve))
        return
    size = int(args.mb * 1024 * 1024)
    mb = size / 1e6
    print(
        f"component: {args.mb:.1f} MiB over loopback TLS, simulator in its own process, "
        f"{args.runs} runs (medians)"
    )
    print(
        "device chunk | chunks | whole update (incl. read-back) | transfer only | one plain PUT | ratio "
        "| requests x floor | ratio if requests cost only the floor"
    )
    for chunk_kib in args.chunk_kib:
        updates, transfers, puts, requests, floor = run_row(size, chunk_kib * 1024, args.runs)
        whole, transfer, put = (mb / statistics.median(x) for x in (updates, transfers, puts))
        put_s = statistics.median(puts)
        print(
            f"{chunk_kib:>8} KiB | {-(-size // (chunk_kib * 1024)):>6} | {whole:>8.1f} MB/s "
            f"({statistics.median(updates) * 1000:4.0f} ms) | {transfer:>7.1f} MB/s | {put:>7.1f} MB/s | "
            f"{transfer / put:.2f} (target >= 0.8) | {requests} x {floor * 1000:.2f} ms | "
            f"{put_s / (put_s + requests * floor):.2f}"
        )


if __name__ == "__main__":
    main()
