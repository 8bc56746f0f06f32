"""The license tab: serial, MAC and the licensed features; install a key string or a license file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.ui.panels.audiocodes.common import LevelGate, LevelNotice, mac_with_colons
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.license import (
    LicenseRefusedError,
    check_file_serials,
    check_key_serial,
    describe_features,
    install_file,
    install_key,
)
from app.vendors.audiocodes.models import LicenseInfo
from app.vendors.audiocodes.permissions import Action

#: Enough rows to read a few feature groups; on a small screen the tab scrolls instead of squashing.
FEATURES_MIN_HEIGHT = 180


class LicenseTab(QWidget):
    """Shows the installed license as a feature list and installs a new key or file (serial checked first)."""

    def __init__(
        self, work: PanelWork, client: AudioCodesClient, levels: LevelGate, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.levels = levels
        self.license: LicenseInfo | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.level_notice = LevelNotice(self.levels, Action.VIEW_LICENSE)
        layout.addWidget(self.level_notice)
        form = QFormLayout()
        self.serial_label, self.mac_label, self.version_label = QLabel("—"), QLabel("—"), QLabel("—")
        form.addRow("Serial number:", self.serial_label)
        form.addRow("MAC address:", self.mac_label)
        form.addRow("License version:", self.version_label)
        layout.addLayout(form)
        self.features = QTreeWidget()
        self.features.setHeaderLabels(["Licensed features"])
        self.features.setAccessibleName("Licensed features")
        self.features.setMinimumHeight(FEATURES_MIN_HEIGHT)
        layout.addWidget(self.features, 1)
        box = QGroupBox("Install a license")
        box_layout = QVBoxLayout(box)
        key_row = QHBoxLayout()
        self.key_edit = QLineEdit()
        self.key_edit.setPlaceholderText("License key string from AudioCodes")
        self.serial_edit = QLineEdit()
        self.serial_edit.setPlaceholderText("Serial number the key was issued for")
        self.install_key_button = QPushButton("Install key")
        key_row.addWidget(self.key_edit, 3)
        key_row.addWidget(self.serial_edit, 2)
        key_row.addWidget(self.install_key_button)
        box_layout.addLayout(key_row)
        file_row = QHBoxLayout()
        self.install_file_button = QPushButton("Install license file…")
        self.refresh_button = QPushButton("Refresh")
        file_row.addWidget(QLabel("A license file is the only way on an HA pair."))
        file_row.addStretch(1)
        file_row.addWidget(self.install_file_button)
        file_row.addWidget(self.refresh_button)
        box_layout.addLayout(file_row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("licenseMessage")
        box_layout.addWidget(self.message)
        layout.addWidget(box)
        self.levels.gate(self.refresh_button, Action.VIEW_LICENSE)
        self.levels.gate(self.install_key_button, Action.INSTALL_LICENSE)
        self.levels.gate(self.install_file_button, Action.INSTALL_LICENSE)

    def _connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self.refresh)
        self.install_key_button.clicked.connect(self._install_key)
        self.install_file_button.clicked.connect(self._choose_file)

    def refresh(self) -> None:
        """Read the license from the device (Administrator and above)."""
        if not self.levels.allows(Action.VIEW_LICENSE):
            return

        async def read(_: ProgressReporter) -> LicenseInfo:
            return await self.client.license()

        self.work.op("Read the license", read).read_only().success(self.show_license).run()

    def show_license(self, info: LicenseInfo) -> None:
        """Render a license: serial, MAC and the description as grouped features."""
        self.license = info
        self.serial_label.setText(info.serial_number)
        self.mac_label.setText(mac_with_colons(info.mac_address))
        self.version_label.setText(str(info.version))
        if not self.serial_edit.text():
            self.serial_edit.setText(info.serial_number)
        self.features.clear()
        for group in describe_features(info.description):
            item = QTreeWidgetItem([f"{group.name} ({len(group.features)})"])
            item.addChildren([QTreeWidgetItem([feature]) for feature in group.features])
            self.features.addTopLevelItem(item)
            item.setExpanded(True)

    def _install_key(self) -> None:
        status = self.client.last_status
        if status is None:
            return
        key, serial = self.key_edit.text(), self.serial_edit.text()
        try:
            check_key_serial(serial, status.serial_number)
        except LicenseRefusedError as err:
            self._say(str(err), error=True)
            return

        async def install(_: ProgressReporter) -> None:
            await install_key(self.client, status, key, serial)

        self.work.op("Install the license key", install).success(self._installed).run()

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "License file", "", "License files (*.txt *.lic *.ini);;All (*)"
        )
        if path:
            self.install_file(Path(path))

    def install_file(self, path: Path) -> None:
        """Install a license file after checking it names this device's serial."""
        status = self.client.last_status
        if status is None:
            return
        data = path.read_bytes()
        try:
            check_file_serials(data, status.serial_number)
        except LicenseRefusedError as err:
            self._say(str(err), error=True)
            return

        async def install(_: ProgressReporter) -> None:
            await install_file(self.client, status, path.name, data)

        self.work.op("Install the license file", install).success(self._installed).run()

    def _installed(self, _: object) -> None:
        self._say("License installed. The new features are listed above.", error=False)
        self.key_edit.clear()
        self.work.context.notify("info", "License installed.")
        self.refresh()

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet("color: #a00000;" if error else "color: #006000;")
        self.message.setText(text)
