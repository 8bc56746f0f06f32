"""Asks for a device's username and password, optionally remembered in the keyring or the site list."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.models import Credentials
from app.site.prompts import CredentialAnswer


class CredentialDialog(QDialog):
    """Username and password for one device; "remember" (where: `kept`) is on by default."""

    def __init__(
        self,
        device_label: str,
        *,
        username: str = "",
        reason: str = "",
        kept: str = "in the system keyring",
        cleartext: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._kept = kept
        self.cleartext = cleartext
        self._build_ui(device_label, username, reason)
        self._connect_signals()

    def _build_ui(self, device_label: str, username: str, reason: str) -> None:
        self.setWindowTitle(f"Log in to {device_label}")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = QLabel(reason or f"Enter the credentials of {device_label}.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.cleartext_warning = QLabel(
            "Unencrypted connection (plain HTTP): what you type here can be read by others on this network."
        )
        self.cleartext_warning.setObjectName("cleartextWarning")
        self.cleartext_warning.setWordWrap(True)
        self.cleartext_warning.setVisible(self.cleartext)
        layout.addWidget(self.cleartext_warning)
        form = QFormLayout()
        self.username = QLineEdit(username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.username.setPlaceholderText("leave empty if the device has only a password")
        form.addRow("&Username:", self.username)
        form.addRow("&Password:", self.password)
        layout.addLayout(form)
        self.remember = QCheckBox(f"&Remember for this device ({self._kept})")
        self.remember.setChecked(True)
        self.add_to_site = QCheckBox("Also try on other devices of this &site (site credential list)")
        layout.addWidget(self.remember)
        layout.addWidget(self.add_to_site)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Log in")
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.username.textChanged.connect(self._update_ok)
        self.password.textChanged.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self) -> None:
        # Some devices (the Inxpect radar) have a password and no user name, so either field will do.
        filled = bool(self.username.text().strip() or self.password.text())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(filled)

    def answer(self) -> CredentialAnswer:
        """The entered credentials and the technician's storage choices."""
        credentials = Credentials(self.username.text().strip(), self.password.text())
        return CredentialAnswer(credentials, self.remember.isChecked(), self.add_to_site.isChecked())
