"""Asks whether one device may be logged in to over plain, unencrypted HTTP; "Cancel" is the default."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.models import Endpoint


class CleartextDialog(QDialog):
    """Accepted means "log in to this one device over unencrypted HTTP"; the decision is recorded."""

    def __init__(self, device_label: str, endpoint: Endpoint, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build_ui(device_label, endpoint)

    def _build_ui(self, device_label: str, endpoint: Endpoint) -> None:
        self.setWindowTitle("Unencrypted connection")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.headline = QLabel(
            f"The connection to {device_label} is NOT encrypted: it answers only over plain HTTP at "
            f"{endpoint.base_url}.\n\nA password typed for it can be read by anyone on this network, and "
            "another machine can pose as the device. Stored and site passwords are never sent to it; you "
            "will type the password yourself. Your decision is kept in the device's history."
        )
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setWordWrap(True)
        self.headline.setObjectName("cleartextWarning")
        layout.addWidget(self.headline)
        buttons = QDialogButtonBox()
        self.allow_button = QPushButton("Connect unencrypted")
        self.cancel_button = QPushButton("Cancel")
        buttons.addButton(self.allow_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.cancel_button.setDefault(True)  # Enter never sends a password in clear
        self.allow_button.setAutoDefault(False)
