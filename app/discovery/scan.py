"""IPv4 range and CIDR scans: which addresses have which ports open (short TCP connects, bounded)."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
from collections.abc import Callable, Iterable, Sequence

from app.core.errors import AppError

#: The largest range a scan accepts: a /22 (1024 addresses).
MAX_SCAN_ADDRESSES = 1024
CONNECT_TIMEOUT_S = 0.5
SCAN_CONCURRENCY = 128

ScanProgress = Callable[[int, int], None]


class ScanRangeError(AppError):
    """The scan range or port list is malformed or too large; `message` says what is accepted."""


def parse_range(text: str, *, limit: int = MAX_SCAN_ADDRESSES) -> list[ipaddress.IPv4Address]:
    """Addresses of `10.0.0.5`, `10.0.0.5-20`, `10.0.0.5-10.0.0.40` or `10.0.0.0/24` (hosts), <= `limit`."""
    spec = text.strip()
    try:
        if "/" in spec:
            network = ipaddress.IPv4Network(spec, strict=False)
            size = network.num_addresses
            _check_size(size, spec, limit)
            return list(network.hosts()) if size > 2 else list(network)
        if "-" in spec:
            first_text, last_text = (part.strip() for part in spec.split("-", 1))
            first = ipaddress.IPv4Address(first_text)
            last = _range_end(first, last_text)
            if last < first:
                raise ScanRangeError(f"The range {spec} ends before it starts.")
            _check_size(int(last) - int(first) + 1, spec, limit)
            return [ipaddress.IPv4Address(value) for value in range(int(first), int(last) + 1)]
        return [ipaddress.IPv4Address(spec)]
    except ValueError as err:
        raise ScanRangeError(
            f"{spec!r} is not an IPv4 range. Use 10.0.0.5, 10.0.0.5-20, 10.0.0.5-10.0.0.40 or 10.0.0.0/24.",
            detail=str(err),
        ) from err


def _range_end(first: ipaddress.IPv4Address, last_text: str) -> ipaddress.IPv4Address:
    if last_text.isdigit():
        octet = int(last_text)
        if octet > 255:
            raise ValueError(f"{last_text} is not an address octet")
        return ipaddress.IPv4Address((int(first) & 0xFFFFFF00) | octet)
    return ipaddress.IPv4Address(last_text)


def _check_size(size: int, spec: str, limit: int) -> None:
    if size > limit:
        raise ScanRangeError(
            f"The range {spec} has {size} addresses; scan at most {limit} at a time "
            f"(a /{32 - (limit - 1).bit_length()}). Split it into smaller ranges."
        )


def parse_ports(values: Iterable[str | int]) -> tuple[int, ...]:
    """Ports from values such as 443, "8443" or "80,443"; raises ScanRangeError for anything else."""
    ports: dict[int, None] = {}
    for value in values:
        for part in str(value).split(","):
            text = part.strip()
            if not text:
                continue
            if not text.isdigit() or not 0 < int(text) < 65536:
                raise ScanRangeError(f"{text!r} is not a TCP port (1-65535).")
            ports[int(text)] = None
    return tuple(ports)


async def port_open(host: str, port: int, timeout: float = CONNECT_TIMEOUT_S) -> bool:
    """True if a TCP connection to host:port succeeds within `timeout`; nothing is sent."""
    try:
        async with asyncio.timeout(timeout):
            _reader, writer = await asyncio.open_connection(host, port)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


async def find_open_ports(
    hosts: Sequence[str],
    ports: Sequence[int],
    *,
    concurrency: int = SCAN_CONCURRENCY,
    timeout: float = CONNECT_TIMEOUT_S,
    progress: ScanProgress | None = None,
) -> list[tuple[str, int]]:
    """Every (host, port) that accepts a TCP connection, in the order given; `progress(done, total)`."""
    targets = [(host, port) for host in hosts for port in ports]
    slots = asyncio.Semaphore(concurrency)
    done = 0

    async def check(host: str, port: int) -> bool:
        nonlocal done
        async with slots:
            is_open = await port_open(host, port, timeout)
        done += 1
        if progress is not None:
            progress(done, len(targets))
        return is_open

    results = await asyncio.gather(*(check(host, port) for host, port in targets))
    return [target for target, is_open in zip(targets, results, strict=True) if is_open]
