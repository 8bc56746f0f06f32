"""Benchmark: the end-of-visit flow against the simulated Hik-Partner Pro cloud, in process; then a site
of 120 devices, read whole in the document's page size (20) as the panel's status poll reads it.

Run: uv run python -m tests.benchmarks.bench_hikvision_cloud
Prints wall time and the number of cloud calls per phase; asserts nothing about time (it checks only
that every device was read, in pages of 20).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

import httpx

from app.core.clock import ManualClock
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.models import DeviceToAdd
from app.vendors.hikvision.pages import PAGE_SIZE
from app.vendors.hikvision.panel_reads import read_site_status
from app.vendors.hikvision.simulator import AREA_PREFIX, HikPartnerSimulator
from app.vendors.hikvision.wizard import EndOfVisitController

T = TypeVar("T")
SITES = 20
LARGE_SITE = 120
READS = 10


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


async def large_site() -> None:
    """Register LARGE_SITE cameras to one site, then time READS whole reads of its device list."""
    clock = ManualClock()
    sim = HikPartnerSimulator(seed=1, clock=clock, calls_per_second=10_000, extra_cameras=LARGE_SITE)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim)) as http:
        client = HikPartnerClient(http, "https://127.0.0.1:8443", sim.app_key, sim.secret_key, clock=clock)
        site = await client.add_site("Distribution centre", 133)
        cameras = [d for d in sim.info.extra["devices"] if d["model"] == "DS-2CD2143G2-I"][-LARGE_SITE:]
        started = time.perf_counter()
        wanted = [DeviceToAdd(d["serial"], d["validateCode"]) for d in cameras]
        outcomes = await client.add_devices(site.id, wanted)
        registered = time.perf_counter() - started
        assert sum(o.added for o in outcomes) == LARGE_SITE
        clock.advance(10)  # every camera reports online
        walls, pages = [], 0
        for _ in range(READS):
            sim.requests.clear()
            started = time.perf_counter()
            status = await read_site_status(client, site.id, with_customers=False)
            walls.append(time.perf_counter() - started)
            listed = sim.requests.for_path(f"{AREA_PREFIX}/api/hpcgw/v1/device/list")
            pages = len(listed)
            assert len(status.devices) == LARGE_SITE
            assert [(r.json()["page"], r.json()["pageSize"]) for r in listed] == [
                (n, PAGE_SIZE) for n in range(1, LARGE_SITE // PAGE_SIZE + 1)
            ]
        started = time.perf_counter()
        report = await client.health_report(site.id)
        health = time.perf_counter() - started
    walls.sort()
    print(f"site of {LARGE_SITE} devices: registered in one device/add call in {registered * 1000:.1f} ms")
    print(f"whole device list ({pages} pages of {PAGE_SIZE}): median {walls[len(walls) // 2] * 1000:.1f} ms, "
          f"max {walls[-1] * 1000:.1f} ms over {READS} reads")
    print(f"health report of {len(report.entries)} devices: {health * 1000:.1f} ms")


async def main() -> None:
    """Run SITES visits and the large site, and print the figures."""
    results = [await one_visit(index) for index in range(SITES)]
    walls = sorted(wall for wall, _ in results)
    calls = sum(count for _, count in results)
    print(f"visits: {SITES}, devices per visit: 6, cloud calls per visit: {calls / SITES:.0f}")
    median, worst = walls[len(walls) // 2] * 1000, walls[-1] * 1000
    print(f"wall time per visit: median {median:.1f} ms, max {worst:.1f} ms")
    print(f"in-process call cost: {sum(walls) / calls * 1000:.2f} ms per cloud call")
    await large_site()


if __name__ == "__main__":
    asyncio.run(main())
