"""Mounting check: live elevation and rotation against the configured mounting and supported installations."""

from __future__ import annotations

import asyncio
from typing import Final

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.models import InstallationConfiguration, SensorConfiguration, SensorPosition
from app.vendors.inxpect.mounting import mounting_verdict, watch_position
from app.vendors.inxpect.panel_reads import read_mounting_setup

POLL_SECONDS: Final = 0.5
#: Read from a ladder at arm's length: large type, the verdict on a coloured band.
VALUE_STYLE: Final = "font-size:15pt;"
VERDICT_STYLES: Final = {
    None: "font-size:15pt;padding:10px;",
    True: "font-size:15pt;padding:10px;color:#1b5e20;background:#e8f5e9;border:1px solid #a5d6a7;",
    False: "font-size:15pt;padding:10px;color:#ffffff;background:#c62828;font-weight:bold;",
}


class MountingTab(QWidget):
    """Shows the live position every half second while visible, with a clear verdict."""

    def __init__(self, work: PanelWork, client: InxpectClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.configuration: SensorConfiguration | None = None
        self.installations: tuple[InstallationConfiguration, ...] = ()
        self._task: asyncio.Task[None] | None = None
        self._build_ui()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.elevation_label = QLabel("—")
        self.rotation_label = QLabel("—")
        self.configured_label = QLabel("—")
        for label in (self.elevation_label, self.rotation_label, self.configured_label):
            label.setStyleSheet(VALUE_STYLE)
        form.addRow("Live tilt (elevation):", self.elevation_label)
        form.addRow("Live rotation:", self.rotation_label)
        form.addRow("Configured mounting:", self.configured_label)
        self.verdict = QLabel("Reading the sensor position…")
        self.verdict.setObjectName("inxpectMountingVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setStyleSheet(VERDICT_STYLES[None])
        self._verdict_ok: bool | None = None
        layout.addLayout(form)
        layout.addWidget(self.verdict)
        layout.addStretch(1)

    def start(self) -> None:
        """Start polling the position (idempotent)."""
        if self._task is None or self._task.done():
            self._task = self.work.op("Reading the sensor position", self._poll).in_background().run()

    def stop(self) -> None:
        """Stop polling."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _poll(self, reporter: ProgressReporter) -> None:
        setup = await read_mounting_setup(self.client)
        self.installations, self.configuration = setup.installations, setup.configuration
        await watch_position(self.client, self.show_position, POLL_SECONDS)

    def show_position(self, position: SensorPosition) -> None:
        """Update the labels and the verdict for a position reading."""
        self.elevation_label.setText(f"{position.elevation}° ({'down' if position.elevation < 0 else 'up'})")
        self.rotation_label.setText(f"{position.rotation}°")
        if self.configuration is None:
            return
        c = self.configuration
        self.configured_label.setText(
            f"height {c.mount_height / 1000:.2f} m, tilt {c.mount_elevation}°, rotation {c.mount_rotation}°"
        )
        ok, words = mounting_verdict(position, c, self.installations)
        self.verdict.setText(words)
        if ok != self._verdict_ok:  # restyle only when the verdict flips
            self._verdict_ok = ok
            self.verdict.setStyleSheet(VERDICT_STYLES[ok])
