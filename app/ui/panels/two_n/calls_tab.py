"""The Calls tab: SIP registration of each account, a test call from the intercom, and the call log."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import DeviceError
from app.ui.panel_work import PanelWork
from app.ui.panels.two_n.common import status_label
from app.vendors.two_n.call_models import CallLogEntry, CallState, SipAccount
from app.vendors.two_n.call_test import PhoneOverview, read_phone, registration_problems, watch_call
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.models import LogEvent

log = logging.getLogger(__name__)

#: Seconds a hang-up may take when the panel closes during a test call.
HANGUP_ON_CLOSE_TIMEOUT = 5.0


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            table.setItem(row, column, QTableWidgetItem(value))


class CallsTab(QWidget):
    """Registration per SIP account, a test call to a typed number with its live state, the call log."""

    def __init__(self, work: PanelWork, client: TwoNClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.session: int | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        registration = QGroupBox("SIP registration")
        box = QVBoxLayout(registration)
        self.accounts = _table(["Account", "SIP number", "Enabled", "Registration", "State"])
        self.registration_summary = status_label("Not read yet.")
        self.refresh_button = QPushButton("Refresh")
        box.addWidget(self.accounts)
        row = QHBoxLayout()
        row.addWidget(self.registration_summary, 1)
        row.addWidget(self.refresh_button)
        box.addLayout(row)
        layout.addWidget(registration, 1)
        layout.addWidget(self._build_call_box())
        history = QGroupBox("Call log (newest first)")
        QVBoxLayout(history).addWidget(call_log := _table(["Date (UTC)", "Type", "Name", "Duration"]))
        self.call_log = call_log
        layout.addWidget(history, 2)
        self.status = status_label()
        layout.addWidget(self.status)

    def _build_call_box(self) -> QGroupBox:
        box = QGroupBox("Test call")
        row = QHBoxLayout(box)
        self.number = QLineEdit()
        self.number.setPlaceholderText("number or sip:user@host")
        self.number.setAccessibleName("Number to call")
        self.call_button = QPushButton("Call")
        self.hangup_button = QPushButton("Hang up")
        self.hangup_button.setEnabled(False)
        self.call_state = QLabel("No call.")
        self.call_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(QLabel("Number"))
        row.addWidget(self.number, 1)
        row.addWidget(self.call_button)
        row.addWidget(self.hangup_button)
        row.addWidget(self.call_state, 1)
        return box

    def _connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self.load)
        self.call_button.clicked.connect(self.call)
        self.number.returnPressed.connect(self.call)
        self.hangup_button.clicked.connect(self.hangup)

    def load(self) -> None:
        """Read the SIP accounts and the call log."""
        read = self.work.op("Reading SIP accounts and call log", lambda _: read_phone(self.client))
        read.in_background().success(self._show).failure_in(self.status).run()

    def _show(self, overview: PhoneOverview) -> None:
        self.show_accounts(overview.accounts)
        self.show_call_log(overview.call_log)

    def show_accounts(self, accounts: tuple[SipAccount, ...]) -> None:
        """Fill the registration table and say whether the intercom can be reached."""
        _fill(self.accounts, [
            (str(a.account), a.sip_number, "yes" if a.enabled else "no",
             "on" if a.registration_enabled else "off", a.verdict) for a in accounts])
        problems = registration_problems(accounts)
        self.registration_summary.setText(
            " ".join(problems) or "Every SIP account that should register is registered.")

    def show_call_log(self, entries: tuple[CallLogEntry, ...]) -> None:
        """Fill the call log table."""
        _fill(self.call_log, [
            (f"{e.date:%Y-%m-%d %H:%M:%S}" if e.date else "", e.call_type, e.name,
             f"{e.duration} s" if e.duration is not None else "") for e in entries])

    def call(self) -> None:
        """Dial the typed number and follow the call's state until it ends."""
        number = self.number.text().strip()
        if not number:
            self.status.setText("Type a number or SIP URI to call.")
            return
        if self.session is not None:
            self.status.setText("A test call is still live: hang it up first.")
            return
        self.call_button.setEnabled(False)
        self.call_state.setText(f"Call to {number}: dialling")
        test = self.work.op(f"Test call to {number}", lambda _: self._run_call(number))

        def failed(error: Exception) -> None:
            self.status.setText(f"{test.title} failed: {error}")
            self._ended()

        test.success(lambda _: self._ended()).failure(failed).run()

    async def _run_call(self, number: str) -> CallState:
        self.session = await self.client.dial(number)
        self.hangup_button.setEnabled(True)
        try:
            return await watch_call(self.client, self.session, lambda s: self._show_state(number, s),
                                    self.client.clock)
        except asyncio.CancelledError:
            await self._hang_up_on_close(self.session)
            raise

    async def _hang_up_on_close(self, session: int) -> None:
        """The panel closed during the call: do not leave the intercom calling."""
        try:
            await asyncio.wait_for(self.client.hangup(session), HANGUP_ON_CLOSE_TIMEOUT)
        except (DeviceError, TimeoutError) as err:
            log.warning("Could not hang up call %s on close: %s", session, err)

    def _show_state(self, number: str, state: CallState) -> None:
        self.call_state.setText(f"Call to {number}: {state.value}")

    def _ended(self) -> None:
        self.session = None
        self.call_button.setEnabled(True)
        self.hangup_button.setEnabled(False)
        self.load()

    def hangup(self) -> None:
        """Hang up the live test call; its state then shows "ended"."""
        session = self.session
        if session is None:
            return
        send = self.work.op("Hang up", lambda _: self.client.hangup(session)).in_background()
        send.success(lambda _: self.status.setText("Hang-up sent.")).failure_in(self.status).run()

    def on_event(self, event: LogEvent) -> None:
        """Re-read the accounts when a registration changes."""
        if event.event == "RegistrationStateChanged":
            self.load()
