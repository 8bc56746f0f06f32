"""Firmware upload of an 8 MB component to the simulated MSK-101-POE over loopback TLS.

The simulator runs in its own process (a device is its own machine: its hashing and flash bookkeeping
run beside the app, not in turn with it). Three ways to move the same component over one pinned
`httpx` client and connection (app and bare runs alternate, swapping which goes first; the plain PUT
and the floor follow each app run):

- the app: `FirmwareUpdater.run`, the whole documented flow (start process, manifest start/chunks/stop,
  file start/chunks/stop, stop process) with `X-Update-Filename` and `Content-Range` on every chunk, at
  the device's chunk size, one acknowledged request per chunk;
- the bare protocol: exactly the same requests (paths, bodies, headers, chunk size, order) from a plain
  loop of `http.put(...)` with no app code, each answer's errorCode checked;
- one plain PUT of the same bytes to the same route (the simulator reads the whole body, then refuses it
  as out of order, so unlike the chunks it neither stores nor hashes it): the issue's baseline.

Prints MB/s of each; app / bare protocol (near 1.0: the app adds nothing to the protocol's own cost);
app / plain PUT (the issue's figure, target >= 0.8); and the floor of one acknowledged request on this
machine (an empty PUT to the same route, answered at once): requests x floor is time the documented
one-chunk-per-request protocol costs before any byte moves. By default nothing is logged (the root
logger's WARNING); `--log-level INFO` logs as the app does by default (records redacted at creation,
written to a file; the UI's log view aside), one line per request from httpx and one from the app's
transport, for the bare loop the httpx line only. A last line gives the CPU the app's layers add to one
chunk request, measured without network on httpx.MockTransport. Asserts nothing about time.
    uv run python -m tests.benchmarks.bench_inxpect_upload [--mb 8] [--chunk-kib 64 256 1024] [--runs 5]
        [--log-level INFO]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

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


@dataclass
class Row:
    """Seconds per run of each way, and the request counts and floor that explain them."""

    updates: list[float] = field(default_factory=list)
    transfers: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    puts: list[float] = field(default_factory=list)
    floors: list[float] = field(default_factory=list)
    requests: int = 0


async def bare_protocol(
    http: httpx.AsyncClient, base: str, token: str, dst: int, name: str, manifest: bytes, data: bytes
) -> None:
    """The app's transfer, request for request, as a plain loop of `http.put` (§2, §3.18-§3.25)."""
    auth = {"Authorization": f"Bearer {token}"}

    def ok(response: httpx.Response) -> dict[str, Any]:
        body: dict[str, Any] = response.json()
        assert response.status_code == 200, (response.url.path, response.status_code)
        assert body["errorCode"] == 0, (response.url.path, body)
        return body

    ok(await http.put(f"{base}/startProcessUpdate", json={"dst": dst}, headers=auth))
    for kind, filename, payload in (("Manifest", f"{name}.mf", manifest), ("File", name, data)):
        size = ok(await http.put(f"{base}/start{kind}Update", headers=auth))["maxChunkSize"]
        total = len(payload)
        for offset in range(0, total, size):
            chunk = payload[offset : offset + size]
            headers = {
                **auth,
                "X-Update-Filename": filename,
                "Content-Range": f"bytes {offset}-{offset + len(chunk) - 1}/{total}",
                "Content-Type": "application/octet-stream",
            }
            ok(await http.put(f"{base}/chunk{kind}Update", content=chunk, headers=headers))
        ok(await http.put(f"{base}/stop{kind}Update", headers=auth))
    ok(await http.put(f"{base}/stopProcessUpdate", json={"force": 0}, headers=auth))


async def measure(server: dict[str, str], size: int, runs: int) -> Row:
    """`runs` of the app's update (then one plain PUT and 20 empty PUTs) and of the bare loop, alternated.

    The app's transfer runs from /startProcessUpdate to the answer of /stopProcessUpdate; its whole
    update adds reading /sensorInfo back after the device's reboot (one 403, a new login).
    """
    from app.backend.session import pinned_client
    from app.core.models import Credentials, Endpoint
    from app.core.progress import Progress, ProgressReporter
    from app.vendors.inxpect.client import InxpectClient
    from app.vendors.inxpect.firmware import UPDATE_STAGES, FirmwareUpdater, prepare_update
    from app.vendors.inxpect.ifw import read_ifw
    from app.vendors.inxpect.ifw_builder import firmware_package

    package = read_ifw(firmware_package(1, 1300, size), "bench.ifw")
    (image,) = package.files.values()
    dst = int(package.descriptor.destination)
    endpoint = Endpoint("127.0.0.1", int(server["port"]))
    base = endpoint.base_url
    row = Row()
    sent: list[str] = []

    async def count(request: httpx.Request) -> None:
        sent.append(request.url.path)

    async with pinned_client(bytes.fromhex(server["cert"]), timeout=120) as http:
        http.event_hooks = {"request": [count]}  # on every way measured alike
        client = InxpectClient(http, endpoint, Credentials("", PASSWORD))
        await client.login()

        async def app_update() -> list[str]:
            """One FirmwareUpdater run, then the plain PUT and the floor; returns the transfer's requests."""
            plan = await prepare_update(client, package)
            marks: dict[str, float] = {}

            def mark(progress: Progress) -> None:
                marks.setdefault(progress.stage, time.perf_counter())

            sent.clear()
            started = time.perf_counter()
            await FirmwareUpdater(client, plan, allow_downgrade=True).run(
                ProgressReporter(UPDATE_STAGES, mark)
            )
            row.updates.append(time.perf_counter() - started)
            row.transfers.append(marks["Reading the firmware back"] - marks["Starting the update"])
            app_requests = sent[: sent.index("/sensorInfo")]
            auth = {"Authorization": f"Bearer {client._session.token}"}
            started = time.perf_counter()
            response = await http.put(f"{base}/chunkFileUpdate", content=image.data, headers=auth)
            row.puts.append(time.perf_counter() - started)
            assert response.status_code == 200
            for _ in range(20):
                started = time.perf_counter()
                await http.put(f"{base}/chunkFileUpdate", content=b"", headers=auth)
                row.floors.append(time.perf_counter() - started)
            return app_requests

        async def bare_update() -> list[str]:
            """One run of the bare loop; returns its requests."""
            await prepare_update(client, package)  # as before the app's run: logged in, device idle
            token = client._session.token
            assert token is not None
            sent.clear()
            started = time.perf_counter()
            await bare_protocol(http, base, token, dst, image.name, image.manifest, image.data)
            row.bare.append(time.perf_counter() - started)
            return list(sent)

        for run in range(runs):  # alternate which goes first; each ends with the device's reboot
            if run % 2:
                bare_requests, app_requests = await bare_update(), await app_update()
            else:
                app_requests, bare_requests = await app_update(), await bare_update()
            assert bare_requests == app_requests, "the bare loop must send the app's requests"
            row.requests = len(app_requests)
    return row


async def layer_cost(requests: int = 2000, chunk: int = 256 * 1024) -> tuple[float, float]:
    """(s per chunk through InxpectClient.send_file_chunk, s per bare http.put of it) with no network.

    Both on one httpx.MockTransport answering {"errorCode": 0} at once: the difference is the CPU the
    app's layers (client, token session, transport) add to each request, free of loopback noise.
    """
    from app.core.models import Credentials, Endpoint
    from app.vendors.inxpect.client import InxpectClient

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"errorCode": 0, "token": "bench-token"})

    data = bytes(chunk)
    total = requests * chunk
    best = {"app": float("inf"), "bare": float("inf")}
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        client = InxpectClient(http, Endpoint("127.0.0.1", 443), Credentials("", PASSWORD))
        await client.login()
        auth = {"Authorization": "Bearer bench-token"}
        for _ in range(3):
            started = time.perf_counter()
            for n in range(requests):
                await client.send_file_chunk("bench.bin", data, n * chunk, total)
            best["app"] = min(best["app"], (time.perf_counter() - started) / requests)
            started = time.perf_counter()
            for n in range(requests):
                headers = {
                    **auth,
                    "X-Update-Filename": "bench.bin",
                    "Content-Range": f"bytes {n * chunk}-{(n + 1) * chunk - 1}/{total}",
                    "Content-Type": "application/octet-stream",
                }
                response = await http.put(
                    f"{client.endpoint.base_url}/chunkFileUpdate", content=data, headers=headers
                )
                assert response.json()["errorCode"] == 0
            best["bare"] = min(best["bare"], (time.perf_counter() - started) / requests)
    return best["app"], best["bare"]


def log_as_the_app(level: str, directory: Path) -> None:
    """Redacted records at `level` to a file in `directory`, as `app.backend.logs.configure_logging`."""
    from app.backend.logs import LOG_FORMAT, RedactingFilter, install_record_redaction

    install_record_redaction()
    handler = logging.FileHandler(directory / "bench.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level.upper())


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
    parser.add_argument("--log-level", default="", help="log as the app does, at this level (e.g. INFO)")
    parser.add_argument("--serve", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve))
        return
    with tempfile.TemporaryDirectory(prefix="bench-inxpect-upload-") as logs:
        if args.log_level:
            log_as_the_app(args.log_level, Path(logs))
        report(args)
        logging.shutdown()


def report(args: argparse.Namespace) -> None:
    """Measure each chunk size and print its row."""
    size = int(args.mb * 1024 * 1024)
    mb = size / 1e6
    print(
        f"component: {args.mb:.1f} MiB over loopback TLS, simulator in its own process, "
        f"{args.runs} runs (medians); transfer = /startProcessUpdate .. answer of /stopProcessUpdate; "
        f"logging: {args.log_level.upper() or 'none (WARNING)'}"
    )
    print(
        "device chunk | chunks | app: whole update (incl. read-back) | app: transfer | bare protocol "
        "| app / bare | one plain PUT | app / plain PUT | requests x floor "
        "| plain PUT / (plain PUT + requests x floor)"
    )
    for chunk_kib in args.chunk_kib:
        row = run_row(size, chunk_kib * 1024, args.runs)
        whole, transfer, bare, put = (
            mb / statistics.median(x) for x in (row.updates, row.transfers, row.bare, row.puts)
        )
        put_s = statistics.median(row.puts)
        floor = statistics.median(row.floors)
        print(
            f"{chunk_kib:>8} KiB | {-(-size // (chunk_kib * 1024)):>6} | {whole:>6.1f} MB/s "
            f"({statistics.median(row.updates) * 1000:4.0f} ms) | {transfer:>6.1f} MB/s "
            f"({statistics.median(row.transfers) * 1000:3.0f} ms) | {bare:>6.1f} MB/s "
            f"({statistics.median(row.bare) * 1000:3.0f} ms) | {transfer / bare:.2f} | {put:>6.1f} MB/s "
            f"({put_s * 1000:3.0f} ms) | {transfer / put:.2f} (target >= 0.8) | "
            f"{row.requests} x {floor * 1000:.2f} ms | {put_s / (put_s + row.requests * floor):.2f}"
        )
    app_s, bare_s = asyncio.run(layer_cost())
    print(
        f"one chunk request, no network (httpx.MockTransport, best of 3 x 2000): app {app_s * 1e6:.0f} us, "
        f"bare http.put {bare_s * 1e6:.0f} us; the app's layers add {(app_s - bare_s) * 1e6:.0f} us"
    )


if __name__ == "__main__":
    main()
