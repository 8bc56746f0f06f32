"""The technician's side of opening a device: each question of a connection as a non-modal dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QWidget

from app.site.prompts import CleartextQuestion, CredentialAnswer, CredentialQuestion, TrustQuestion
from app.ui.dialogs import ask
from app.ui.dialogs.certificate import CertificateDialog
from app.ui.dialogs.cleartext import CleartextDialog
from app.ui.dialogs.credentials import CredentialDialog

Shown = Callable[[QDialog], None]
"""shown(dialog): a question's dialog is on screen (tests and the self-test answer through it)."""


class DialogPrompts:
    """DevicePrompts answered in dialogs over `parent`; `kept()` says where remembered passwords go."""

    def __init__(self, parent: QWidget, kept: Callable[[], str], shown: Shown) -> None:
        self._parent = parent
        self._kept = kept
        self._shown = shown

    async def decide_trust(self, question: TrustQuestion) -> bool:
        """Ask whether to trust the certificate presented (a warning when it changed)."""
        dialog = CertificateDialog(
            question.device_label, question.certificate, trusted_fingerprint=question.trusted_fingerprint,
            pinned_to=question.pinned_to, parent=self._parent,
        )
        self._shown(dialog)
        return await ask(dialog) == CertificateDialog.DialogCode.Accepted

    async def ask_credentials(self, question: CredentialQuestion) -> CredentialAnswer | None:
        """Ask for a username and password; None when the technician cancelled."""
        dialog = CredentialDialog(
            question.device_label, username=question.username, reason=question.reason,
            kept=self._kept(), cleartext=question.cleartext, recover=question.recover, parent=self._parent,
        )
        self._shown(dialog)
        if await ask(dialog) != CredentialDialog.DialogCode.Accepted:
            return None
        return dialog.answer()

    async def allow_cleartext(self, question: CleartextQuestion) -> bool:
        """Ask whether this one device may be logged in to over unencrypted HTTP."""
        dialog = CleartextDialog(question.device_label, question.endpoint, parent=self._parent)
        self._shown(dialog)
        return await ask(dialog) == CleartextDialog.DialogCode.Accepted
