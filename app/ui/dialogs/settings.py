"""Settings: which interfaces to browse on, the site credential list and a CA bundle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.models import Credentials


@dataclass(frozen=True, slots=True)
class InterfaceChoice:
    """One network interface the technician may browse on."""

    name: str
    address: str


@dataclass(frozen=True, slots=True)
class SettingsResult:
    """What the technician chose; an empty interface list means "all real interfaces"."""

    interfaces: list[str]
    site_credentials: list[Credentials]
    ca_bundle: Path | None


class SettingsDialog(QDialog):
    """Edits interfaces, the site credential list (tried on new devices) and the CA bundle path."""

    def __init__(
        self,
        interfaces: Sequence[InterfaceChoice],
        selected: Sequence[str],
        site_credentials: Sequence[Credentials],
        ca_bundle: Path | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._credentials = list(site_credentials)
        self._build_ui(interfaces, set(selected), ca_bundle)
        self._connect_signals()

    def _build_ui(
        self, interfaces: Sequence[InterfaceChoice], selected: set[str], ca_bundle: Path | None
    ) -> None:
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addWidget(self._interfaces_box(interfaces, selected))
        layout.addWidget(self._credentials_box())
        layout.addWidget(self._ca_box(ca_bundle))
        buttons = QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        self.buttons = QDialogButtonBox(buttons)
        layout.addWidget(self.buttons)

    def _interfaces_box(self, interfaces: Sequence[InterfaceChoice], selected: set[str]) -> QGroupBox:
        box = QGroupBox("Browse for devices on")
        layout = QVBoxLayout(box)
        layout.addWidget(QLabel("Tick the interfaces facing the devices; none ticked means all of them."))
        self.interface_list = QListWidget()
        for choice in interfaces:
            item = QListWidgetItem(f"{choice.name} — {choice.address}")
            item.setData(Qt.ItemDataRole.UserRole, choice.address)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = choice.address in selected
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.interface_list.addItem(item)
        layout.addWidget(self.interface_list)
        return box

    def _credentials_box(self) -> QGroupBox:
        box = QGroupBox("Site credential list (tried, a few at most, on every new device)")
        layout = QVBoxLayout(box)
        self.credential_list = QListWidget()
        self.credential_list.setAccessibleName("Site credentials")
        self._refresh_credentials()
        entry = QHBoxLayout()
        self.new_username = QLineEdit()
        self.new_username.setPlaceholderText("username")
        self.new_password = QLineEdit()
        self.new_password.setPlaceholderText("password")
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_credential = QPushButton("Add")
        self.remove_credential = QPushButton("Remove selected")
        for widget in (self.new_username, self.new_password, self.add_credential):
            entry.addWidget(widget)
        layout.addWidget(self.credential_list)
        layout.addLayout(entry)
        layout.addWidget(self.remove_credential)
        return box

    def _ca_box(self, ca_bundle: Path | None) -> QGroupBox:
        box = QGroupBox("CA bundle (PEM) for devices with CA-signed certificates")
        layout = QHBoxLayout(box)
        self.ca_path = QLineEdit(str(ca_bundle) if ca_bundle else "")
        self.ca_path.setPlaceholderText("none: devices are trusted by pinned fingerprint")
        self.browse = QPushButton("Browse…")
        layout.addWidget(self.ca_path, 1)
        layout.addWidget(self.browse)
        return box

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.add_credential.clicked.connect(self._add_credential)
        self.new_password.returnPressed.connect(self._add_credential)
        self.remove_credential.clicked.connect(self._remove_credential)
        self.browse.clicked.connect(self._browse)

    def _refresh_credentials(self) -> None:
        self.credential_list.clear()
        for credentials in self._credentials:
            self.credential_list.addItem(f"{credentials.username}  (password ••••••)")

    def _add_credential(self) -> None:
        username = self.new_username.text().strip()
        if not username:
            return
        self._credentials.append(Credentials(username, self.new_password.text()))
        self.new_username.clear()
        self.new_password.clear()
        self._refresh_credentials()

    def _remove_credential(self) -> None:
        row = self.credential_list.currentRow()
        if 0 <= row < len(self._credentials):
            del self._credentials[row]
            self._refresh_credentials()

    def _browse(self) -> None:
        file_filter = "Certificates (*.pem *.crt);;All files (*)"
        picker = QFileDialog(self, "CA bundle", self.ca_path.text(), file_filter)
        picker.setFileMode(QFileDialog.FileMode.ExistingFile)
        picker.fileSelected.connect(self.ca_path.setText)
        picker.open()

    def result_values(self) -> SettingsResult:
        """The edited settings."""
        chosen = []
        for row in range(self.interface_list.count()):
            item = self.interface_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                chosen.append(str(item.data(Qt.ItemDataRole.UserRole)))
        path = self.ca_path.text().strip()
        return SettingsResult(chosen, list(self._credentials), Path(path) if path else None)
