"""The restart question: what a restart does (naming an HA pair), save first, and when to restart."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.vendors.audiocodes.models import DeviceStatus
from app.vendors.audiocodes.safe_maintenance import WHEN_CALLS_END, restart_warning

#: The timing choices and their gracefulTimeout (document section 6, Reset Device).
RESTART_TIMING = (
    ("Now (calls in progress are dropped)", 0),
    ("When every call has ended", WHEN_CALLS_END),
    ("When calls end, but within 10 minutes", 600),
)


class RestartDialog(QDialog):
    """Asks before a restart; `save` and `graceful_timeout` hold the answer once accepted."""

    def __init__(self, status: DeviceStatus | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restart the device")
        layout = QVBoxLayout(self)
        self.warning = QLabel(restart_warning(status, "Restarting"))
        self.warning.setWordWrap(True)
        self.save_first = QCheckBox("Save the configuration first")
        self.save_first.setChecked(True)
        self.when = QComboBox()
        for text, graceful in RESTART_TIMING:
            self.when.addItem(text, graceful)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        for widget in (self.warning, self.save_first, QLabel("Restart:"), self.when, buttons):
            layout.addWidget(widget)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    @property
    def save(self) -> bool:
        """Save the configuration before the reset."""
        return self.save_first.isChecked()

    @property
    def graceful_timeout(self) -> int:
        """The reset's gracefulTimeout: 0 now, 1 when calls end, else the longest wait in seconds."""
        return int(self.when.currentData())
