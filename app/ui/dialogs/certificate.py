"""The certificate trust prompt: first contact (trust or not) and a changed certificate (a warning)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.certificates import CertificateDetails
from app.ui.plain_text import escaped, rich


def _fingerprint_lines(fingerprint: str) -> str:
    """SHA-256 fingerprint on two lines of 16 bytes, easy to compare against a device's web page."""
    parts = fingerprint.split(":")
    return ":".join(parts[:16]) + "\n" + ":".join(parts[16:]) if len(parts) > 16 else fingerprint


class CertificateDialog(QDialog):
    """Shows a certificate's subject, issuer, validity and SHA-256 fingerprint; accepted means "trust it".

    With `trusted_fingerprint` the device presented a different certificate than the pinned one: the
    dialog warns, shows old and new fingerprints, and "Keep blocking" is the default.
    """

    def __init__(
        self,
        device_label: str,
        details: CertificateDetails,
        *,
        trusted_fingerprint: str | None = None,
        pinned_to: tuple[str, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.details = details
        self.changed = trusted_fingerprint is not None
        self.pinned_to = pinned_to
        self._build_ui(device_label, details, trusted_fingerprint)

    def _build_ui(self, device_label: str, details: CertificateDetails, old: str | None) -> None:
        self.setWindowTitle("Certificate changed" if self.changed else "Trust this device's certificate?")
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        self.headline = rich(QLabel(self._headline(escaped(device_label))))
        self.headline.setWordWrap(True)
        self.headline.setObjectName("certificateWarning" if self.changed else "certificateQuestion")
        layout.addWidget(self.headline)
        self.pinned_elsewhere = QLabel(self._pinned_elsewhere_text())
        self.pinned_elsewhere.setTextFormat(Qt.TextFormat.PlainText)
        self.pinned_elsewhere.setWordWrap(True)
        self.pinned_elsewhere.setObjectName("certificateWarning")
        self.pinned_elsewhere.setVisible(bool(self.pinned_to))
        layout.addWidget(self.pinned_elsewhere)
        form = QFormLayout()
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        if old is not None:
            self.old_fingerprint = self._selectable(_fingerprint_lines(old), mono)
            form.addRow("Trusted until now (SHA-256):", self.old_fingerprint)
        self.fingerprint = self._selectable(_fingerprint_lines(details.fingerprint), mono)
        form.addRow("Presented now (SHA-256):" if self.changed else "SHA-256 fingerprint:", self.fingerprint)
        form.addRow("Subject:", self._selectable(details.subject))
        form.addRow("Issuer:", self._selectable(details.issuer))
        validity = f"{details.not_before:%Y-%m-%d} to {details.not_after:%Y-%m-%d}"
        form.addRow("Valid:", self._selectable(validity))
        layout.addLayout(form)
        if details.self_signed:
            note = QLabel(
                "This certificate is self-signed, as devices ship from the factory. Compare the fingerprint "
                "with the one on the device's own web page or label before trusting it."
            )
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self._buttons())
        # Enter (or a stray key press) never trusts, first contact or changed: the technician clicks Trust
        # after comparing the fingerprint. The default is set once the buttons belong to the dialog, and
        # "trust" does not become the default when it happens to have the focus.
        self.reject_button.setDefault(True)
        self.trust_button.setAutoDefault(False)

    def _headline(self, device_label: str) -> str:
        """The headline in the app's markup; `device_label` arrives escaped."""
        if self.changed:
            return (
                f"<b>The certificate of {device_label} has CHANGED.</b><br>Nothing more has been sent to "
                "the device. This is expected after a factory reset or a certificate renewal; otherwise "
                "another machine may be answering in its place. Trust the new certificate only if you know "
                "why it changed."
            )
        return (
            f"<b>{device_label} presents a certificate this laptop has not seen before.</b><br>Nothing has "
            "been sent to it. Trusting pins this exact certificate to the device's serial number."
        )

    def _pinned_elsewhere_text(self) -> str:
        if not self.pinned_to:
            return ""
        return (
            f"This exact certificate is already trusted for another device: {', '.join(self.pinned_to)}. "
            "Each device has its own certificate; a copy here may mean another machine is posing as that "
            "device."
        )

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        accept_text = "Trust the new certificate" if self.changed else "Trust this certificate"
        reject_text = "Keep blocking" if self.changed else "Don't trust"
        self.trust_button = QPushButton(accept_text)
        self.reject_button = QPushButton(reject_text)
        buttons.addButton(self.trust_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.reject_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        return buttons

    @staticmethod
    def _selectable(text: str, font: object | None = None) -> QLabel:
        label = QLabel(text)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        if font is not None:
            label.setFont(font)  # type: ignore[arg-type]
        return label
