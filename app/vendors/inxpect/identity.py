"""Who an MSK-101-POE is: its vendor id, model, mDNS host name and the DeviceIdentity built from them."""

from __future__ import annotations

import re
from typing import Final

from app.core.models import DeviceIdentity, VendorId

VENDOR_ID: Final = VendorId("inxpect")
MODEL_NAME: Final = "MSK-101-POE"
#: The MSK-101-POE answers to the mDNS host name `msk101poe-<id>.local` (document §2). It publishes no
#: vendor service type; its configuration web server is HTTPS, so discovery browses the generic
#: `_https._tcp` type and the plugin claims only records whose host name has that form.
SERVICE_TYPE: Final = "_https._tcp.local."
HOST_NAME_PATTERN: Final = re.compile(r"^msk101poe-(?P<id>[0-9a-z]+)\.local\.?$", re.IGNORECASE)


def device_id_from_host(host_name: str) -> str:
    """The `<id>` of a `msk101poe-<id>.local` host name, or "" for any other name."""
    found = HOST_NAME_PATTERN.match(host_name.strip())
    return found.group("id") if found else ""


def host_name_for(device_id: str) -> str:
    """The fully qualified mDNS host name an MSK-101-POE with this device id answers to."""
    return f"msk101poe-{device_id}.local."


def identity_for(device_id: str, firmware: str = "") -> DeviceIdentity:
    """The DeviceIdentity of an MSK-101-POE whose device id (the serial) is known."""
    return DeviceIdentity(
        vendor=VENDOR_ID,
        model=MODEL_NAME,
        serial=device_id,
        firmware=firmware,
        name=f"msk101poe-{device_id}" if device_id else "",
    )
