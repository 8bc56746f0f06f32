"""The device tab: status, save/restart, web login, configuration files, CLI, software, debug file."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.file_names import safe_file_name
from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.ui.panels.audiocodes.common import LevelGate, mac_with_colons
from app.ui.panels.audiocodes.restart_dialog import RestartDialog
from app.ui.plain_text import rich
from app.vendors.audiocodes import maintenance
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.models import CliResult, DeviceStatus
from app.vendors.audiocodes.permissions import Action
from app.vendors.audiocodes.safe_maintenance import (
    SAFE_RESTORE_STAGES,
    SAFE_SOFTWARE_STAGES,
    SafeOutcome,
    restart_warning,
    restore_configuration_safely,
    update_software_safely,
)


class DeviceTab(QWidget):
    """Everything about the device as a whole; each button is offered only at the levels allowed to use it."""

    #: A status read from the device was shown (the panel's header shows its version too).
    status_shown = Signal(object)

    def __init__(
        self, work: PanelWork, client: AudioCodesClient, levels: LevelGate, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.levels = levels
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(self._status_box())
        left.addStretch(1)
        layout.addLayout(left, 1)
        right = QVBoxLayout()
        right.addWidget(self._actions_box())
        right.addWidget(self._files_box())
        right.addWidget(self._cli_box(), 1)
        layout.addLayout(right, 1)

    def _status_box(self) -> QGroupBox:
        box = QGroupBox("Status")
        form = QFormLayout(box)
        self.fields: dict[str, QLabel] = {}
        for name in (
            "Product",
            "Software",
            "Serial number",
            "MAC address",
            "IP address",
            "High availability",
            "State",
            "Device time",
            "Up for",
            "Unsaved changes",
        ):
            self.fields[name] = QLabel("—")
            form.addRow(f"{name}:", self.fields[name])
        self.level_label = rich(QLabel())
        self.level_label.setWordWrap(True)
        form.addRow(self.level_label)
        return box

    def _actions_box(self) -> QGroupBox:
        box = QGroupBox("Device")
        grid = QGridLayout(box)
        self.save_button = QPushButton("Save configuration")
        self.restart_button = QPushButton("Restart…")
        self.web_button = QPushButton("Open web interface")
        self.refresh_button = QPushButton("Refresh status")
        for index, button in enumerate(
            (self.save_button, self.restart_button, self.web_button, self.refresh_button)
        ):
            grid.addWidget(button, index // 2, index % 2)
        self.levels.gate(self.save_button, Action.SAVE_CONFIGURATION)
        self.levels.gate(self.restart_button, Action.RESET)
        self.levels.gate(self.web_button, Action.OPEN_WEB)
        return box

    def _files_box(self) -> QGroupBox:
        box = QGroupBox("Configuration and software")
        grid = QGridLayout(box)
        self.backup_button = QPushButton("Back up configuration (INI)…")
        self.incremental_button = QPushButton("Apply INI changes…")
        self.restore_button = QPushButton("Restore full INI…")
        self.cli_backup_button = QPushButton("Save CLI script…")
        self.software_button = QPushButton("Update software…")
        self.hitless_button = QPushButton("Hitless update (HA pair)…")
        self.hitless_button.setVisible(False)
        self.debug_button = QPushButton("Collect debug file…")
        buttons = (
            (self.backup_button, Action.BACKUP_INI),
            (self.incremental_button, Action.RESTORE_INI),
            (self.restore_button, Action.RESTORE_INI),
            (self.cli_backup_button, Action.CLI_SCRIPT),
            (self.software_button, Action.UPDATE_SOFTWARE),
            (self.hitless_button, Action.UPDATE_SOFTWARE),
            (self.debug_button, Action.DEBUG_FILE),
        )
        for index, (button, action) in enumerate(buttons):
            grid.addWidget(button, index // 2, index % 2)
            self.levels.gate(button, action)
        return box

    def _cli_box(self) -> QGroupBox:
        box = QGroupBox("CLI script (incremental: configuration and show commands)")
        column = QVBoxLayout(box)
        self.cli_input = QPlainTextEdit()
        self.cli_input.setPlaceholderText("show system version")
        self.cli_input.setMaximumHeight(70)
        self.cli_run_button = QPushButton("Run script")
        self.cli_output = QPlainTextEdit()
        self.cli_output.setReadOnly(True)
        column.addWidget(self.cli_input)
        column.addWidget(self.cli_run_button)
        column.addWidget(self.cli_output, 1)
        self.levels.gate(self.cli_run_button, Action.CLI_SCRIPT)
        self.levels.gate(self.cli_input, Action.CLI_SCRIPT)
        return box

    def _connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self.refresh)
        self.save_button.clicked.connect(self.save_configuration)
        self.restart_button.clicked.connect(self._restart)
        self.web_button.clicked.connect(self.open_web)
        self.backup_button.clicked.connect(self._backup_ini)
        self.incremental_button.clicked.connect(lambda: self._upload_ini(incremental=True))
        self.restore_button.clicked.connect(lambda: self._upload_ini(incremental=False))
        self.cli_backup_button.clicked.connect(self._backup_cli)
        self.cli_run_button.clicked.connect(self._run_cli)
        self.software_button.clicked.connect(self._update_software)
        self.hitless_button.clicked.connect(lambda: self._update_software(hitless=True))
        self.debug_button.clicked.connect(self._debug_file)

    def refresh(self) -> None:
        """Read the status again."""

        async def read(_: ProgressReporter) -> DeviceStatus:
            return await self.client.status()

        self.work.op("Read status", read).read_only().success(self.show_status).run()

    def show_status(self, status: DeviceStatus) -> None:
        """Render a status; its software version (read from the device) also goes to the device list."""
        if self.work.context.firmware_read is not None:
            self.work.context.firmware_read(status.version)
        values = {
            "Product": status.product_type,
            "Software": status.version,
            "Serial number": status.serial_number,
            "MAC address": mac_with_colons(status.mac_address),
            "IP address": status.ip_address,
            "High availability": (
                f"HA pair ({status.high_availability.value}): restarts affect both units"
                if status.is_ha_pair
                else "Standalone"
            ),
            "State": status.operational_state.value,
            "Device time": f"{status.local_time:%Y-%m-%d %H:%M:%S} UTC" if status.local_time else "unknown",
            "Up for": _uptime(status.uptime_seconds),
            "Unsaved changes": "Yes — save the configuration" if status.save_needed else "No",
        }
        for name, value in values.items():
            self.fields[name].setText(value)
        self.hitless_button.setVisible(status.is_ha_pair)
        self.fields["Unsaved changes"].setStyleSheet("color: #a04000;" if status.save_needed else "")
        self.level_label.setText(f"Logged in as a <b>{self.levels.level.label}</b> user.")
        self.status_shown.emit(status)

    def save_configuration(self) -> None:
        """POST saveConfiguration, then show the status."""

        async def save(_: ProgressReporter) -> DeviceStatus:
            await self.client.save_configuration()
            return await self.client.status()

        self.work.op("Save configuration", save).success(self._saved).run()

    def _saved(self, status: DeviceStatus) -> None:
        self.show_status(status)
        self.work.context.notify("info", "Configuration saved to the device's non-volatile memory.")

    def _restart(self) -> None:
        self.restart_dialog = dialog = RestartDialog(self.client.last_status, self)
        dialog.setModal(True)
        dialog.accepted.connect(
            lambda: self.restart(save=dialog.save, graceful_timeout=dialog.graceful_timeout)
        )
        dialog.open()

    def restart(self, *, save: bool, graceful_timeout: int = 0) -> None:
        """Reset the device (at once, or once calls end: `graceful_timeout`) and wait for it to come back."""

        async def go(reporter: ProgressReporter) -> DeviceStatus:
            return await maintenance.restart(
                self.client, reporter, save=save, graceful_timeout=graceful_timeout
            )

        restart = self.work.op("Restart the device", go, stages=maintenance.RESTART_STAGES)
        restart.success(self.show_status).run()

    def open_web(self) -> None:
        """Open the device's web interface in the browser, logged in by a one-use token."""

        async def token(_: ProgressReporter) -> str:
            return await self.client.auth_token(self.levels.level)

        def opened(value: str) -> None:
            QDesktopServices.openUrl(QUrl(self.client.web_login_url(value)))

        self.work.op("Open the web interface", token).read_only().success(opened).run()

    def _backup_ini(self) -> None:
        serial = self.fields["Serial number"].text()
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Save configuration backup",
            safe_file_name("mediant", serial, stamp, suffix=".ini"),
            "INI files (*.ini)",
        )
        if path:
            self.backup_ini(Path(path))

    def backup_ini(self, target: Path) -> None:
        """Download the INI file into `target`."""

        async def download(_: ProgressReporter) -> int:
            data = await self.client.download_ini()
            await asyncio.to_thread(target.write_bytes, data)
            return len(data)

        self.work.op("Back up the configuration", download).success(
            lambda size: self.work.context.notify("info", f"Configuration saved to {target} ({size} bytes).")
        ).run()

    def _upload_ini(self, *, incremental: bool) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "INI file", "", "INI files (*.ini *.txt);;All (*)")
        if not path:
            return
        question = (
            f"{restart_warning(self.client.last_status, 'Restoring a full INI')}\n\nThe whole configuration "
            "is replaced; the current one is backed up first. Continue?"
        )
        if (
            not incremental
            and QMessageBox.question(self, "Restore full INI", question) != QMessageBox.StandardButton.Yes
        ):
            return
        self.upload_ini(Path(path), incremental=incremental)

    def upload_ini(self, source: Path, *, incremental: bool) -> None:
        """Apply an incremental INI (no restart) or replace the whole configuration (device restarts)."""
        data = source.read_bytes()

        if not incremental:
            self._restore_full_ini(source.name, data)
            return

        async def upload(_: ProgressReporter) -> DeviceStatus:
            await self.client.upload_ini_incremental(data, source.name)
            return await self.client.status()

        def done(status: DeviceStatus) -> None:
            self.show_status(status)
            self.work.context.notify("info", "INI changes applied; save the configuration to keep them.")

        self.work.op("Apply INI changes", upload).success(done).run()

    def _restore_full_ini(self, name: str, data: bytes) -> None:
        """Back up the configuration, then replace it (the device restarts to apply the new one)."""

        async def restore(reporter: ProgressReporter) -> SafeOutcome:
            return await restore_configuration_safely(self.client, name, data, reporter)

        def done(outcome: SafeOutcome) -> None:
            self.work.context.notify(
                "info",
                "Full INI accepted; the device is restarting to apply it. "
                f"The previous configuration was backed up to {outcome.backup}.",
            )

        self.work.op("Restore full INI", restore, stages=SAFE_RESTORE_STAGES).success(done).run()

    def _backup_cli(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save CLI script", "mediant-running-config.txt", "Text (*.txt)"
        )
        if not path:
            return
        target = Path(path)

        async def download(_: ProgressReporter) -> None:
            await asyncio.to_thread(target.write_bytes, await self.client.download_cli_script())

        self.work.op("Save the CLI script", download).run()

    def _run_cli(self) -> None:
        script = self.cli_input.toPlainText().strip()
        if not script:
            return

        async def run(_: ProgressReporter) -> CliResult:
            return await self.client.run_cli_script(script)

        def show(result: CliResult) -> None:
            self.cli_output.setPlainText(f"{result.description}\n{result.output.replace('. ', chr(10))}")

        self.work.op("Run CLI script", run).success(show).run()

    def _update_software(self, *, hitless: bool = False) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Software load", "", "AudioCodes software (*.cmp)")
        what = (
            "The hitless procedure updates the HA pair's units one after the other: service continues."
            if hitless
            else restart_warning(self.client.last_status, "Updating the software")
        )
        question = f"{what}\n\nThe configuration is backed up first. Continue?"
        if path and QMessageBox.question(self, "Update software", question) == QMessageBox.StandardButton.Yes:
            self.update_software(Path(path), hitless=hitless)

    def update_software(self, source: Path, *, hitless: bool = False) -> None:
        """Back up the configuration, upload a .cmp (by the hitless procedure on an HA pair when asked),
        and confirm the new version."""

        async def update(reporter: ProgressReporter) -> SafeOutcome:
            data = await asyncio.to_thread(source.read_bytes)  # a load is tens of MB: not on the Qt thread
            return await update_software_safely(self.client, source.name, data, reporter, hitless=hitless)

        def done(outcome: SafeOutcome) -> None:
            if outcome.status is not None:
                self.show_status(outcome.status)
                self.work.context.notify(
                    "info",
                    f"The device now runs {outcome.status.version}. "
                    f"Its configuration was backed up first to {outcome.backup}.",
                )

        self.work.op("Update software", update, stages=SAFE_SOFTWARE_STAGES).success(done).run()

    def _debug_file(self) -> None:
        serial = self.fields["Serial number"].text()
        name = safe_file_name("mediant", serial, "debug", suffix=".tar.gz")
        path, _ = QFileDialog.getSaveFileName(self, "Save debug file", name)
        if path:
            self.collect_debug_file(Path(path))

    def collect_debug_file(self, target: Path) -> None:
        """Have the device create a debug file, wait for it, and save it."""

        async def collect(reporter: ProgressReporter) -> None:
            content = await maintenance.collect_debug_file(self.client, reporter)
            await asyncio.to_thread(target.write_bytes, content)

        saved = f"Debug file saved to {target}."
        collect_op = self.work.op("Collect debug file", collect, stages=maintenance.DEBUG_STAGES)
        collect_op.success(lambda _: self.work.context.notify("info", saved)).run()


def _uptime(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    return f"{days} d {hours} h {rest // 60} min" if days else f"{hours} h {rest // 60} min"
