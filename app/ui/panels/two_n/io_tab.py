"""The Relays and inputs tab: every logic port's level, read live while the tab is shown, and io/ctrl."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import DeviceError
from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.ui.panels.two_n.common import status_label
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.io_control import (
    DEFAULT_PULSE_SECONDS,
    POLL_INTERVAL,
    PULSE_STAGES,
    IoPortView,
    after_event,
    describe_change,
    drive_output,
    merge_levels,
    pulse_output,
    read_ports,
    watch_levels,
)
from app.vendors.two_n.models import IoAction, LogEvent


class IoTab(QWidget):
    """Ports with live levels (io/status polled only while shown) and on / off / pulse of an output."""

    def __init__(self, work: PanelWork, client: TwoNClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.ports: tuple[IoPortView, ...] = ()
        self.poll_interval = POLL_INTERVAL
        self.poll_task: asyncio.Task[None] | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Port", "Type", "Level"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 1)
        self.live = QLabel("Levels are read while this tab is shown.")
        layout.addWidget(self.live)
        controls = QHBoxLayout()
        self.output_box = QComboBox()
        self.output_box.setAccessibleName("Output")
        self.on_button = QPushButton("Switch on…")
        self.off_button = QPushButton("Switch off…")
        self.pulse_seconds = QSpinBox()
        self.pulse_seconds.setRange(1, 60)
        self.pulse_seconds.setValue(DEFAULT_PULSE_SECONDS)
        self.pulse_seconds.setSuffix(" s")
        self.pulse_seconds.setAccessibleName("Pulse length")
        self.pulse_button = QPushButton("Pulse…")
        for widget in (QLabel("Output"), self.output_box, self.on_button, self.off_button,
                       QLabel("Pulse for"), self.pulse_seconds, self.pulse_button):
            controls.addWidget(widget)
        controls.addStretch(1)
        layout.addLayout(controls)
        self.status = status_label()
        layout.addWidget(self.status)

    def _connect_signals(self) -> None:
        self.on_button.clicked.connect(lambda: self.switch(IoAction.ON))
        self.off_button.clicked.connect(lambda: self.switch(IoAction.OFF))
        self.pulse_button.clicked.connect(self.pulse)

    def load(self) -> None:
        """Read the ports (io/caps) and their levels."""
        read = self.work.op("Reading inputs and outputs", lambda _: read_ports(self.client)).in_background()
        read.success(self.show_ports).failure_in(self.status).run()

    def show_ports(self, ports: tuple[IoPortView, ...]) -> None:
        """Fill the table and offer the outputs."""
        self.ports = ports
        chosen = self.output_box.currentText()
        self.output_box.clear()
        self.output_box.addItems([p.port for p in ports if p.is_output])
        self.output_box.setCurrentIndex(max(self.output_box.findText(chosen), 0))
        self.table.setRowCount(len(ports))
        for row, port in enumerate(ports):
            for column, value in enumerate((port.port, port.kind, port.level_text)):
                item = QTableWidgetItem(value)
                if column == 2 and port.level:
                    item.setBackground(Qt.GlobalColor.green)
                self.table.setItem(row, column, item)

    def show_levels(self, levels: dict[str, int | None]) -> None:
        """Show a fresh io/status read."""
        self.show_ports(merge_levels(self.ports, levels))
        self.live.setText(f"Live: read at {datetime.now(UTC):%H:%M:%S} UTC, every {self.poll_interval:g} s.")

    def on_event(self, event: LogEvent) -> None:
        """InputChanged / OutputChanged update a port at once, between two reads."""
        changed = after_event(self.ports, event)
        if changed is not None:
            self.show_ports(changed)

    def _poll_failed(self, error: DeviceError) -> None:
        self.live.setText(f"Live read failed, retrying more slowly: {error}")

    # -- polling only while shown ------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802  (Qt API)
        """Start reading the levels."""
        super().showEvent(event)
        if self.poll_task is None or self.poll_task.done():
            watch = self.work.op("Watching inputs and outputs", lambda _: watch_levels(
                self.client, self.show_levels, self._poll_failed, self.client.clock,
                interval=self.poll_interval))
            self.poll_task = watch.in_background().run()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802  (Qt API)
        """Stop reading while nobody looks."""
        super().hideEvent(event)
        if self.poll_task is not None:
            self.poll_task.cancel()
            self.poll_task = None
            self.live.setText("Live reading paused while this tab is hidden.")

    # -- driving an output -------------------------------------------------------------------

    def _chosen(self) -> IoPortView | None:
        name = self.output_box.currentText()
        port = next((p for p in self.ports if p.port == name and p.is_output), None)
        if port is None:
            self.status.setText("This intercom reports no output to drive.")
        return port

    def _confirmed(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, f"{text}\n\nGo ahead?")
        return answer == QMessageBox.StandardButton.Yes

    def switch(self, action: IoAction) -> None:
        """Switch the chosen output on or off after confirmation, then show its level read back."""
        port = self._chosen()
        if port is None or not self._confirmed(f"Switch {port.port} {action.value}",
                                               describe_change(port, action)):
            return
        name = port.port

        def done(level: int | None) -> None:
            self.status.setText(f"{name} switched {action.value}; it reads {level} now.")
            self.show_ports(merge_levels(self.ports, {**{p.port: p.level for p in self.ports}, name: level}))

        title = f"Output {name} {action.value}"
        send = self.work.op(title, lambda _: drive_output(self.client, name, action))
        send.success(done).failure_in(self.status).run()

    def pulse(self) -> None:
        """Pulse the chosen output (on, hold, off) after confirmation; Cancel still switches it off."""
        port = self._chosen()
        seconds = self.pulse_seconds.value()
        if port is None or not self._confirmed(f"Pulse {port.port}", describe_change(port, None, seconds)):
            return
        name = port.port

        async def work(reporter: ProgressReporter) -> int | None:
            return await pulse_output(self.client, name, seconds, self.client.clock, reporter)

        def done(level: int | None) -> None:
            self.status.setText(f"{name} pulsed for {seconds} s; it reads {level} now.")

        self.work.op(f"Pulse {name}", work, stages=PULSE_STAGES).success(done).failure_in(self.status).run()
