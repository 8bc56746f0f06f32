"""A hostile site: 250 simulated devices and 40 hostile endpoints announced beside them over loopback mDNS.

Run: uv run python -m tests.benchmarks.bench_hostile_site [--count 250] [--hostile 40] [--runs 5]

The hostile endpoints (this process, 127.0.0.1 only) claim to be Axis cameras, 2N intercoms and
MSK-101-POE sensors and answer every probe by trickling a byte every 2 s, with an endless body or with
a 400 MB body. Each run starts a fresh `commissioner discover --expect N --timing` (as
bench_discovery does) and reads the seconds until all N real devices were identified; the peak RSS of
the discovering process is its maximum resident set size. Baseline runs without the hostile endpoints
follow. Prints every run and the medians; asserts nothing about time. Stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import random
import resource
import statistics
import time
from dataclasses import dataclass

from zeroconf import ServiceInfo
from zeroconf.asyncio import AsyncZeroconf

from app.sim.launcher import start_sim_subprocess
from tests.benchmarks.bench_discovery import MDNS_VENDORS, discover_once
from tests.hostile.peer import Behaviour, HostilePeer

HOST = "127.0.0.1"
HOSTILE_BEHAVIOURS = (Behaviour.TRICKLE, Behaviour.ENDLESS, Behaviour.OVERSIZED)
TRICKLE_INTERVAL_S = 2.0


@dataclass(frozen=True, slots=True)
class Announcement:
    """How one hostile endpoint claims to be a device a plugin recognises."""

    service_type: str
    instance: str
    host_name: str
    txt: dict[str, str]


def announcement_for(index: int, first: int) -> Announcement:
    """The index-th hostile endpoint's DNS-SD record: an Axis camera, a 2N intercom or an MSK, in turn."""
    serial = f"{first + index:06d}"
    match index % 3:
        case 0:
            return Announcement("_axis-video._tcp.local.", f"AXIS Q3819-PVE - ACCC8E{serial}",
                                f"hostile-axis-{serial}.local.", {"macaddress": f"ACCC8E{serial}"})
        case 1:
            return Announcement("_https._tcp.local.", f"2N IP Verso hostile {serial}",
                                f"hostile-2n-{serial}.local.", {"vendor": "2N"})
        case _:
            return Announcement("_https._tcp.local.", f"MSK hostile {serial}",
                                f"msk101poe-h{serial}.local.", {})


def service_info(announcement: Announcement, port: int) -> ServiceInfo:
    """The zeroconf registration of one hostile endpoint on 127.0.0.1."""
    return ServiceInfo(
        announcement.service_type,
        f"{announcement.instance}.{announcement.service_type}",
        addresses=[ipaddress.IPv4Address(HOST).packed],
        port=port,
        properties=announcement.txt,
        server=announcement.host_name,
    )


class HostileEndpoints:
    """`count` hostile peers on 127.0.0.1, announced over mDNS bound to 127.0.0.1."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.peers: list[HostilePeer] = []
        self._zeroconf: AsyncZeroconf | None = None
        self._infos: list[ServiceInfo] = []

    async def __aenter__(self) -> HostileEndpoints:
        first = random.randrange(100_000, 900_000, 1000)
        self._zeroconf = AsyncZeroconf(interfaces=[HOST])
        for index in range(self.count):
            behaviour = HOSTILE_BEHAVIOURS[index % len(HOSTILE_BEHAVIOURS)]
            peer = await HostilePeer(behaviour, trickle_interval=TRICKLE_INTERVAL_S).start()
            self.peers.append(peer)
            info = service_info(announcement_for(index, first), peer.port)
            await self._zeroconf.async_register_service(info, cooperating_responders=True)
            self._infos.append(info)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._zeroconf is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(10):
                    for info in self._infos:
                        await self._zeroconf.async_unregister_service(info)
            await self._zeroconf.async_close()
        for peer in self.peers:
            await peer.stop()

    @property
    def bytes_sent(self) -> int:
        """Body bytes the hostile peers managed to send in all."""
        return sum(peer.bytes_sent for peer in self.peers)


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):6.3f}" if values else "   n/a"


async def timed_runs(
    label: str, expect: int, ours: set[tuple[str, int]], runs: int, timeout: float
) -> list[float]:
    """`runs` discover processes; prints each and returns the seconds until all `expect` were identified."""
    identified: list[float] = []
    for run in range(1, runs + 1):
        result = await discover_once(expect, timeout)
        seconds = result["timing"].get("identified_s")
        found = {(d["serial"], d["port"]) for d in result["devices"] if d["identified"]} & ours
        shown = "   n/a" if seconds is None else f"{seconds:6.3f}"
        print(f"{label} run {run}: identified {shown} s ({len(found)}/{len(ours)} real devices; "
              f"process wall {result['wall']:.2f} s, exit {result['exit']})", flush=True)
        if seconds is not None:
            identified.append(seconds)
    return identified


async def bench(count: int, hostile: int, runs: int, timeout: float) -> None:
    """Start the site, run discover without and with the hostile endpoints, print the figures."""
    args = ["--count", str(count), "--first-index", str(random.randrange(10_000, 60_000, 1000))]
    for vendor in MDNS_VENDORS:
        args += ["--vendor", vendor]
    started = time.monotonic()
    site = await start_sim_subprocess(args)
    async with site:
        devices = await site.wait_ready(timeout=120)
        print(f"site: {len(devices)} devices ready in {time.monotonic() - started:.2f} s (pid {site.pid})")
        ours = {(d["serial"], d["port"]) for d in devices if d.get("service_type")}
        async with HostileEndpoints(hostile) as endpoints:
            print(f"{hostile} hostile endpoints announced (a byte every {TRICKLE_INTERVAL_S:.0f} s, "
                  "endless and 400 MB bodies)", flush=True)
            with_hostile = await timed_runs("hostile", len(ours), ours, runs, timeout)
            sent_mb = endpoints.bytes_sent / (1 << 20)
        # Only the discover processes have ended so far: this is the largest of the hostile runs.
        peak_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print("hostile endpoints withdrawn", flush=True)
        baseline = await timed_runs("baseline", len(ours), ours, runs, timeout)
    print(f"median of {runs} without hostile endpoints: identified {_median(baseline)} s")
    print(f"median of {runs} with {hostile} hostile endpoints: identified {_median(with_hostile)} s "
          f"(target: within 2.5 s); peak RSS of discover {peak_rss:.0f} MB (target: under 200 MB); "
          f"the hostile endpoints sent {sent_mb:.0f} MB in all before being cut off")


def main() -> None:
    """Parse the few options and run the benchmark."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=250)
    parser.add_argument("--hostile", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=20.0, help="discover --timeout per run")
    options = parser.parse_args()
    asyncio.run(bench(options.count, options.hostile, options.runs, options.timeout))


if __name__ == "__main__":
    main()
