"""The laptop's IPv4 interface addresses, for choosing where to browse (settings, CLI default)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import ifaddr

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class InterfaceAddress:
    """One IPv4 address of a network adapter, e.g. eth0 192.168.1.20/24."""

    adapter: str
    address: str
    prefix: int

    @property
    def is_loopback(self) -> bool:
        """True for 127.0.0.0/8."""
        return ipaddress.IPv4Address(self.address).is_loopback

    @property
    def label(self) -> str:
        """Text for a settings list: `eth0 — 192.168.1.20/24`."""
        return f"{self.adapter} — {self.address}/{self.prefix}"


def ipv4_interfaces(*, include_loopback: bool = False) -> list[InterfaceAddress]:
    """Every IPv4 address of every adapter (link-local 169.254/16 included: devices fall back to it)."""
    found: list[InterfaceAddress] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if not ip.is_IPv4 or not isinstance(ip.ip, str):
                continue
            entry = InterfaceAddress(adapter.nice_name or adapter.name, ip.ip, ip.network_prefix)
            if include_loopback or not entry.is_loopback:
                found.append(entry)
    return found


def default_browse_addresses() -> list[str]:
    """The addresses to browse on when the user chose none: every non-loopback IPv4 address."""
    return [entry.address for entry in ipv4_interfaces()]
