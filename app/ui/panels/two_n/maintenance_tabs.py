"""Device, firmware and configuration tabs of the 2N panel."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.clock import SystemClock
from app.core.file_names import saved_file
from app.core.paths import data_dir
from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.ui.panels.two_n.common import status_label
from app.ui.plain_text import escaped, rich
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.models import FirmwareUpload, SystemInfo
from app.vendors.two_n.panel_reads import DeviceOverview, read_overview, set_time_and_read
from app.vendors.two_n.transfers import (
    CONFIG_BACKUP_STAGES,
    CONFIG_RESTORE_STAGES,
    FIRMWARE_APPLY_STAGES,
    FIRMWARE_UPLOAD_STAGES,
    apply_firmware,
    backup_config,
    restore_config,
    upload_firmware,
)

#: §5.2.1: an uploaded file not applied is rejected automatically after 5 minutes.
PENDING_SECONDS = 300


def _duration(seconds: int) -> str:
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    return f"{days} d {hours} h {rest // 60} min" if days else f"{hours} h {rest // 60} min {rest % 60} s"


def _drift(seconds: int) -> str:
    if abs(seconds) <= 2:
        return "in step with this computer"
    direction = "ahead of" if seconds > 0 else "behind"
    size = f"{abs(seconds)} s" if abs(seconds) < 120 else _duration(abs(seconds))
    return f"{size} {direction} this computer"


class DeviceTab(QWidget):
    """Identity, status, clock (with set-time) and restart."""

    def __init__(self, work: PanelWork, client: TwoNClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        layout = QVBoxLayout(self)
        box = QGroupBox("Device")
        self.form = QFormLayout(box)
        self.values: dict[str, QLabel] = {}
        for name in ("Model", "Name", "Serial", "MAC", "Firmware", "Hardware", "Up time", "Device time",
                     "Time source"):
            self.values[name] = QLabel("…")
            self.form.addRow(name, self.values[name])
        layout.addWidget(box)
        buttons = QHBoxLayout()
        self.refresh_button = QPushButton("Refresh")
        self.set_time_button = QPushButton("Set device time from this computer")
        self.restart_button = QPushButton("Restart intercom…")
        for button in (self.refresh_button, self.set_time_button, self.restart_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.status = status_label()
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.refresh_button.clicked.connect(self.refresh)
        self.set_time_button.clicked.connect(self.set_time)
        self.restart_button.clicked.connect(self.restart)

    def show_info(self, info: SystemInfo) -> None:
        """Fill the identity rows."""
        rows = (("Model", info.variant), ("Name", info.device_name), ("Serial", info.serial_number),
                ("MAC", info.mac), ("Firmware", f"{info.sw_version} ({info.build_type})"),
                ("Hardware", info.hw_version))
        for name, value in rows:
            self.values[name].setText(value or "—")

    def refresh(self) -> None:
        """Read info, status and time."""
        read = self.work.op("Reading device", lambda _: read_overview(self.client)).in_background()
        read.success(self._show_overview).failure_in(self.status).run()

    def _show_overview(self, overview: DeviceOverview) -> None:
        self.show_info(overview.info)
        self.values["Up time"].setText(_duration(overview.status.up_time))
        device_time = overview.time
        drift = device_time.utc_time - int(time.time())
        stamp = datetime.fromtimestamp(device_time.utc_time, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        self.values["Device time"].setText(f"{stamp} ({_drift(drift)})")
        automatic = "automatic (NTP/My2N overwrite a manual setting)" if device_time.automatic else "manual"
        self.values["Time source"].setText(f"{device_time.source.value}, {automatic}")
        self.status.setText("Up to date.")

    def set_time(self) -> None:
        """Set the device clock to this computer's UTC time."""
        set_time = self.work.op("Setting time", lambda _: set_time_and_read(self.client, int(time.time())))
        set_time.in_background().success(self._show_overview).failure_in(self.status).run()

    def restart(self) -> None:
        """Restart after confirmation."""
        text = "Restart the intercom now? Calls in progress are dropped."
        answer = QMessageBox.question(self, "Restart intercom", text)
        if answer != QMessageBox.StandardButton.Yes:
            return

        async def work(reporter: ProgressReporter) -> None:
            reporter.stage("Restarting")
            await self.client.restart()
            self.status.setText("Restart requested; the intercom is back in about a minute.")

        self.work.op("Restart intercom", work, stages=("Restarting",)).run()


class FirmwareTab(QWidget):
    """Upload a firmware file, read its version and notes, then apply (restart + confirm) or reject."""

    def __init__(self, work: PanelWork, client: TwoNClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.pending: FirmwareUpload | None = None
        layout = QVBoxLayout(self)
        self.version = rich(QLabel("Running firmware: …"))
        layout.addWidget(self.version)
        self.upload_button = QPushButton("Upload firmware file…")
        layout.addWidget(self.upload_button)
        self.uploaded = rich(QLabel("No firmware file waiting on the device."))
        layout.addWidget(self.uploaded)
        self.note = QPlainTextEdit()
        self.note.setReadOnly(True)
        self.note.setPlaceholderText("Release notes of the uploaded file appear here.")
        layout.addWidget(self.note, 1)
        decide = QHBoxLayout()
        self.apply_button = QPushButton("Apply and restart")
        self.reject_button = QPushButton("Reject")
        decide.addWidget(self.apply_button)
        decide.addWidget(self.reject_button)
        layout.addLayout(decide)
        self.status = status_label(
            "An uploaded file waits 5 minutes for Apply or Reject, then the device drops it.")
        layout.addWidget(self.status)
        self._set_pending(None)
        self.upload_button.clicked.connect(self.choose_and_upload)
        self.apply_button.clicked.connect(self.apply)
        self.reject_button.clicked.connect(self.reject)

    def show_version(self, version: str) -> None:
        """Show the running firmware version (read from the intercom), here and in the device list."""
        self.version.setText(f"Running firmware: <b>{escaped(version)}</b>")
        if self.work.context.firmware_read is not None:
            self.work.context.firmware_read(version)

    def _set_pending(self, upload: FirmwareUpload | None) -> None:
        self.pending = upload
        self.apply_button.setEnabled(upload is not None)
        self.reject_button.setEnabled(upload is not None)
        if upload is None:
            self.uploaded.setText("No firmware file waiting on the device.")
            self.note.clear()
            return
        kind = "DOWNGRADE to" if upload.downgrade else "Upgrade to"
        deadline = datetime.now().astimezone() + timedelta(seconds=PENDING_SECONDS)
        self.uploaded.setText(
            f"Waiting on the device: <b>{kind} {escaped(upload.version)}</b> "
            f"(file {escaped(upload.file_id)}); "
            f"apply or reject before {deadline:%H:%M}, then the intercom discards it")
        self.note.setPlainText(upload.note.replace("\r\n", "\n"))

    def choose_and_upload(self) -> None:
        """Ask for a file and upload it."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a 2N firmware file", "", "Firmware (*.bin);;All files (*)")
        if path:
            self.upload(Path(path))

    def upload(self, path: Path) -> asyncio.Task[None]:
        """Upload `path` (a pending file of ours is rejected first)."""
        async def work(reporter: ProgressReporter) -> None:
            data = await asyncio.to_thread(path.read_bytes)
            pending = self.pending.file_id if self.pending else None
            self._set_pending(await upload_firmware(self.client, data, path.name, reporter,
                                                    pending_file_id=pending))
        return self.work.op(f"Upload firmware {path.name}", work, stages=FIRMWARE_UPLOAD_STAGES).run()

    def apply(self) -> None:
        """Apply the pending file after confirmation; wait for the restart and confirm the version."""
        upload = self.pending
        if upload is None:
            return
        text = f"Install {upload.version} and restart the intercom? It is offline for a few minutes."
        if QMessageBox.question(self, "Apply firmware", text) != QMessageBox.StandardButton.Yes:
            return

        async def work(reporter: ProgressReporter) -> None:
            self._set_pending(None)
            info = await apply_firmware(self.client, upload, reporter, SystemClock())
            self.show_version(info.sw_version)
            self.status.setText(f"The intercom restarted and runs {info.sw_version}.")

        self.work.op(f"Apply firmware {upload.version}", work, stages=FIRMWARE_APPLY_STAGES).run()

    def reject(self) -> None:
        """Reject the pending file."""
        upload = self.pending
        if upload is None:
            return

        async def work(reporter: ProgressReporter) -> None:
            reporter.stage("Rejecting")
            await self.client.reject_firmware(upload.file_id)
            self._set_pending(None)
            self.status.setText(f"Firmware {upload.version} rejected; the device keeps its version.")

        self.work.op("Reject firmware", work, stages=("Rejecting",)).run()


class ConfigTab(QWidget):
    """Configuration backup to a file, restore from one, and factory reset with typed confirmation."""

    def __init__(self, work: PanelWork, client: TwoNClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        layout = QVBoxLayout(self)
        self.backup_button = QPushButton("Back up configuration…")
        self.restore_button = QPushButton("Restore configuration…")
        self.reset_button = QPushButton("Factory reset…")
        self.reset_button.setStyleSheet("color: #b00020;")
        for button in (self.backup_button, self.restore_button, self.reset_button):
            layout.addWidget(button)
        self.status = status_label(
            "A restore or factory reset takes effect about 15 s after upload; do not power the intercom off.")
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.backup_button.clicked.connect(self.choose_backup)
        self.restore_button.clicked.connect(self.choose_restore)
        self.reset_button.clicked.connect(self.factory_reset)

    def default_backup_path(self) -> Path:
        """backups/<model>-<serial>-<UTC time>.xml under the app's data directory."""
        identity = self.work.context.identity
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        return saved_file(data_dir() / "backups", identity.model, identity.serial, stamp, suffix=".xml")

    def choose_backup(self) -> None:
        """Ask where to save, then back up."""
        path, _ = QFileDialog.getSaveFileName(
            self, "Save configuration backup", str(self.default_backup_path()), "2N configuration (*.xml)")
        if path:
            self.backup(Path(path))

    def backup(self, path: Path) -> asyncio.Task[Path]:
        """Download the configuration into `path`."""
        async def work(reporter: ProgressReporter) -> Path:
            saved = await backup_config(self.client, path, reporter)
            self.status.setText(f"Configuration saved to {saved}.")
            return saved
        return self.work.op("Back up configuration", work, stages=CONFIG_BACKUP_STAGES).run()

    def choose_restore(self) -> None:
        """Ask for a backup file, confirm, restore."""
        path, _ = QFileDialog.getOpenFileName(self, "Restore configuration", str(data_dir() / "backups"),
                                              "2N configuration (*.xml)")
        if not path:
            return
        text = f"Replace the intercom's whole configuration with {Path(path).name}?"
        if QMessageBox.question(self, "Restore configuration", text) == QMessageBox.StandardButton.Yes:
            self.restore(Path(path))

    def restore(self, path: Path) -> asyncio.Task[None]:
        """Upload the backup at `path` (a backup of another model is refused)."""
        async def work(reporter: ProgressReporter) -> None:
            await restore_config(self.client, path, reporter)
            self.status.setText("Configuration uploaded; the intercom applies it in about 15 s.")
        return self.work.op("Restore configuration", work, stages=CONFIG_RESTORE_STAGES).run()

    def factory_reset(self) -> None:
        """Factory reset after the technician types the serial number."""
        serial = self.work.context.identity.serial
        typed, accepted = QInputDialog.getText(
            self, "Factory reset",
            f"This erases every setting, including network and accounts.\nType the serial number {serial} "
            "to confirm:")
        if not accepted or typed.strip() != serial:
            self.status.setText("Factory reset not confirmed; nothing was changed.")
            return

        async def work(reporter: ProgressReporter) -> None:
            reporter.stage("Resetting")
            await self.client.factory_reset()
            self.status.setText("Factory reset requested; the intercom resets in about 15 s and restarts.")

        self.work.op("Factory reset", work, stages=("Resetting",)).run()
