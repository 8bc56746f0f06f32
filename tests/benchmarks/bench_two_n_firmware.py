"""Firmware upload throughput to a simulated 2N intercom over loopback HTTPS vs a plain httpx PUT.

The app's path: Digest-authenticated multipart PUT /api/firmware (blob-fw) with byte progress, the
simulator parsing the multipart body and checking the file, then reject. The baseline: a plain
`httpx.AsyncClient.put(content=...)` of the same bytes to a TLS server that only drains the body.
Prints MB/s for both and their ratio (target >= 0.8). Asserts nothing.
    uv run python -m tests.benchmarks.bench_two_n_firmware [--mb 32] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

from app.backend.session import pinned_client
from app.core.clock import SystemClock
from app.core.models import Credentials
from app.core.progress import ProgressReporter
from app.sim.server import serve_device
from app.vendors.base import SimulatedDeviceInfo
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.simulator import TwoNSimulator, build_firmware
from app.vendors.two_n.transfers import FIRMWARE_UPLOAD_STAGES, upload_firmware


class BodySink:
    """A TLS endpoint that reads a request body and answers 200: the ceiling for one PUT."""

    info = SimulatedDeviceInfo(vendor="two_n", model="sink", serial="0", mac="", firmware="",
                               username="", password="")

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Drain the body, answer {"success": true}."""
        if scope["type"] != "http":
            return
        more = True
        while more:
            message = await receive()
            more = message.get("more_body", False)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"success": true}'})

    async def start(self) -> None:
        """Nothing to start."""

    async def stop(self) -> None:
        """Nothing to stop."""


async def app_uploads(data: bytes, runs: int) -> list[float]:
    """Seconds per upload through the app's firmware workflow (each followed by reject)."""
    sim = TwoNSimulator(serial_index=0, seed=1, clock=SystemClock())
    times = []
    async with serve_device(sim) as running:
        assert running.certificate is not None
        async with pinned_client(running.certificate.cert_der, timeout=120) as http:
            client = TwoNClient(http, running.endpoint, Credentials(sim.info.username, sim.info.password))
            await client.login()
            for _ in range(runs):
                started = time.perf_counter()
                reporter = ProgressReporter(FIRMWARE_UPLOAD_STAGES)
                upload = await upload_firmware(client, data, "verso.bin", reporter)
                times.append(time.perf_counter() - started)
                await client.reject_firmware(upload.file_id)
    return times


async def plain_puts(data: bytes, runs: int) -> list[float]:
    """Seconds per plain httpx PUT of the same bytes."""
    times = []
    async with serve_device(BodySink()) as running:
        assert running.certificate is not None
        async with pinned_client(running.certificate.cert_der, timeout=120) as http:
            url = f"{running.endpoint.base_url}/api/firmware"
            for _ in range(runs):
                started = time.perf_counter()
                response = await http.put(url, content=data)
                response.raise_for_status()
                times.append(time.perf_counter() - started)
    return times


async def run(megabytes: int, runs: int) -> None:
    """Measure both and print."""
    data = build_firmware("verso", "2.38.0.50.1", size=megabytes * 1024 * 1024, seed=2)
    baseline = await plain_puts(data, runs)
    ours = await app_uploads(data, runs)
    size_mb = len(data) / 1e6
    base_rate, our_rate = size_mb / statistics.median(baseline), size_mb / statistics.median(ours)
    print(f"{size_mb:.1f} MB firmware over loopback HTTPS, {runs} runs, median:")
    print(f"  plain httpx PUT        {base_rate:7.1f} MB/s  ({statistics.median(baseline) * 1000:.0f} ms)")
    print(f"  app firmware upload    {our_rate:7.1f} MB/s  ({statistics.median(ours) * 1000:.0f} ms)"
          " (Digest, multipart blob-fw, progress, device-side parse and check)")
    print(f"  ratio app/plain        {our_rate / base_rate:7.2f}  (target >= 0.8)")


def main() -> None:
    """Command-line entry."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=32)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(run(arguments.mb, arguments.runs))


if __name__ == "__main__":
    main()
