"""The Lumen panel: who the controller is, and a button that sets its clock from this computer."""

from __future__ import annotations

import time

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.panel_context import PanelContext
from app.ui.panel_work import PanelWork
from tests.sixth_vendor.client import LumenClient


class LumenPanel(QWidget):
    """Built by the panel registry with a PanelContext narrowed to LumenClient."""

    def __init__(self, context: PanelContext[LumenClient], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.client = context.client
        self.work = PanelWork(context, self)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Lumen {context.identity.model} — {context.identity.serial}"))
        self.set_time_button = QPushButton("Set the controller's clock")
        self.set_time_button.clicked.connect(self.set_time)
        layout.addWidget(self.set_time_button)

    def set_time(self) -> None:
        """Set the controller's clock to this computer's (recorded in the device's history)."""
        self.work.op("Setting the clock", lambda _reporter: self.client.set_time(int(time.time()))).run()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Cancel the panel's work."""
        self.work.close()
        super().closeEvent(event)
