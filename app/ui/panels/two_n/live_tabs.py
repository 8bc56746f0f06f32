"""Door/switch test with live state, the live event log, and camera snapshots."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.panel_work import PanelWork
from app.ui.panels.two_n.common import status_label
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.models import IoPort, LogEvent, SwitchAction, SwitchCaps, SwitchState
from app.vendors.two_n.panel_reads import SwitchSetup, SwitchStates, read_switch_setup, read_switch_states

EVENT_LOG_LINES = 2000
SWITCH_EVENTS = frozenset({"SwitchStateChanged", "SwitchOperationChanged", "OutputChanged", "InputChanged"})


class DoorTab(QWidget):
    """Switches with live state (refreshed on switch events) and the door test; I/O port states."""

    def __init__(self, work: PanelWork, client: TwoNClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.caps: dict[int, SwitchCaps] = {}
        self.port_kinds: dict[str, str] = {}
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(["Switch", "Mode", "State", "Locked", "Held", "Hold left"])
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 2)
        controls = QHBoxLayout()
        self.switch_box = QComboBox()
        self.switch_box.setAccessibleName("Switch")
        controls.addWidget(QLabel("Switch"))
        controls.addWidget(self.switch_box)
        self.door_button = QPushButton("Test door (trigger)")
        self.door_button.setDefault(True)
        controls.addWidget(self.door_button)
        self.action_buttons: dict[SwitchAction, QPushButton] = {}
        for action in (SwitchAction.ON, SwitchAction.OFF, SwitchAction.LOCK, SwitchAction.UNLOCK,
                       SwitchAction.HOLD, SwitchAction.RELEASE):
            button = QPushButton(action.value.capitalize())
            button.clicked.connect(lambda _=False, a=action: self.control(a))
            self.action_buttons[action] = button
            controls.addWidget(button)
        layout.addLayout(controls)
        self.ports = QTableWidget(0, 3)
        self.ports.setHorizontalHeaderLabels(["Port", "Type", "State"])
        self.ports.verticalHeader().setVisible(False)
        layout.addWidget(self.ports, 1)
        self.status = status_label()
        layout.addWidget(self.status)
        self.door_button.clicked.connect(lambda: self.control(SwitchAction.TRIGGER))

    def load(self) -> None:
        """Read switch caps, states and I/O ports."""
        read = self.work.op("Reading switches", lambda _: read_switch_setup(self.client)).in_background()
        read.success(self._show_setup).failure_in(self.status).run()

    def _show_setup(self, setup: SwitchSetup) -> None:
        self.caps = {c.switch: c for c in setup.caps}
        self.switch_box.clear()
        for cap in setup.caps:
            if cap.enabled:
                label = f"{cap.switch} ({cap.mode.value}, {cap.type or 'normal'})"
                self.switch_box.addItem(label, cap.switch)
        self.port_kinds = setup.port_kinds
        self.show_states(setup.states)

    def refresh_states(self) -> None:
        """Read switch and port states into the tables."""
        read = self.work.op("Reading switches", lambda _: read_switch_states(self.client)).in_background()
        read.success(self.show_states).failure_in(self.status).run()

    def show_states(self, states: SwitchStates) -> None:
        """Fill both tables."""
        self.show_switches(states.switches)
        self.show_ports(states.ports)

    def show_switches(self, states: tuple[SwitchState, ...]) -> None:
        """Fill the switch table."""
        self.table.setRowCount(len(states))
        for row, state in enumerate(states):
            cap = self.caps.get(state.switch)
            enabled = cap is not None and cap.enabled
            mode = cap.mode.value if cap and enabled else "disabled"
            held_left = f"{state.hold_timeout} s" if state.hold_timeout is not None else ""
            values = (str(state.switch), mode, "ACTIVE" if state.active else "inactive",
                      "yes" if state.locked else "", "yes" if state.held else "", held_left)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                if column == 2 and state.active:
                    item.setBackground(Qt.GlobalColor.green)
                self.table.setItem(row, column, item)

    def show_ports(self, ports: tuple[IoPort, ...]) -> None:
        """Fill the I/O table."""
        self.ports.setRowCount(len(ports))
        for row, port in enumerate(ports):
            for column, value in enumerate((port.port, self.port_kinds.get(port.port, ""), str(port.state))):
                self.ports.setItem(row, column, QTableWidgetItem(value))

    def control(self, action: SwitchAction) -> None:
        """Send `action` to the selected switch, then re-read the states."""
        switch = self.switch_box.currentData()
        if not isinstance(switch, int):
            self.status.setText("No enabled switch on this intercom.")
            return

        async def run() -> SwitchStates:
            await self.client.switch_control(switch, action)
            return await read_switch_states(self.client)

        def sent(states: SwitchStates) -> None:
            self.status.setText(f"Switch {switch}: {action.value} sent.")
            self.show_states(states)

        control = self.work.op(f"Switch {switch} {action.value}", lambda _: run()).in_background()
        control.success(sent).failure_in(self.status).run()

    def on_event(self, event: LogEvent) -> None:
        """Re-read the states when a switch or port changed."""
        if event.event in SWITCH_EVENTS:
            self.refresh_states()


class EventsTab(QWidget):
    """The live event log (bounded), stream status and the audio loop test."""

    def __init__(self, work: PanelWork, client: TwoNClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.stream_status = QLabel("Not listening yet.")
        self.audio_button = QPushButton("Run audio loop test")
        self.clear_button = QPushButton("Clear")
        top.addWidget(self.stream_status, 1)
        top.addWidget(self.audio_button)
        top.addWidget(self.clear_button)
        layout.addLayout(top)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(EVENT_LOG_LINES)
        self.log.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.log.setAccessibleName("Event log")
        layout.addWidget(self.log, 1)
        self.status = status_label()
        layout.addWidget(self.status)
        self.audio_button.clicked.connect(self.audio_test)
        self.clear_button.clicked.connect(self.log.clear)

    def on_event(self, event: LogEvent) -> None:
        """Append one event line."""
        stamp = datetime.fromtimestamp(event.utc_time + event.tz_shift * 60, UTC).strftime("%H:%M:%S")
        params = json.dumps(dict(event.params), separators=(", ", ": "))
        self.log.appendPlainText(f"{stamp}  #{event.id:<6} {event.event:<26} {params}")
        if event.event == "AudioLoopTest":
            self.status.setText(f"Audio loop test: {event.params.get('result', '?')}")

    def on_status(self, text: str) -> None:
        """Show the stream's state."""
        self.stream_status.setText(text)

    def audio_test(self) -> None:
        """Start the audio loop test; its result arrives as an AudioLoopTest event."""
        started = self.work.op("Audio test", lambda _: self.client.audio_test()).in_background()
        running = "Audio loop test running; the result appears in the log."
        started.success(lambda _: self.status.setText(running)).failure_in(self.status).run()
