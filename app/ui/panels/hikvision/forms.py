"""The panel's input tabs: registering devices by label, and handing the site over to the customer."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.panels.hikvision.handover_chooser import HandoverChooser
from app.ui.panels.hikvision.widgets import WordsList

LABEL_HINT = (
    "One device per line: serial number and verification code from the label, e.g.\n"
    "Q01728482 ABCDEF\nSeparators may be spaces, tabs, commas or semicolons; pasted label text works too."
)


class RegisterForm(QWidget):
    """Serials and verification codes typed or pasted in bulk, and the result per device."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.labels = QPlainTextEdit()
        self.labels.setPlaceholderText(LABEL_HINT)
        self.labels.setAccessibleName("Serial numbers and verification codes")
        self.register_button = QPushButton("Register to this site")
        self.outcomes = WordsList()
        self.outcomes.setAccessibleName("Registration results")
        for widget in (self.labels, self.register_button, QLabel("Result per device:"), self.outcomes):
            layout.addWidget(widget)
        layout.setStretchFactor(self.labels, 1)
        layout.setStretchFactor(self.outcomes, 1)


class HandoverForm(QWidget):
    """The customer's Hik-Connect account (email or phone) and the hand-over state per customer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Tick the devices and permissions the customer gets (only what each kind of device can "
            "share is offered); you keep the devices in your account."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.account = QLineEdit()
        self.account.setPlaceholderText("The customer's Hik-Connect email address or phone number")
        self.account.setAccessibleName("Customer account")
        self.by_email = QRadioButton("Email")
        self.by_phone = QRadioButton("Phone number")
        self.by_email.setChecked(True)
        kind = QButtonGroup(self)
        kind.addButton(self.by_email)
        kind.addButton(self.by_phone)
        row = QHBoxLayout()
        row.addWidget(self.account, 1)
        row.addWidget(self.by_email)
        row.addWidget(self.by_phone)
        layout.addLayout(row)
        self.chooser = HandoverChooser()
        layout.addWidget(self.chooser, 1)
        self.handover_button = QPushButton("Hand the site over to the customer")
        self.cancel_button = QPushButton("Cancel the hand-over…")
        self.customers = WordsList()
        self.customers.setAccessibleName("Customers of the site")
        buttons = QHBoxLayout()
        buttons.addWidget(self.handover_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        layout.addWidget(self.customers, 1)
