"""Who a Lumen controller is, as its (test-only) HTTP API describes itself."""

from __future__ import annotations

from typing import Final

from app.core.models import DeviceIdentity, VendorId

VENDOR_ID: Final = VendorId("lumen")
MODEL: Final = "LD-1"
SERVICE_TYPE: Final = "_lumen._tcp.local."
HELLO_PATH: Final = "/api/hello"
DEVICE_PATH: Final = "/api/device"
TIME_PATH: Final = "/api/time"


def identity_from(body: object) -> DeviceIdentity | None:
    """The identity in a /api/hello or /api/device answer, or None when the body is not a Lumen's."""
    if not isinstance(body, dict) or body.get("vendor") != "lumen":
        return None
    return DeviceIdentity(
        vendor=VENDOR_ID, model=str(body.get("model", "")), serial=str(body.get("serial", "")),
        firmware=str(body.get("firmware", "")), mac=str(body.get("mac", "")),
    )
