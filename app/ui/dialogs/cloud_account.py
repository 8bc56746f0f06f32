"""The Hik-Partner Pro cloud account: region preset or service address, API key and secret."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
from app.vendors.hikvision.regions import TOKEN_HOSTS, TokenHost, preset_for, service_note

OTHER_ADDRESS = "Choose a region, or type the address below"


@dataclass(frozen=True, slots=True)
class CloudAccount:
    """Where the cloud service answers and the API key/secret that open it."""

    url: str
    credentials: Credentials
    remember: bool


class CloudAccountDialog(QDialog):
    """Asks for the region (the document's token hosts, plus `extra_presets` such as the demo's simulated
    cloud) or another service address, the API key and secret (the secret goes to the keyring)."""

    def __init__(
        self,
        url: str = "",
        api_key: str = "",
        secret: str = "",
        parent: QWidget | None = None,
        *,
        extra_presets: Sequence[TokenHost] = (),
    ) -> None:
        super().__init__(parent)
        self.presets = (*extra_presets, *TOKEN_HOSTS)
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
        self.region = QComboBox()
        self.region.addItem(OTHER_ADDRESS, "")
        for preset in self.presets:
            self.region.addItem(preset.label, preset.url)
        form.addRow("&Region:", self.region)
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
        self.service = QLabel()
        self.service.setObjectName("serviceNote")
        self.service.setTextFormat(Qt.TextFormat.PlainText)
        self.service.setWordWrap(True)
        form.addRow("", self.service)
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
        self.region.activated.connect(self._region_chosen)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for field in (self.url, self.api_key, self.secret):
            field.textChanged.connect(self._update_ok)
        self._update_ok()

    def _region_chosen(self, index: int) -> None:
        """A preset fills in its service address; the first item leaves the address to be typed."""
        preset_url = str(self.region.itemData(index) or "")
        if preset_url:
            self.url.setText(preset_url)
        else:
            self.url.setFocus()

    def _follow_address(self) -> None:
        """Show the preset of the typed address, or the first item when it is no preset's."""
        preset = preset_for(self.url.text(), self.presets)
        self.region.blockSignals(True)
        self.region.setCurrentIndex(self.region.findData(preset.url) if preset else 0)
        self.region.blockSignals(False)

    def _update_ok(self) -> None:
        url = self.url.text().strip()
        self._follow_address()
        self.service.setText(service_note(url) if url else "")
        problem = cloud_address_problem(url) if url else ""
        self.url_problem.setText(problem)
        self.url_problem.setVisible(bool(problem))
        ready = bool(url) and not problem and bool(self.api_key.text().strip()) and bool(self.secret.text())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def account(self) -> CloudAccount:
        """The entered account."""
        credentials = Credentials(self.api_key.text().strip(), self.secret.text())
        return CloudAccount(self.url.text().strip(), credentials, self.remember.isChecked())
