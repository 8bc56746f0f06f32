"""Plain data shared by discovery, vendors and the UI."""

from __future__ import annotations

import enum
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, NewType

#: A vendor's id as its plugin names it ("axis"); the vendor registry lists the known ones.
VendorId = NewType("VendorId", str)
Scheme = Literal["https", "http"]


class DeviceState(enum.Enum):
    """What the device list shows in its state column."""

    DISCOVERED = "discovered"
    ONLINE = "online"
    OFFLINE = "offline"
    NEEDS_LOGIN = "needs login"
    CERTIFICATE_UNTRUSTED = "certificate untrusted"
    CERTIFICATE_CHANGED = "certificate changed"
    UNREACHABLE = "unreachable"
    #: An announcement claims a device trusted over HTTPS but offers plain HTTP: kept apart, never opened.
    CONFLICT = "conflict"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where a device listens."""

    host: str
    port: int
    scheme: Scheme = "https"

    @property
    def base_url(self) -> str:
        """scheme://host:port with IPv6 literals bracketed."""
        host = self.host
        try:
            if ipaddress.ip_address(host).version == 6:
                host = f"[{host}]"
        except ValueError:
            pass
        return f"{self.scheme}://{host}:{self.port}"

    def __str__(self) -> str:
        return self.base_url


@dataclass(frozen=True, slots=True)
class DiscoveryRecord:
    """One resolved DNS-SD service as zeroconf saw it."""

    service_type: str
    instance_name: str
    host_name: str
    addresses: tuple[str, ...]
    port: int
    txt: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    """Who a device is. `key` (serial, else MAC) survives address changes."""

    vendor: VendorId
    model: str
    serial: str = ""
    firmware: str = ""
    mac: str = ""
    name: str = ""

    @property
    def key(self) -> str:
        """Stable identity: vendor and serial, else vendor and MAC."""
        ident = self.serial or self.mac.replace(":", "").upper()
        return f"{self.vendor}:{ident}" if ident else ""


@dataclass(frozen=True, slots=True)
class DeviceCandidate:
    """A device seen on the network, before or after identification."""

    endpoint: Endpoint
    identity: DeviceIdentity
    identified: bool = False
    record: DiscoveryRecord | None = None
    addresses: tuple[str, ...] = ()
    certificate_fingerprint: str = ""

    @property
    def address_key(self) -> str:
        """`vendor@host:port`: the key of a device whose serial is unknown until login (pins, aliases)."""
        return f"{self.identity.vendor}@{self.endpoint.host}:{self.endpoint.port}"


@dataclass(frozen=True, slots=True)
class Credentials:
    """A username and password; repr never shows the password."""

    username: str
    password: str = field(repr=False)
