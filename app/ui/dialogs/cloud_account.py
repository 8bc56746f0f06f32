"""The Hik-Partner Pro cloud account: service address, API key and secret."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
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
from app.site.naming import cloud_address_problem


@dataclass(frozen=True, slots=True)
class CloudAccount:
    """Where the cloud service answers and the API key/secret that open it."""

    url: str
    credentials: Credentials
    remember: bool


class CloudAccountDialog(QDialog):
    """Asks for the Hik-Partner Pro OpenAPI address, API key and secret (the secret goes to the keyring)."""

    def __init__(
        self, url: str = "", api_key: str = "", secret: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._build_ui(url, api_key, secret)
        self._connect_signals()

    def _build_ui(self, url: str, api_key: str, secret: str) -> None:
        self.setWindowTitle("Hik-Partner Pro cloud account")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        intro = QLabel("Devices registered to Hik-Partner Pro are commissioned through the cloud's OpenAPI.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.url = QLineEdit(url)
        self.url.setPlaceholderText("https://…")
        self.api_key = QLineEdit(api_key)
        self.secret = QLineEdit(secret)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("&Service address:", self.url)
        self.url_problem = QLabel()
        self.url_problem.setObjectName("urlProblem")
        self.url_problem.setTextFormat(Qt.TextFormat.PlainText)  # the address typed is shown literally
        self.url_problem.setWordWrap(True)
        self.url_problem.hide()
        form.addRow("", self.url_problem)
        form.addRow("API &key:", self.api_key)
        form.addRow("API s&ecret:", self.secret)
        layout.addLayout(form)
        self.remember = QCheckBox("Remember the secret in the system keyring")
        self.remember.setChecked(True)
        layout.addWidget(self.remember)
        buttons = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        self.buttons = QDialogButtonBox(buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Connect")
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for field in (self.url, self.api_key, self.secret):
            field.textChanged.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self) -> None:
        url = self.url.text().strip()
        problem = cloud_address_problem(url) if url else ""
        self.url_problem.setText(problem)
        self.url_problem.setVisible(bool(problem))
        ready = bool(url) and not problem and bool(self.api_key.text().strip()) and bool(self.secret.text())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def account(self) -> CloudAccount:
        """The entered account."""
        credentials = Credentials(self.api_key.text().strip(), self.secret.text())
        return CloudAccount(self.url.text().strip(), credentials, self.remember.isChecked())
