"""The explicit list of vendor panels (explicit so PyInstaller sees every import), one line per vendor.

Imported only when the first device is opened, so vendor panels (and pyqtgraph) never slow start-up.
`register_panel()` is the one seam through which anything else (a test's vendor) adds a panel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol

from PySide6.QtWidgets import QWidget

from app.core.models import VendorId
from app.ui.panel_context import ClientT, PanelContext
from app.ui.panels.audiocodes.panel import AudioCodesPanel
from app.ui.panels.axis.panel import AxisPanel
from app.ui.panels.hikvision.panel import HikvisionPanel
from app.ui.panels.identity import IdentityPanel
from app.ui.panels.inxpect.panel import InxpectPanel
from app.ui.panels.two_n.panel import TwoNPanel
from app.vendors.audiocodes.plugin import PLUGIN as AUDIOCODES
from app.vendors.axis.plugin import PLUGIN as AXIS
from app.vendors.base import DeviceClient, VendorPlugin
from app.vendors.hikvision.plugin import PLUGIN as HIKVISION
from app.vendors.inxpect.plugin import PLUGIN as INXPECT
from app.vendors.two_n.plugin import PLUGIN as TWO_N

PanelFactory = Callable[[PanelContext[DeviceClient]], QWidget]
"""Builds a panel for a logged-in device of any vendor."""


class PanelBuilder(Protocol):
    """One vendor's panel, as the workspace asks for it."""

    @property
    def vendor_id(self) -> VendorId:
        """The vendor whose devices this panel commissions."""
        ...

    def build(self, context: PanelContext[DeviceClient]) -> QWidget:
        """The panel for the device in `context`."""
        ...


@dataclass(frozen=True, slots=True)
class VendorPanel(Generic[ClientT]):
    """A vendor's plugin with the panel factory that takes that plugin's client type."""

    plugin: VendorPlugin[ClientT]
    factory: Callable[[PanelContext[ClientT]], QWidget]

    @property
    def vendor_id(self) -> VendorId:
        """The plugin's vendor id."""
        return self.plugin.vendor_id

    def build(self, context: PanelContext[DeviceClient]) -> QWidget:
        """The panel, on the context narrowed to the plugin's client type (TypeError for any other)."""
        client = context.client
        if not isinstance(client, self.plugin.client_type):
            raise TypeError(f"a {self.vendor_id} panel cannot drive a {type(client).__name__}")
        return self.factory(context.with_client(client))


PANELS: tuple[PanelBuilder, ...] = (
    VendorPanel(INXPECT, InxpectPanel),
    VendorPanel(TWO_N, TwoNPanel),
    VendorPanel(AXIS, AxisPanel),
    VendorPanel(AUDIOCODES, AudioCodesPanel),
    VendorPanel(HIKVISION, HikvisionPanel),
)

_registered: list[PanelBuilder] = list(PANELS)


def panel_factory(vendor: VendorId) -> PanelFactory:
    """The vendor's panel, or IdentityPanel while that vendor's panel is not registered."""
    builder = next((entry for entry in _registered if entry.vendor_id == vendor), None)
    return builder.build if builder is not None else IdentityPanel


def register_panel(builder: PanelBuilder) -> Callable[[], None]:
    """Add a vendor's panel after the built-in ones; returns the call that removes it again."""
    _registered.append(builder)

    def unregister() -> None:
        _registered.remove(builder)

    return unregister
