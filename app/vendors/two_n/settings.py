"""The 2N configuration file (GET/PUT /api/config, §5.3.1) as named settings: each leaf element of the
DeviceDatabase XML is one setting, named by its path ("Phone/SipNumber"). Writing some of them puts the
device's own file back with those leaves changed, then waits until the device reads them back."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping

from app.core.clock import Clock
from app.core.errors import DeviceProtocolError, TransferError
from app.vendors.base import DeviceSettings
from app.vendors.two_n.client import TwoNClient

#: Sections that place the intercom on the network: copied only when the technician asks.
NETWORK_SECTIONS = ("Network/",)
#: Leaves that name this intercom or its SIP identity.
IDENTITY_LEAVES = frozenset({"DeviceName", "HostName", "SipNumber", "UserName", "AuthId", "PhoneNumber",
                             "SerialNumber", "MacAddress"})
#: The intercom applies an uploaded configuration about 15 s later (§5.3.1); this allows a slow one.
APPLY_TIMEOUT = 60.0
APPLY_POLL = 3.0


def parse_settings(xml: bytes) -> DeviceSettings:
    """The leaves of a configuration file as "Section/Key" settings; DeviceProtocolError if it is none."""
    root = _root(xml)
    values: dict[str, str] = {}

    def walk(node: ET.Element, prefix: str) -> None:
        for child in node:
            name = f"{prefix}{child.tag}"
            if len(child):
                walk(child, name + "/")
            else:
                values[name] = (child.text or "").strip()

    walk(root, "")
    identity = frozenset(name for name in values if is_identity(name))
    return DeviceSettings(values, identity)


def is_identity(name: str) -> bool:
    """True for a setting that identifies the intercom or its place on the network."""
    return name.startswith(NETWORK_SECTIONS) or name.rsplit("/", 1)[-1] in IDENTITY_LEAVES


def with_changes(xml: bytes, changes: Mapping[str, str]) -> bytes:
    """The configuration file with these leaves set (created where the file lacks them), all else kept."""
    root = _root(xml)
    for name, value in changes.items():
        node = root
        for part in name.split("/"):
            child = node.find(part)
            node = child if child is not None else ET.SubElement(node, part)
        node.text = value
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root) + b"\n"


async def write_settings(client: TwoNClient, changes: Mapping[str, str], clock: Clock) -> None:
    """Upload the device's own configuration with `changes` made, then wait until it reads them back."""
    current = await client.download_config()
    await client.upload_config(with_changes(current, changes))
    started = clock.monotonic()
    while clock.monotonic() - started < APPLY_TIMEOUT:
        await clock.sleep(APPLY_POLL)
        values = parse_settings(await client.download_config()).values
        if all(values.get(name) == value for name, value in changes.items()):
            return
    raise TransferError(f"The intercom took the configuration but did not apply it within "
                        f"{APPLY_TIMEOUT:.0f} s.", state="configuration uploaded, not applied yet")


def _root(xml: bytes) -> ET.Element:
    try:
        # The intercom's own configuration, parsed for its leaves (no entities are resolved by ElementTree).
        root = ET.fromstring(xml)  # noqa: S314
    except ET.ParseError as err:
        raise DeviceProtocolError(f"The intercom's configuration is not readable XML: {err}") from err
    if root.tag != "DeviceDatabase":
        raise DeviceProtocolError("The intercom's configuration is not a DeviceDatabase file.")
    return root
