"""The passphrase of the encrypted credential file, used where the OS offers no keyring.

Create mode asks twice and enforces the minimum length; unlock mode asks once. The dialog stays
open on a wrong passphrase and says so; declining keeps passwords for this session only. A forgotten
passphrase need not end saving: the old file is set aside (kept, not deleted) and a new one is created.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.backend.vault import KEYRING_UNAVAILABLE, MIN_PASSPHRASE_LENGTH
from app.core.errors import CredentialStoreError

Unlock = Callable[[str], Awaitable[None]]
"""unlock(passphrase): opens (or creates) the file; raises CredentialStoreError when it cannot."""
SetAside = Callable[[], str]
"""set_aside(): move the locked file out of the way (kept); returns where it now is, for the technician."""


class PassphraseDialog(QDialog):
    """Asks for the credential file's passphrase and tries it through `unlock`; accepted once it opened."""

    def __init__(
        self,
        unlock: Unlock,
        *,
        create: bool,
        set_aside: SetAside | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.creating = create
        self._unlock = unlock
        self._set_aside = set_aside
        self._work: asyncio.Task[None] | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow("&Passphrase:", self.passphrase)
        self.form.addRow("&Repeat:", self.repeat)
        layout.addLayout(self.form)
        self.problem = QLabel()
        self.problem.setObjectName("passphraseProblem")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.start_over_button = QPushButton("Forgot it? Start a new file (the old one is kept aside)")
        layout.addWidget(self.start_over_button)
        buttons = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        self.buttons = QDialogButtonBox(buttons)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Don't save passwords")
        layout.addWidget(self.buttons)
        self._show_mode()

    def _show_mode(self) -> None:
        """Texts and fields of create or unlock mode."""
        self.setWindowTitle("Choose a passphrase" if self.creating else "Unlock saved passwords")
        if self.creating:
            self.intro.setText(KEYRING_UNAVAILABLE)
        else:
            self.intro.setText(
                "This computer offers no keyring: saved device passwords are in a file encrypted with "
                "your passphrase. Enter it to use them."
            )
        self.form.setRowVisible(self.repeat, self.creating)
        self.start_over_button.setVisible(not self.creating and self._set_aside is not None)
        self.ok_button.setText("Create" if self.creating else "Unlock")

    def start_over(self) -> None:
        """Set the locked file aside and switch to choosing a passphrase for a new, empty file."""
        if self._set_aside is None or self.creating or self.busy:
            return
        try:
            kept = self._set_aside()
        except OSError as err:
            self.problem.setText(f"The old file could not be set aside: {err}")
            return
        self.creating = True
        self._show_mode()
        self.passphrase.clear()
        self.repeat.clear()
        self.passphrase.setFocus()
        self.problem.setText(
            f"The old file is kept as {kept}; its passwords return if you remember its passphrase. "
            "Choose a passphrase for the new file."
        )

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.try_passphrase)
        self.buttons.rejected.connect(self.reject)
        self.start_over_button.clicked.connect(self.start_over)
        self.passphrase.textChanged.connect(self._update_ok)
        self.repeat.textChanged.connect(self._update_ok)
        self._update_ok()

    def problem_text(self) -> str:
        """Why the typed passphrase cannot be used yet ("" when it can be tried)."""
        text = self.passphrase.text()
        if not self.creating:
            return ""
        if len(text) < MIN_PASSPHRASE_LENGTH:
            return f"At least {MIN_PASSPHRASE_LENGTH} characters."
        if text != self.repeat.text():
            return "The two entries differ."
        return ""

    def _update_ok(self) -> None:
        problem = self.problem_text()
        self.ok_button.setEnabled(bool(self.passphrase.text()) and not problem and not self.busy)
        if self.passphrase.text():
            self.problem.setText(problem)

    @property
    def busy(self) -> bool:
        """True while a passphrase is being tried (key derivation takes a moment)."""
        return self._work is not None and not self._work.done()

    def try_passphrase(self) -> None:
        """Try the typed passphrase; the dialog closes when it opened the file."""
        if self.busy or self.problem_text() or not self.passphrase.text():
            return
        self.problem.setText("Opening…")
        self._work = asyncio.ensure_future(self._try(self.passphrase.text()))
        self._update_ok()

    async def _try(self, passphrase: str) -> None:
        try:
            await self._unlock(passphrase)
        except CredentialStoreError as err:
            self.problem.setText(str(err))
            self.passphrase.clear()
            self.passphrase.setFocus()
            return
        finally:
            self._work = None
            self._update_ok()
        self.accept()

    def reject(self) -> None:
        """Declining (or closing) stops a running attempt."""
        if self._work is not None:
            self._work.cancel()
        super().reject()
