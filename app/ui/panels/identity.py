"""The panel for a vendor whose commissioning panel is not available yet: who the device is, plainly."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from app.ui.device_list import display_name
from app.ui.panel_context import PanelContext
from app.ui.plain_text import escaped, rich
from app.vendors.base import DeviceClient, capabilities_of
from app.vendors.registry import short_name


class IdentityPanel(QWidget):
    """Shows the logged-in device's identity and says that its commissioning panel is coming."""

    def __init__(self, context: PanelContext[DeviceClient], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._build_ui()

    def _build_ui(self) -> None:
        identity = self.context.identity
        vendor = short_name(identity.vendor)
        layout = QVBoxLayout(self)
        title = rich(QLabel(f"<h2>{escaped(display_name(identity.vendor, identity.model))}</h2>"))
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(title)
        self.notice = QLabel(
            f"Logged in. The commissioning panel for {vendor} devices is coming in a later version; "
            "for now this page shows who the device is."
        )
        self.notice.setObjectName("panelComingNotice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        form = QFormLayout()
        rows = (
            ("Vendor", vendor), ("Model", identity.model), ("Name", identity.name),
            ("Serial number", identity.serial), ("MAC address", identity.mac),
            ("Firmware", identity.firmware), ("Address", self.context.endpoint.base_url),
            ("Capabilities", ", ".join(sorted(c.value for c in capabilities_of(self.context.client)))),
        )
        for label, value in rows:
            if value:
                field = QLabel(value)
                field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                form.addRow(f"{label}:", field)
        layout.addLayout(form)
        layout.addStretch(1)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  (Qt API)
        """Cancel anything started for this panel."""
        self.context.tasks.cancel_owned(self)
        super().closeEvent(event)
