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
from app.ui.dialogs.password_recovery import PasswordRecoveryDialog
from app.vendors.base import PasswordRecovery


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
        recover: PasswordRecovery | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._kept = kept
        self.cleartext = cleartext
        self._device_label = device_label
        self._recover = recover
        self.recovery: PasswordRecoveryDialog | None = None
        self._build_ui(device_label, username, reason)
        self._connect_signals()

    def _build_ui(self, device_label: str, username: str, reason: str) -> None:
        self.setWindowTitle(f"Log in to {device_label}")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        self.intro = QLabel(reason or f"Enter the credentials of {device_label}.")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
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
        self.forgot = self.buttons.addButton("Forgot the password…", QDialogButtonBox.ButtonRole.ActionRole)
        self.forgot.setVisible(self._recover is not None)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.forgot.clicked.connect(self.start_recovery)
        self.username.textChanged.connect(self._update_ok)
        self.password.textChanged.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self) -> None:
        # Some devices (the Inxpect radar) have a password and no user name, so either field will do.
        filled = bool(self.username.text().strip() or self.password.text())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(filled)

    def start_recovery(self) -> PasswordRecoveryDialog | None:
        """Open the guided recovery; once it succeeds, ask for the factory password here."""
        if self._recover is None:
            return None
        self.recovery = PasswordRecoveryDialog(self._device_label, self._recover, self)
        self.recovery.finished.connect(self._recovery_finished)
        self.recovery.start()
        return self.recovery

    def _recovery_finished(self, _result: int) -> None:
        if self.recovery is not None and self.recovery.succeeded:
            self.intro.setText(
                f"{self._device_label} is back to its factory password. Enter the factory password (see the "
                "device's manual); the app then asks for a new one."
            )
            self.password.clear()
            self.password.setFocus()

    def answer(self) -> CredentialAnswer:
        """The entered credentials and the technician's storage choices."""
        credentials = Credentials(self.username.text().strip(), self.password.text())
        return CredentialAnswer(credentials, self.remember.isChecked(), self.add_to_site.isChecked())
