"""Guides a forgotten-password recovery: what to do now, the time left, Cancel; the work is the vendor's."""

from __future__ import annotations

import asyncio

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.core.errors import AppError
from app.vendors.base import PasswordRecovery, RecoveryProgress

INTRO = (
    "The network board of this device can be put back to its factory settings without a password, "
    "but only in the first seconds after it starts. This also resets its network settings and "
    "name; its detection settings are kept. Afterwards log in with the factory password (see the "
    "device's manual): the app then asks for a new one."
)


class PasswordRecoveryDialog(QDialog):
    """Runs `recover` while shown: the step to do, a countdown, Cancel (which stops the watch at once)."""

    def __init__(self, device_label: str, recover: PasswordRecovery, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recover = recover
        self.succeeded = False
        self._task: asyncio.Task[None] | None = None
        self._build_ui(device_label)
        self.buttons.rejected.connect(self.reject)

    def _build_ui(self, device_label: str) -> None:
        self.setWindowTitle(f"Recover the password of {device_label}")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.step = QLabel("Starting…")
        self.step.setObjectName("recoveryStep")
        self.step.setWordWrap(True)
        self.step.setStyleSheet("font-weight: bold;")
        self.countdown = QProgressBar()
        self.countdown.setRange(0, 0)  # busy until the first step says how long the watch lasts
        self.countdown.setTextVisible(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        for widget in (intro, self.step, self.countdown, self.buttons):
            layout.addWidget(widget)

    def start(self) -> asyncio.Task[None]:
        """Show the dialog and start watching the device."""
        self.open()
        self._task = asyncio.ensure_future(self._run())
        return self._task

    async def _run(self) -> None:
        try:
            await self.recover(self.show_progress)
        except AppError as err:
            self.step.setText(f"Nothing was reset: {err}")
            self._finished_text("Close")
            return
        self.succeeded = True
        self._finished_text("Close")

    def show_progress(self, progress: RecoveryProgress) -> None:
        """Show the step to do now and the seconds left before the app stops watching."""
        self.step.setText(progress.text)
        left = round(progress.seconds_left)
        if self.countdown.maximum() == 0:
            self.countdown.setRange(0, max(left, 1))
        self.countdown.setValue(min(left, self.countdown.maximum()))
        self.countdown.setFormat("Done" if progress.done else f"{left} s left to watch for the restart")

    def _finished_text(self, text: str) -> None:
        self.buttons.clear()
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close).setText(text)

    def reject(self) -> None:
        """Cancel: stop watching at once (nothing more is sent) and close."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  (Qt API)
        """Closing is cancelling."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        super().closeEvent(event)
