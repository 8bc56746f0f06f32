"""Discovery at scale: `commissioner sim --count 250` in one process, `commissioner discover` in another.

Run: uv run python -m tests.benchmarks.bench_discovery [--count 250] [--runs 5]

Each run starts a fresh `commissioner discover --interface 127.0.0.1 --json --expect N --timing`
against the same running site and reads the seconds from the start of browsing until all N devices
were listed (their mDNS records resolved) and identified (their HTTPS probe answered), as measured
inside the discover process. Prints every run and the medians; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from typing import Any

from app.sim.launcher import start_sim_subprocess

MDNS_VENDORS = ("inxpect", "two_n", "axis")


async def discover_once(expect: int, timeout: float) -> dict[str, Any]:
    """Run one discover process; return its timing, its device lines and its wall time."""
    command = [sys.executable, "-m", "app", "--log-level", "WARNING", "discover", "--interface", "127.0.0.1",
               "--json", "--timing", "--expect", str(expect), "--timeout", str(timeout)]
    started = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    stdout, stderr = await process.communicate()
    wall = time.monotonic() - started
    timing: dict[str, Any] = {}
    for line in stderr.decode().splitlines():
        if line.startswith('{"timing"'):
            timing = json.loads(line)["timing"]
    devices = [json.loads(line) for line in stdout.decode().splitlines() if line.startswith("{")]
    return {"timing": timing, "devices": devices, "wall": wall, "exit": process.returncode}


async def in_process_run(expect: int, timeout: float) -> tuple[float | None, float]:
    """Discover in this process while sampling the event loop; returns (identified seconds, longest stall)."""
    from app.discovery.service import DiscoveryService

    service = DiscoveryService(pinned=lambda _key: None)
    await service.prepare()
    loop = asyncio.get_running_loop()
    longest = 0.0
    identified = asyncio.Event()

    def check(_change: object) -> None:
        if sum(entry.identified for entry in service.inventory.entries()) >= expect:
            identified.set()

    async def sample() -> None:
        nonlocal longest
        while True:
            before = loop.time()
            await asyncio.sleep(0.005)
            longest = max(longest, loop.time() - before - 0.005)

    sampler = asyncio.ensure_future(sample())
    service.inventory.subscribe(check)
    started = loop.time()
    try:
        await service.start(["127.0.0.1"])
        await asyncio.wait_for(identified.wait(), timeout)
        took: float | None = loop.time() - started
    except TimeoutError:
        took = None
    finally:
        sampler.cancel()
        await service.stop()
    return took, longest


def _fmt(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.3f}"


async def bench(count: int, runs: int, timeout: float) -> None:
    """Start the site, run discover `runs` times, print the figures."""
    # Serials unlike any other site on this machine (a demo, a test), which share loopback mDNS with us.
    args = ["--count", str(count), "--first-index", str(random.randrange(10_000, 60_000, 1000))]
    for vendor in MDNS_VENDORS:
        args += ["--vendor", vendor]
    started = time.monotonic()
    site = await start_sim_subprocess(args)
    async with site:
        devices = await site.wait_ready(timeout=120)
        print(f"site: {len(devices)} devices ready in {time.monotonic() - started:.2f} s (pid {site.pid})")
        ours = {(d["serial"], d["port"]) for d in devices if d.get("service_type")}
        listed: list[float] = []
        identified: list[float] = []
        for run in range(1, runs + 1):
            result = await discover_once(len(ours), timeout)
            timing = result["timing"]
            found = {(d["serial"], d["port"]) for d in result["devices"] if d["identified"]} & ours
            print(f"run {run}: listed {_fmt(timing.get('listed_s'))} s, "
                  f"identified {_fmt(timing.get('identified_s'))} s ({len(found)}/{len(ours)} of the site "
                  f"identified; process wall {result['wall']:.2f} s, exit {result['exit']})")
            if timing.get("listed_s") is not None:
                listed.append(timing["listed_s"])
            if timing.get("identified_s") is not None:
                identified.append(timing["identified_s"])
        took, stall = await in_process_run(len(ours), timeout)
        print(f"in-process run (no process start-up): identified {_fmt(took)} s; longest event-loop stall "
              f"{stall * 1000:.1f} ms while discovering")
        print(f"median of {runs}: listed {_fmt(statistics.median(listed) if listed else None)} s, "
              f"identified {_fmt(statistics.median(identified) if identified else None)} s "
              f"(target: identified within 2 s of the browse starting)")


def main() -> None:
    """Parse the few options and run the benchmark."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=250)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=20.0, help="discover --timeout per run")
    options = parser.parse_args()
    asyncio.run(bench(options.count, options.runs, options.timeout))


if __name__ == "__main__":
    main()
