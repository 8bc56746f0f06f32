"""Manual add: a technician types a host name or IP[:port]; find which supported device answers there."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.core.errors import AppError, DeviceUnreachableError
from app.core.models import Endpoint
from app.discovery.identify import DeviceNotRecognisedError, Identification, Identifier
from app.discovery.scan import CONNECT_TIMEOUT_S, find_open_ports
from app.vendors.base import AnyPlugin

#: Manual add waits a little longer than a scan: the technician asked for this one address.
MANUAL_CONNECT_TIMEOUT_S = max(CONNECT_TIMEOUT_S, 2.0)


class InvalidAddressError(AppError):
    """What the technician typed is not a host name, IPv4 address or bracketed IPv6 address."""


@dataclass(frozen=True, slots=True)
class Target:
    """A parsed manual address: host (IPv6 without brackets) and the port, if one was given."""

    host: str
    port: int | None = None


def parse_target(text: str) -> Target:
    """Parse `10.0.0.5`, `10.0.0.5:8443`, `[fe80::1]:443`, `fe80::1`, `cam.local:80` or an https:// URL."""
    spec = text.strip()
    if not spec:
        raise InvalidAddressError("Type a host name or an IP address, optionally with :port.")
    if "://" not in spec:
        if _is_ip(spec):
            return Target(spec)
        spec = f"//{spec}"
    try:
        parts = urlsplit(spec)
        host, port = parts.hostname, parts.port
    except ValueError as err:
        raise InvalidAddressError(f"{text.strip()!r} has an invalid port (use 1-65535).") from err
    if not host or not _valid_host(host):
        raise InvalidAddressError(
            f"{text.strip()!r} is not an address. Examples: 10.0.0.5, 10.0.0.5:8443, [fe80::1]:443, cam.local"
        )
    if port is None and parts.scheme in ("http", "https"):
        port = 443 if parts.scheme == "https" else 80
    if port == 0:
        raise InvalidAddressError(f"{text.strip()!r} has an invalid port (use 1-65535).")
    return Target(host, port)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.split("%", maxsplit=1)[0])
    except ValueError:
        return False
    return True


def _valid_host(host: str) -> bool:
    if _is_ip(host):
        return True
    labels = host.rstrip(".").split(".")
    return all(label and len(label) <= 63 and label.replace("-", "").isalnum() for label in labels)


def ports_to_try(
    plugins: Sequence[AnyPlugin], target: Target, extra_ports: Sequence[int] = ()
) -> list[int]:
    """The given port, else the user's extra ports and every plugin's default ports, without repeats."""
    if target.port is not None:
        return [target.port]
    ordered = dict.fromkeys([*extra_ports, *(port for plugin in plugins for port in plugin.default_ports)])
    return list(ordered)


def plugins_for_port(plugins: Sequence[AnyPlugin], port: int) -> list[AnyPlugin]:
    """Every plugin, those that list `port` among their defaults first."""
    return sorted(plugins, key=lambda plugin: port not in plugin.default_ports)


async def add_manual(
    identifier: Identifier,
    text: str,
    *,
    extra_ports: Sequence[int] = (),
    connect_timeout: float = MANUAL_CONNECT_TIMEOUT_S,
) -> Identification:
    """Identify the device at a typed address; raise a typed error a technician can act on.

    Raises InvalidAddressError, DeviceUnreachableError (no candidate port open) or
    DeviceNotRecognisedError (ports open, but no plugin recognised the device).
    """
    target = parse_target(text)
    ports = ports_to_try(identifier.plugins, target, extra_ports)
    open_ports = await find_open_ports([target.host], ports, timeout=connect_timeout)
    if not open_ports:
        tried = ", ".join(str(port) for port in ports)
        raise DeviceUnreachableError(f"Nothing answers at {target.host} on port {tried}.")
    reasons: list[str] = []
    for host, port in open_ports:
        try:
            return await identifier.identify_endpoint(
                Endpoint(host, port), plugins_for_port(identifier.plugins, port)
            )
        except DeviceNotRecognisedError as err:
            reasons.append(err.detail)
    raise DeviceNotRecognisedError(
        f"{target.host} answers, but not as any supported device.", detail="; ".join(reasons)
    )
