"""The explicit tuple of vendor plugins (explicit so PyInstaller sees every import)."""

from __future__ import annotations

from app.core.models import VendorId
from app.vendors.audiocodes.plugin import PLUGIN as AUDIOCODES
from app.vendors.axis.plugin import PLUGIN as AXIS
from app.vendors.base import VendorPlugin
from app.vendors.hikvision.plugin import PLUGIN as HIKVISION
from app.vendors.inxpect.plugin import PLUGIN as INXPECT
from app.vendors.two_n.plugin import PLUGIN as TWO_N

PLUGINS: tuple[VendorPlugin, ...] = (INXPECT, TWO_N, AXIS, AUDIOCODES, HIKVISION)
LAN_VENDORS: tuple[VendorId, ...] = ("inxpect", "two_n", "axis", "audiocodes")


def plugin_for(vendor: VendorId) -> VendorPlugin:
    """The plugin registered for a vendor id."""
    for plugin in PLUGINS:
        if plugin.vendor_id == vendor:
            return plugin
    raise KeyError(vendor)


def all_service_types() -> tuple[str, ...]:
    """Union of every plugin's DNS-SD service types, in a stable order."""
    seen: dict[str, None] = {}
    for plugin in PLUGINS:
        for service_type in plugin.service_types:
            seen[service_type] = None
    return tuple(seen)
