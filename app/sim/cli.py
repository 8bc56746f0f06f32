"""`commissioner sim`: run a simulated site until interrupted, printing where each device listens.

With `--json`, stdout carries one JSON object per line: one per device as soon as it listens (and is
announced), then a final `{"ready": true, "count": N, "failed": F}` once every device is up (F
simulators failed to start; the log on stderr says why). Logs go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from app.core.models import VendorId
from app.sim.server import RunningDevice
from app.sim.site import run_site, site_mix

log = logging.getLogger(__name__)

_TABLE_COLUMNS = (("vendor", 11), ("model", 24), ("serial", 17), ("host", 15), ("port", 6), ("username", 12),
                  ("password", 0))


def device_json(running: RunningDevice) -> dict[str, Any]:
    """The JSON object printed for one device: identity, where it listens, its credentials, its extras."""
    info = running.device.info
    base: dict[str, Any] = {
        "vendor": info.vendor, "model": info.model, "serial": info.serial, "mac": info.mac,
        "firmware": info.firmware, "host": running.endpoint.host, "port": running.endpoint.port,
        "scheme": running.endpoint.scheme, "username": info.username, "password": info.password,
        "fingerprint": running.fingerprint,
    }
    simulated = running.device.scenarios
    if simulated.active:  # what the device was started as (e.g. one unit of an HA pair), in words
        base["simulates"] = [s.description.split(":")[0] for s in simulated if s.name in simulated.active]
    if info.advert is not None:
        base.update(service_type=info.advert.service_type, instance_name=info.advert.instance_name,
                    host_name=info.advert.host_name)
    return {**dict(info.extra), **base}


def raise_open_file_limit() -> int:
    """Raise the soft RLIMIT_NOFILE to the hard limit (many servers, many sockets); returns it."""
    try:
        import resource
    except ImportError:  # Windows: no per-process descriptor limit to raise.
        return 0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
    return soft


class _Printer:
    """Writes each ready device to stdout, flushed at once: a JSON line, or a row of a table."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.count = 0

    def device(self, running: RunningDevice) -> None:
        """Print one device that just started listening."""
        record = device_json(running)
        if self.as_json:
            print(json.dumps(record, default=str), flush=True)
        else:
            if self.count == 0:
                print(" ".join(f"{name:<{width}}" for name, width in _TABLE_COLUMNS).rstrip(), flush=True)
            print(" ".join(f"{record[name]!s:<{width}}" for name, width in _TABLE_COLUMNS), flush=True)
            for key, value in running.device.info.extra.items():
                print(f"    {key}: {json.dumps(value, default=str)}", flush=True)
        self.count += 1

    def ready(self, failed: int) -> None:
        """Print the end-of-start-up line (`failed`: devices whose simulator could not start)."""
        if self.as_json:
            print(json.dumps({"ready": True, "count": self.count, "failed": failed}), flush=True)
        else:
            print(f"{self.count} simulated devices running; Ctrl+C stops them.", flush=True)
            if failed:
                print(f"{failed} devices failed to start (see the log above).", flush=True)


async def run_until_stopped(
    vendors: Sequence[VendorId],
    count: int,
    *,
    host: str,
    seed: int,
    as_json: bool,
    first_index: int = 0,
    scenarios: Mapping[int, Sequence[str]] | None = None,
) -> None:
    """Run the site until SIGINT or SIGTERM, printing each device as it becomes ready."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C arrives as KeyboardInterrupt.
            loop.add_signal_handler(signum, stop.set)
    printer = _Printer(as_json)
    async with run_site(
        vendors, count, host=host, seed=seed, ready=printer.device, first_index=first_index,
        scenarios=scenarios,
    ) as site:
        printer.ready(len(site.failed))
        await stop.wait()
    log.info("simulated site stopped")


def parse_scenarios(values: Sequence[str]) -> dict[int, list[str]]:
    """`INDEX:NAME` arguments as scenario names per device position; ValueError names a malformed one."""
    chosen: dict[int, list[str]] = {}
    for value in values:
        index, _, name = value.partition(":")
        if not index.isdecimal() or not name:
            raise ValueError(f"--scenario takes INDEX:NAME (e.g. 4:ha_pair), not {value!r}")
        chosen.setdefault(int(index), []).append(name)
    return chosen


def run_sim_command(args: argparse.Namespace) -> int:
    """Entry point of `commissioner sim`; returns the exit code."""
    logging.basicConfig(level=getattr(args, "log_level", "INFO"), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    site = getattr(args, "site", 0)
    count = site or args.count
    if count < 1:
        print("--count and --site must be at least 1", file=sys.stderr)
        return 2
    try:
        scenarios = parse_scenarios(getattr(args, "scenario", None) or [])
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    limit = raise_open_file_limit()
    if limit and limit < count * 4 + 64:
        log.warning("open-file limit %d may be too low for %d devices", limit, count)
    vendors = site_mix(site) if site else [VendorId(vendor) for vendor in args.vendor or []]
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_until_stopped(
            vendors, count, host=args.host, seed=args.seed, as_json=args.json,
            first_index=getattr(args, "first_index", 0), scenarios=scenarios,
        ))
    return 0
