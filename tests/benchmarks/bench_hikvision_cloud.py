"""Benchmark: the end-of-visit flow against the simulated Hik-Partner Pro cloud, in process.

Run: uv run python -m tests.benchmarks.bench_hikvision_cloud
Prints wall time and the number of cloud calls per phase; asserts nothing about time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

import httpx

from app.core.clock import ManualClock
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.simulator import HikPartnerSimulator
from app.vendors.hikvision.wizard import EndOfVisitController

T = TypeVar("T")
SITES = 20


async def with_time(clock: ManualClock, coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro`, advancing simulated time one second whenever it waits."""
    task = asyncio.ensure_future(coro)
    while True:
        for _ in range(30):
            await asyncio.sleep(0)
            if task.done():
                return task.result()
        clock.advance(1.0)


async def one_visit(index: int) -> tuple[float, int]:
    """A whole visit on a fresh simulated account: (seconds of wall time, cloud calls)."""
    clock = ManualClock()
    sim = HikPartnerSimulator(seed=index, clock=clock, calls_per_second=10_000)
    started = time.perf_counter()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim)) as http:
        client = HikPartnerClient(http, "https://127.0.0.1:8443", sim.app_key, sim.secret_key, clock=clock)
        wizard = EndOfVisitController(client, lambda *entry: None, "hikvision:bench", clock=clock)
        await wizard.validate_site(new_name=f"Site {index}", time_zone=133)
        pasted = "\n".join(f"{d['serial']} {d['validateCode']}" for d in sim.info.extra["devices"])
        await wizard.validate_register(pasted)
        await with_time(clock, wizard.validate_online())
        await with_time(clock, wizard.validate_upgrade(await wizard.devices_needing_upgrade()))
        await wizard.validate_health()
        await wizard.validate_handover("owner@customer.example")
    return time.perf_counter() - started, len(sim.requests)


async def main() -> None:
    """Run SITES visits and print the figures."""
    results = [await one_visit(index) for index in range(SITES)]
    walls = sorted(wall for wall, _ in results)
    calls = sum(count for _, count in results)
    print(f"visits: {SITES}, devices per visit: 6, cloud calls per visit: {calls / SITES:.0f}")
    median, worst = walls[len(walls) // 2] * 1000, walls[-1] * 1000
    print(f"wall time per visit: median {median:.1f} ms, max {worst:.1f} ms")
    print(f"in-process call cost: {sum(walls) / calls * 1000:.2f} ms per cloud call")


if __name__ == "__main__":
    asyncio.run(main())
