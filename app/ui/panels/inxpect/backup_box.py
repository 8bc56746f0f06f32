"""Configuration backup to a file and restore from one, with a per-setting preview before anything is sent."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.core.file_names import saved_file
from app.core.paths import data_dir
from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.ui.panels.inxpect.common import confirm
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.configuration_file import (
    SAVE_STAGES,
    ConfigurationBackup,
    RestorePlan,
    RestoreReport,
    describe_network,
    load_backup,
    plan_restore,
    restore,
    save_backup,
)
from app.vendors.inxpect.setting_names import setting_label

FILE_FILTER = "MSK-101-POE configuration (*.json)"
RESTORE_STAGES = ("Sending the settings that differ", "Reading them back")


def restore_question(plan: RestorePlan, file_name: str) -> str:
    """The preview: the file, every setting that will change (old → new), warnings and what is not sent."""
    backup = plan.backup
    lines = [f"Restore {file_name} (sensor {backup.serial}, saved {backup.saved_at}).", ""]
    lines += ["These settings will change on the sensor:", *(f"• {line}" for line in plan.lines())]
    if not plan.network_changes:
        lines += ["", "Network settings and name are not touched."]
    if plan.missing:
        missing = ", ".join(setting_label(key) for key in plan.missing)
        lines += ["", f"Not sent (this sensor does not have them): {missing}."]
    if plan.warnings:
        lines += ["", *(f"⚠ {warning}" for warning in plan.warnings)]
    return "\n".join([*lines, "", "Restore now?"])


class ConfigurationBackupBox(QGroupBox):
    """Save the configuration to a JSON file; restore one after a preview of every setting that changes."""

    restored = Signal()  # the sensor configuration changed: views must reload it

    def __init__(self, work: PanelWork, client: InxpectClient) -> None:
        super().__init__("Configuration backup")
        self.work = work
        self.client = client
        self._build_ui()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("Save to file…")
        self.restore_button = QPushButton("Restore from file…")
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.restore_button)
        self.with_network = QCheckBox("Also restore network settings and name (the sensor may move)")
        self.status = QLabel("Network settings and name are saved in the file but restored only when ticked.")
        self.status.setWordWrap(True)
        layout.addLayout(buttons)
        layout.addWidget(self.with_network)
        layout.addWidget(self.status)
        self.save_button.clicked.connect(self.choose_save)
        self.restore_button.clicked.connect(self.choose_restore)

    def default_path(self) -> Path:
        """backups/inxpect-<model>-<serial>-<UTC time>.json under the app's data directory."""
        identity = self.work.context.identity
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        return saved_file(data_dir() / "backups", "inxpect", identity.model, identity.serial, stamp,
                          suffix=".json")

    def choose_save(self) -> None:
        """Ask where to save, then save."""
        default = str(self.default_path())
        path, _ = QFileDialog.getSaveFileName(self, "Save configuration", default, FILE_FILTER)
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> asyncio.Task[ConfigurationBackup]:
        """Save a backup of the sensor to `path` (read back and compared)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        op = self.work.op("Saving the configuration to a file",
                          lambda reporter: save_backup(self.client, path, reporter), stages=SAVE_STAGES)
        return op.success(lambda backup: self._saved(path, backup)).failure_in(self.status).run()

    def _saved(self, path: Path, backup: ConfigurationBackup) -> None:
        network = f" Network: {describe_network(backup.network)}." if backup.network is not None else ""
        self.status.setText(f"Saved {len(backup.settings)} settings to {path}.{network}")

    def choose_restore(self) -> None:
        """Ask for a backup file, then preview what it changes."""
        path, _ = QFileDialog.getOpenFileName(self, "Restore configuration", str(data_dir() / "backups"),
                                              FILE_FILTER)
        if path:
            self.preview(Path(path))

    def preview(self, path: Path) -> asyncio.Task[RestorePlan]:
        """Read the file and the sensor, then show what a restore would change (nothing is sent yet)."""
        include_network = self.with_network.isChecked()

        async def plan(_: ProgressReporter) -> RestorePlan:
            return await plan_restore(self.client, await load_backup(path), include_network=include_network)

        op = self.work.op("Comparing the backup with the sensor", plan).read_only()
        return op.success(lambda found: self._confirm(found, path.name)).failure_in(self.status).run()

    def _confirm(self, plan: RestorePlan, file_name: str) -> None:
        if plan.empty:
            self.status.setText(f"The sensor already has every setting of {file_name}: nothing to restore.")
            return
        if not confirm(self, "Restore configuration", restore_question(plan, file_name)):
            self.status.setText("Restore cancelled: nothing was sent.")
            return
        self.apply(plan, file_name)

    def apply(self, plan: RestorePlan, file_name: str) -> asyncio.Task[RestoreReport]:
        """Send the differing settings of `plan`, read them back, and say what changed."""
        async def work(reporter: ProgressReporter) -> RestoreReport:
            reporter.stage(RESTORE_STAGES[0])
            report = await restore(self.client, plan)
            reporter.stage(RESTORE_STAGES[1])
            return report

        op = self.work.op("Restoring the configuration", work, stages=RESTORE_STAGES).records_own_history()
        return op.success(lambda report: self._restored(report, file_name)).failure_in(self.status).run()

    def _restored(self, report: RestoreReport, file_name: str) -> None:
        changed = [change.describe() for change in (*report.changes, *report.network_changes)]
        text = f"Restored {file_name}: {len(changed)} setting(s) changed and read back equal."
        self.status.setText(f"{text} {report.network_note}".strip())
        context = self.work.context
        context.history.record(context.identity.key, "Configuration restored", "done",
                               {"file": file_name, "changes": "; ".join(changed)})
        self.restored.emit()
