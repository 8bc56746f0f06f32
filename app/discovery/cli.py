"""`commissioner discover`: browse mDNS (and optionally probe typed addresses or ranges), print devices, exit.

With `--json`, stdout carries one JSON object per device: identified devices as soon as they are
identified, the rest when the time is up. `--timing` writes one JSON object with the seconds from the
start of browsing until the devices were listed and identified to stderr. The exit code is 0, or 1
when `--expect N` devices were not all identified in time, or 2 for unusable arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import AppError
from app.discovery.interfaces import default_browse_addresses
from app.discovery.inventory import DeviceEntry, InventoryChange, InventoryChangeKind
from app.discovery.scan import parse_ports
from app.discovery.service import DiscoveryService

log = logging.getLogger(__name__)

#: After the browse time, probes still in flight get this long to finish.
SETTLE_S = 3.0
_TABLE = (("vendor", 10), ("model", 16), ("serial", 16), ("firmware", 12), ("host", 15), ("port", 6),
          ("state", 22))


def entry_json(entry: DeviceEntry) -> dict[str, Any]:
    """The JSON object printed for one device."""
    candidate = entry.candidate
    identity, record = candidate.identity, candidate.record
    return {
        "key": entry.key, "vendor": identity.vendor, "model": identity.model, "serial": identity.serial,
        "mac": identity.mac, "firmware": identity.firmware, "name": identity.name,
        "host": candidate.endpoint.host, "port": candidate.endpoint.port, "scheme": candidate.endpoint.scheme,
        "addresses": list(candidate.addresses or (record.addresses if record else ())),
        "service_type": record.service_type if record else "",
        "instance_name": record.instance_name if record else "",
        "host_name": record.host_name if record else "",
        "identified": entry.identified, "state": entry.state.value, "detail": entry.detail,
        "fingerprint": candidate.certificate_fingerprint,
    }


@dataclass
class _Progress:
    """What the command has seen, and when (seconds since browsing started)."""

    started: float
    expect: int
    as_json: bool
    listed_at: dict[str, float] = field(default_factory=dict)  # by where it was seen (mDNS name, address)
    identified_at: dict[str, float] = field(default_factory=dict)
    printed: set[str] = field(default_factory=set)
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def on_change(self, change: InventoryChange) -> None:
        """Track listing and identification times; stream identified devices in JSON mode."""
        entry, now = change.entry, time.monotonic() - self.started
        if change.kind is InventoryChangeKind.REMOVED:
            return
        for source in entry.sources:
            self.listed_at.setdefault(source, now)
        if entry.identified and entry.key not in self.identified_at:
            self.identified_at[entry.key] = now
            if self.as_json:
                self.emit(entry)
        if self.expect and len(self.identified_at) >= self.expect:
            self.done.set()

    def emit(self, entry: DeviceEntry) -> None:
        """Print one device's JSON line once."""
        if entry.key not in self.printed:
            self.printed.add(entry.key)
            print(json.dumps(entry_json(entry)), flush=True)

    def timing(self) -> dict[str, Any]:
        """Seconds until the expected (else all) devices were listed and identified."""
        def when(times: dict[str, float]) -> float | None:
            ordered = sorted(times.values())
            wanted = self.expect or len(ordered)
            return round(ordered[wanted - 1], 4) if wanted and len(ordered) >= wanted else None

        return {"listed": len(self.listed_at), "identified": len(self.identified_at),
                "listed_s": when(self.listed_at), "identified_s": when(self.identified_at)}


def print_table(entries: list[DeviceEntry]) -> None:
    """A readable table of devices for a terminal."""
    print("  ".join(f"{name:<{width}}" for name, width in _TABLE))
    for entry in entries:
        row = entry_json(entry)
        print("  ".join(f"{row[name]!s:<{width}}" for name, width in _TABLE))
    identified = sum(entry.identified for entry in entries)
    print(f"{len(entries)} devices, {identified} identified")


async def discover(args: argparse.Namespace, interfaces: list[str]) -> int:
    """Browse, probe the typed addresses and ranges, wait, print; returns the exit code."""
    service = DiscoveryService()
    progress = _Progress(time.monotonic(), args.expect, args.json)
    service.inventory.subscribe(progress.on_change)
    ports = parse_ports(getattr(args, "ports", None) or [])
    try:
        await service.prepare()
        progress.started = time.monotonic()
        await service.start(interfaces)
        probes: list[Awaitable[object]] = [
            service.manual_add(text, extra_ports=ports) for text in getattr(args, "add", None) or []
        ]
        probes += [service.scan(spec, ports) for spec in getattr(args, "scan", None) or []]
        for outcome in await asyncio.gather(*probes, return_exceptions=True):
            if isinstance(outcome, AppError):
                print(f"commissioner discover: {outcome}", file=sys.stderr)
            elif isinstance(outcome, BaseException):
                raise outcome
        remaining = args.timeout - (time.monotonic() - progress.started)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(progress.done.wait(), max(remaining, 0.0))
        if not progress.done.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(service.idle(), SETTLE_S)
    finally:
        await service.stop()
    entries = service.inventory.entries()
    if args.json:
        for entry in entries:
            progress.emit(entry)
    else:
        print_table(entries)
    if getattr(args, "timing", False):
        print(json.dumps({"timing": progress.timing()}), file=sys.stderr, flush=True)
    if args.expect and len(progress.identified_at) < args.expect:
        print(f"commissioner discover: {len(progress.identified_at)} of {args.expect} expected devices "
              "identified", file=sys.stderr)
        return 1
    return 0


def run_discover_command(args: argparse.Namespace) -> int:
    """Entry point of `commissioner discover`; returns the exit code."""
    logging.basicConfig(level=getattr(args, "log_level", "WARNING"), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for chatty in ("httpx", "app.backend.transport"):  # one line per probe is noise here
        logging.getLogger(chatty).setLevel(logging.WARNING)
    interfaces = args.discover_interfaces or getattr(args, "interface", None) or default_browse_addresses()
    if not interfaces:
        print("commissioner discover: no IPv4 interface to browse on; pass --interface", file=sys.stderr)
        return 2
    try:
        return asyncio.run(discover(args, list(interfaces)))
    except AppError as err:
        print(f"commissioner discover: {err}", file=sys.stderr)
        return 2
