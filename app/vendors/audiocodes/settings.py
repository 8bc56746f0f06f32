"""The Mediant INI file (GET /files/ini) as named settings: each `Name = Value` parameter line outside a
table is one setting. Writing some of them sends an incremental INI (PUT /files/ini/incremental: applied
without a reset) and saves the configuration, so it survives the next restart."""

from __future__ import annotations

import re
from collections.abc import Mapping

from app.core.errors import InvalidParameterError
from app.vendors.base import DeviceSettings

#: A scalar parameter line; table rows ("InterfaceTable 0 = ...") have a space in their name.
_PARAMETER = re.compile(r"^\s*([A-Za-z][\w.\-]*)\s*=\s*(.*?)\s*$")
#: Parameters that identify the device or place it on the network: copied only when asked.
_IDENTITY = re.compile(r"IPAddress|SubnetMask|DefaultGateway|VLAN|Vlan|DHCP|DNS|HostName|SNMPSys|"
                       r"TLSContexts|Interface|EthernetGroup|PhysicalPort|SerialNumber|MacAddress")
#: A value the incremental file could not carry unchanged (a line break would start another parameter).
_UNSAFE_VALUE = re.compile(r"[\r\n]")


def parse_settings(ini: bytes) -> DeviceSettings:
    """The scalar parameters of an INI file (tables and comments left out), identity ones marked."""
    values: dict[str, str] = {}
    for line in ini.decode("latin-1").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith((";", "[", "FORMAT")):
            continue
        match = _PARAMETER.match(line)
        if match:
            values[match.group(1)] = match.group(2)
    return DeviceSettings(values, frozenset(name for name in values if is_identity(name)))


def is_identity(name: str) -> bool:
    """True for a parameter that names the device, its certificates or its place on the network."""
    return bool(_IDENTITY.search(name))


def incremental_ini(changes: Mapping[str, str]) -> bytes:
    """An incremental INI setting exactly these parameters; InvalidParameterError for an unsafe one."""
    lines = ["[SYSTEM Params]"]
    for name, value in changes.items():
        if not _PARAMETER.match(f"{name} = x") or _UNSAFE_VALUE.search(value):
            raise InvalidParameterError(f"The parameter {name!r} cannot be written as an INI line.")
        lines.append(f"{name} = {value}")
    return ("\r\n".join([*lines, ""])).encode("latin-1", errors="strict")
