"""Firmware: choose an IFW, see what it contains and what changes on this device, upload with Cancel."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.backend.evidence import FIRMWARE_UPDATED
from app.core.errors import AppError, TransferError
from app.core.paths import resource
from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.ui.panels.inxpect.common import confirm
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.firmware import (
    UPDATE_STAGES,
    FirmwareUpdater,
    UpdatePlan,
    check_package,
)
from app.vendors.inxpect.ifw import IfwPackage
from app.vendors.inxpect.models import format_version
from app.vendors.inxpect.panel_reads import describe_installed

NOTE = (
    "Real IFW packages are signed by Inxpect. The packages under resources/inxpect are built by this project "
    "in the same layout for the simulator and cannot update a real sensor."
)


class FirmwareTab(QWidget):
    """Open and check an IFW against the device, then run the update as an operation with stages."""

    #: The device info read back after a completed update.
    firmware_changed = Signal(object)

    def __init__(self, work: PanelWork, client: InxpectClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.plan: UpdatePlan | None = None
        self.updater: FirmwareUpdater | None = None
        self._build_ui()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.choose_button = QPushButton("Choose IFW package…")
        self.choose_button.clicked.connect(self._choose)
        self.package_label = QLabel("No package chosen.")
        row.addWidget(self.choose_button)
        row.addWidget(self.package_label, 1)
        self.contents = QTreeWidget()
        self.contents.setHeaderLabels(["File", "Size", "To send"])
        self.contents.setRootIsDecorated(False)
        self.contents.setMaximumHeight(180)  # keep the summary and the Update button in view
        self.summary = QLabel()
        self.summary.setObjectName("inxpectFirmwareSummary")
        self.summary.setWordWrap(True)
        self.allow_downgrade = QCheckBox("Install even though it is not newer than what the device runs")
        self.allow_downgrade.setVisible(False)
        self.update_button = QPushButton("Update firmware")
        self.update_button.setEnabled(False)
        self.update_button.clicked.connect(self._start_update)
        self.state = QLabel()
        self.state.setObjectName("inxpectFirmwareState")
        self.state.setWordWrap(True)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        note.setStyleSheet("color:#666;")
        layout.addLayout(row)
        layout.addWidget(self.contents)
        layout.addWidget(self.summary)
        layout.addWidget(self.allow_downgrade)
        layout.addWidget(self.update_button)
        layout.addWidget(self.state)
        layout.addWidget(note)
        layout.addStretch(1)

    def _choose(self) -> None:
        start = resource("inxpect")
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose an IFW package", str(start), "IFW packages (*.ifw)"
        )
        if name:
            self.open_package(Path(name))

    def open_package(self, path: Path) -> None:
        """Read, validate and plan `path` against the device (an operation; errors are shown)."""
        self.plan = None
        self.update_button.setEnabled(False)
        self.package_label.setText(path.name)
        self.contents.clear()
        self.summary.setText(f"Checking {path.name}…")
        self.allow_downgrade.setChecked(False)
        self.allow_downgrade.setVisible(False)
        self.state.clear()
        check = self.work.op(f"Checking {path.name}", lambda _: check_package(self.client, path)).read_only()
        check.success(self._show_plan).failure(self._show_check_failure).run()

    def _show_check_failure(self, error: Exception) -> None:
        self.summary.setText(f"✗ {error.message if isinstance(error, AppError) else error}")

    def _show_plan(self, plan: UpdatePlan) -> None:
        self._show_contents(plan.package)
        self.plan = plan
        sent = {f.name for f in plan.files}
        for index in range(self.contents.topLevelItemCount()):
            item = self.contents.topLevelItem(index)
            if item is not None:
                item.setText(2, "yes" if item.text(0) in sent else "unchanged, skipped")
        self.summary.setText(
            f"{plan.summary()}. To send: {len(plan.files)} file(s), {human_size(plan.bytes_to_send)}."
        )
        self.allow_downgrade.setVisible(plan.is_downgrade)
        self.update_button.setEnabled(True)

    def _show_contents(self, package: IfwPackage) -> None:
        d = package.descriptor
        self.package_label.setText(
            f"{package.source}: {d.destination.label} {d.version} (family {d.device_family}, "
            f"mode {d.device_mode})"
        )
        self.contents.clear()
        for name, item in package.files.items():
            self.contents.addTopLevelItem(QTreeWidgetItem([name, human_size(len(item.data)), ""]))
        self.contents.resizeColumnToContents(0)

    def _start_update(self) -> None:
        if self.plan is None:
            return
        if self.plan.is_downgrade and not self.allow_downgrade.isChecked():
            self.state.setText(
                "This package is not newer than the device's firmware: tick the box to install it."
            )
            return
        if not confirm(self, "Update firmware", confirmation_text(self.plan)):
            return
        self.updater = FirmwareUpdater(self.client, self.plan, allow_downgrade=True)
        self.update_button.setEnabled(False)
        self.state.setText("Updating… Do not power off the sensor.")
        title = f"Updating {self.plan.package.descriptor.destination.label}"
        self.work.op(title, self._update, stages=UPDATE_STAGES).run()

    async def _update(self, reporter: ProgressReporter) -> None:
        updater = self.updater
        assert updater is not None
        try:
            info = await updater.run(reporter)
        except TransferError as err:
            self.state.setText(f"✗ {err.message} {err.state}")
            raise
        except asyncio.CancelledError:
            self.state.setText(updater.final_state or "Update cancelled.")
            raise
        finally:
            self.update_button.setEnabled(self.plan is not None)
        self.firmware_changed.emit(info)
        runs = await describe_installed(self.client, info, updater.plan.package.descriptor.destination)
        context, plan = self.work.context, updater.plan
        context.history.record(context.identity.key, FIRMWARE_UPDATED, "done", {
            "from": format_version(plan.current_version),
            "to": format_version(plan.package.descriptor.version_code),
            "file": self.package_label.text(),
        })
        self.state.setText(f"✓ Update complete. The device now runs {runs}.")
        self.plan = None
        self.update_button.setEnabled(False)


def confirmation_text(plan: UpdatePlan) -> str:
    """The question before flashing: what changes on the device and what is sent."""
    return (
        f"Install on this sensor?\n\n{plan.summary()}.\nTo send: {len(plan.files)} file(s), "
        f"{human_size(plan.bytes_to_send)}.\n\nDo not power off or unplug the sensor until the update "
        "completes. Install now?"
    )


def human_size(size: int) -> str:
    """A byte count as a technician reads it: "512 B", "192.0 KiB", "160.0 MiB"."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"
