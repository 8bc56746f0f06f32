"""What every tab of the Mediant panel shares: level gating and the busy/retry bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.ui.plain_text import escaped, rich
from app.vendors.audiocodes.permissions import Action, UserLevel, permission


class BusyBar(QWidget):
    """Shown when the device answered 409 (busy, e.g. HA synchronisation): the reason and a Retry button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audiocodesBusyBar")
        self.setStyleSheet("#audiocodesBusyBar { background: #fff4ce; border: 1px solid #e0b000; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = rich(QLabel())
        self.label.setWordWrap(True)
        self.retry_button = QPushButton("Retry")
        self.dismiss_button = QPushButton("Dismiss")
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry_button)
        layout.addWidget(self.dismiss_button)
        self.dismiss_button.clicked.connect(self.hide)
        self.retry_button.clicked.connect(self._retry)
        self._again: Callable[[], None] | None = None
        self.hide()

    def offer(self, title: str, message: str, again: Callable[[], None]) -> None:
        """Show why `title` could not run now, and retry it on request."""
        self.label.setText(
            f"<b>{escaped(title)}</b>: the device is busy and refused it for now. {escaped(message)}"
        )
        self._again = again
        self.show()

    def _retry(self) -> None:
        self.hide()
        if self._again is not None:
            self._again()


class LevelGate(QObject):
    """Offers widgets only while the logged-in user's level allows their action; otherwise says why."""

    level_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.level = UserLevel.MONITOR
        self._gated: list[tuple[QWidget, Action]] = []

    def gate(self, widget: QWidget, action: Action) -> None:
        """Offer `widget` only while the user's level allows `action`; otherwise its tooltip says why."""
        self._gated.append((widget, action))
        self._apply(widget, action)

    def allows(self, action: Action) -> bool:
        """True when the logged-in user's level allows `action`."""
        return permission(self.level, action).allowed

    def set_level(self, level: UserLevel) -> None:
        """The user's level became known: re-gate every registered widget."""
        self.level = level
        for widget, action in self._gated:
            self._apply(widget, action)
        self.level_changed.emit()

    def _apply(self, widget: QWidget, action: Action) -> None:
        allowed = permission(self.level, action)
        widget.setEnabled(allowed.allowed)
        widget.setToolTip("" if allowed.allowed else allowed.reason)


class LevelNotice(QLabel):
    """A line at the top of a tab saying which level is needed when the user's level falls short."""

    def __init__(self, levels: LevelGate, action: Action, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("background: #eef3fb; padding: 6px;")
        self.hide()
        levels.level_changed.connect(lambda: self._update(levels, action))

    def _update(self, levels: LevelGate, action: Action) -> None:
        allowed = permission(levels.level, action)
        self.setText(allowed.reason)
        self.setVisible(not allowed.allowed)


def mac_with_colons(raw: str) -> str:
    """A MAC as the device writes it ("00908f100002") in the usual aa:bb:cc:dd:ee:ff form."""
    compact = raw.replace(":", "").replace("-", "").lower()
    return ":".join(compact[i : i + 2] for i in range(0, 12, 2)) if len(compact) == 12 else raw
