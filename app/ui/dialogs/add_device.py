"""Add devices that mDNS cannot find: one host or IP[:port], or an IPv4 range / CIDR scan with progress."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import AppError
from app.core.progress import Progress, ProgressReporter

AddAddress = Callable[[str], Awaitable[str]]
"""add_address(text) -> a line saying what was found; raises AppError/ValueError with a readable message."""
ScanRange = Callable[[str, ProgressReporter], Awaitable[int]]
"""scan_range(text, reporter) -> number of devices found; reports probed addresses as progress."""

SCAN_STAGES = ("Scanning",)


class AddDeviceDialog(QDialog):
    """Two tabs: "Address" adds one device, "Range scan" probes a range with progress and Cancel."""

    def __init__(
        self,
        add_address: AddAddress,
        scan_range: ScanRange,
        *,
        address: str = "",
        scan: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._add_address = add_address
        self._scan_range = scan_range
        self._work: asyncio.Task[None] | None = None
        self._build_ui(address)
        self._connect_signals()
        self.tabs.setCurrentIndex(1 if scan else 0)

    def _build_ui(self, address: str) -> None:
        self.setWindowTitle("Add devices")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._address_tab(address), "&Address")
        self.tabs.addTab(self._scan_tab(), "&Range scan")
        layout.addWidget(self.tabs)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout.addWidget(self.buttons)

    def _address_tab(self, address: str) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.address = QLineEdit(address)
        self.address.setPlaceholderText("192.0.2.10, 192.0.2.10:8443 or sbc.example.local")
        self.add_button = QPushButton("Add")
        form.addRow(QLabel("For devices that don't announce themselves (e.g. AudioCodes SBCs)."))
        form.addRow("Host or IP[:port]:", self.address)
        form.addRow("", self.add_button)
        return tab

    def _scan_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.range_text = QLineEdit()
        self.range_text.setPlaceholderText("192.0.2.0/24 or 192.0.2.10-192.0.2.60")
        row = QHBoxLayout()
        self.scan_button = QPushButton("Start scan")
        self.cancel_button = QPushButton("Cancel scan")
        self.cancel_button.setEnabled(False)
        row.addWidget(self.scan_button)
        row.addWidget(self.cancel_button)
        form.addRow(QLabel("Probes every address on the vendors' ports with a short timeout."))
        form.addRow("IPv4 range or CIDR:", self.range_text)
        form.addRow("", row)
        return tab

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.add_button.clicked.connect(self.start_add)
        self.address.returnPressed.connect(self.start_add)
        self.scan_button.clicked.connect(self.start_scan)
        self.range_text.returnPressed.connect(self.start_scan)
        self.cancel_button.clicked.connect(self.cancel_work)

    @property
    def busy(self) -> bool:
        """True while an add or a scan is running."""
        return self._work is not None and not self._work.done()

    def start_add(self) -> None:
        """Look up the typed address."""
        text = self.address.text().strip()
        if text and not self.busy:
            self._start(self._run_add(text), "Contacting " + text + "…", known_total=False)

    def start_scan(self) -> None:
        """Scan the typed range."""
        text = self.range_text.text().strip()
        if text and not self.busy:
            self._start(self._run_scan(text), "Scanning " + text + "…", known_total=True)

    def cancel_work(self) -> None:
        """Stop the running add or scan; devices already found stay in the list."""
        if self._work is not None:
            self._work.cancel()

    def reject(self) -> None:
        """Closing the dialog cancels its work."""
        self.cancel_work()
        super().reject()

    def _start(self, work: Awaitable[None], message: str, *, known_total: bool) -> None:
        self.status.setText(message)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0 if not known_total else 1)
        self.progress.setValue(0)
        self._set_busy(True)
        self._work = asyncio.ensure_future(work)
        self._work.add_done_callback(self._finished)

    async def _run_add(self, text: str) -> None:
        try:
            self.status.setText(await self._add_address(text))
        except (AppError, ValueError) as err:
            self.status.setText(f"Could not add {text}: {err}")

    async def _run_scan(self, text: str) -> None:
        reporter = ProgressReporter(SCAN_STAGES, self._show_progress)
        try:
            found = await self._scan_range(text, reporter)
        except (AppError, ValueError) as err:
            self.status.setText(f"Scan of {text} failed: {err}")
            return
        self.status.setText(f"Scan finished: {found} device(s) found in {text}.")

    def _show_progress(self, progress: Progress) -> None:
        if progress.total:
            self.progress.setRange(0, progress.total)
            self.progress.setValue(progress.done)
            self.status.setText(f"Probed {progress.done} of {progress.total} addresses. {progress.message}")

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._set_busy(False)
        self.progress.setVisible(False)
        if task.cancelled():
            self.status.setText("Cancelled. Devices found so far stay in the list.")
            return
        error = task.exception()
        if error is not None:
            raise error  # an unexpected failure: the loop's error sink shows and logs it

    def _set_busy(self, busy: bool) -> None:
        self.add_button.setEnabled(not busy)
        self.scan_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
