"""The laptop's IPv4 addresses offered for browsing."""

from __future__ import annotations

from app.discovery.interfaces import InterfaceAddress, default_browse_addresses, ipv4_interfaces


def test_loopback_is_listed_only_on_request_and_never_browsed_by_default() -> None:
    with_loopback = ipv4_interfaces(include_loopback=True)
    assert any(entry.address == "127.0.0.1" and entry.prefix == 8 for entry in with_loopback)
    assert all(not entry.is_loopback for entry in ipv4_interfaces())
    assert "127.0.0.1" not in default_browse_addresses()
    assert all(":" not in entry.address for entry in with_loopback)


def test_an_interface_reads_as_adapter_address_and_prefix() -> None:
    entry = InterfaceAddress("eth0", "192.168.1.20", 24)
    assert entry.label == "eth0 — 192.168.1.20/24"
    assert not entry.is_loopback
