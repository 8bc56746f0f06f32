"""The explicit map from vendor to its commissioning panel (explicit so PyInstaller sees every import).

Imported only when the first device is opened, so vendor panels (and pyqtgraph) never slow start-up.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.core.models import VendorId
from app.ui.panel_context import PanelContext
from app.ui.panels.audiocodes.panel import AudioCodesPanel
from app.ui.panels.axis.panel import AxisPanel
from app.ui.panels.hikvision.panel import HikvisionPanel
from app.ui.panels.identity import IdentityPanel
from app.ui.panels.inxpect.panel import InxpectPanel
from app.ui.panels.two_n.panel import TwoNPanel

PanelFactory = Callable[[PanelContext], QWidget]

PANELS: dict[VendorId, PanelFactory] = {
    "axis": AxisPanel,
    "audiocodes": AudioCodesPanel,
    "hikvision": HikvisionPanel,
    "inxpect": InxpectPanel,
    "two_n": TwoNPanel,
}


def panel_factory(vendor: VendorId) -> PanelFactory:
    """The vendor's panel, or IdentityPanel while that vendor's panel is not registered."""
    return PANELS.get(vendor, IdentityPanel)
