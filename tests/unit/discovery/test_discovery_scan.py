"""Range parsing, port lists and the TCP connect check of the scanner."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

from app.discovery.scan import ScanRangeError, find_open_ports, parse_ports, parse_range


def _strings(text: str) -> list[str]:
    return [str(address) for address in parse_range(text)]


def test_single_address_short_range_full_range_and_cidr() -> None:
    assert _strings("10.0.0.5") == ["10.0.0.5"]
    assert _strings("10.0.0.5-8") == ["10.0.0.5", "10.0.0.6", "10.0.0.7", "10.0.0.8"]
    assert _strings(" 10.0.0.254-10.0.1.1 ") == ["10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1"]
    assert _strings("192.168.1.0/30") == ["192.168.1.1", "192.168.1.2"]  # network and broadcast left out
    assert _strings("127.0.0.1/32") == ["127.0.0.1"]


def test_a_slash_22_is_accepted_and_anything_larger_is_refused_with_advice() -> None:
    assert len(parse_range("10.1.0.0/22")) == 1022
    assert parse_range("10.1.0.0-10.1.3.255")[-1] == ipaddress.IPv4Address("10.1.3.255")
    with pytest.raises(ScanRangeError, match=r"has 2048 addresses; scan at most 1024 at a time \(a /22\)"):
        parse_range("10.1.0.0/21")
    with pytest.raises(ScanRangeError, match="has 1025 addresses"):
        parse_range("10.1.0.0-10.1.4.0")


@pytest.mark.parametrize("text", ["", "10.0.0", "10.0.0.5-300", "10.0.0.5-x", "fe80::/64", "host.local"])
def test_malformed_ranges_say_what_is_accepted(text: str) -> None:
    with pytest.raises(ScanRangeError, match=r"Use 10\.0\.0\.5, 10\.0\.0\.5-20"):
        parse_range(text)


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ScanRangeError, match="ends before it starts"):
        parse_range("10.0.0.20-5")


def test_ports_accept_numbers_and_comma_lists_without_repeats() -> None:
    assert parse_ports([443, "8443", "80, 443", ""]) == (443, 8443, 80)
    for bad in ("0", "65536", "https", "-1"):
        with pytest.raises(ScanRangeError, match="is not a TCP port"):
            parse_ports([bad])


async def test_open_ports_are_found_by_connecting_and_closed_ones_are_not() -> None:
    connected = asyncio.Event()

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connected.set()
        writer.close()

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    open_port = server.sockets[0].getsockname()[1]
    closed = await asyncio.start_server(accept, "127.0.0.1", 0)
    closed_port = closed.sockets[0].getsockname()[1]
    closed.close()
    await closed.wait_closed()
    progress: list[tuple[int, int]] = []
    async with server:
        found = await find_open_ports(["127.0.0.1"], [closed_port, open_port],
                                      progress=lambda done, total: progress.append((done, total)))
        await asyncio.wait_for(connected.wait(), 5)
    assert found == [("127.0.0.1", open_port)]
    assert sorted(progress) == [(1, 2), (2, 2)]
