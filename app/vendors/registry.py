"""The one list of vendors the app knows (explicit, so PyInstaller sees every import).

Adding a vendor: its plugin on one line of `PLUGINS` here and its panel on one line of the UI's panel
registry. `register()` is the one seam through which anything else (a test's vendor) joins the list.
"""

from __future__ import annotations

from collections.abc import Callable

from app.core.models import VendorId
from app.vendors.audiocodes.plugin import PLUGIN as AUDIOCODES
from app.vendors.axis.plugin import PLUGIN as AXIS
from app.vendors.base import AnyPlugin, CloudServicePlugin, VendorKind
from app.vendors.hikvision.plugin import PLUGIN as HIKVISION
from app.vendors.inxpect.plugin import PLUGIN as INXPECT
from app.vendors.two_n.plugin import PLUGIN as TWO_N

PLUGINS: tuple[AnyPlugin, ...] = (INXPECT, TWO_N, AXIS, AUDIOCODES, HIKVISION)

_registered: list[AnyPlugin] = list(PLUGINS)


def plugins() -> tuple[AnyPlugin, ...]:
    """Every registered plugin, in registration order."""
    return tuple(_registered)


def find_plugin(vendor: str) -> AnyPlugin | None:
    """The plugin registered for a vendor id, or None for an id no plugin has."""
    return next((plugin for plugin in _registered if plugin.vendor_id == vendor), None)


def plugin_for(vendor: VendorId) -> AnyPlugin:
    """The plugin registered for a vendor id; KeyError for an unknown id."""
    plugin = find_plugin(vendor)
    if plugin is None:
        raise KeyError(vendor)
    return plugin


def vendor_ids() -> tuple[VendorId, ...]:
    """The id of every registered vendor."""
    return tuple(plugin.vendor_id for plugin in _registered)


def demo_vendors() -> tuple[VendorId, ...]:
    """The vendors `--demo` simulates, one device (or service) each."""
    return tuple(plugin.vendor_id for plugin in _registered if plugin.in_demo)


def short_name(vendor: str) -> str:
    """The vendor's name for the device list ("2N"); the id itself for an unknown vendor."""
    plugin = find_plugin(vendor)
    return plugin.short_name if plugin is not None else vendor


def is_cloud_service(vendor: str) -> bool:
    """True when the vendor is a cloud service rather than devices on the site's network."""
    plugin = find_plugin(vendor)
    return plugin is not None and plugin.kind is VendorKind.CLOUD_SERVICE


def cloud_service() -> CloudServicePlugin:
    """The registered cloud service the "Cloud accounts…" dialog opens; LookupError when there is none."""
    for plugin in _registered:
        if plugin.kind is VendorKind.CLOUD_SERVICE and isinstance(plugin, CloudServicePlugin):
            return plugin
    raise LookupError("no cloud service is registered")


def register(plugin: AnyPlugin) -> Callable[[], None]:
    """Add a vendor after the built-in ones; returns the call that removes it again."""
    if find_plugin(plugin.vendor_id) is not None:
        raise ValueError(f"vendor {plugin.vendor_id!r} is already registered")
    _registered.append(plugin)

    def unregister() -> None:
        _registered.remove(plugin)

    return unregister
