"""How an upload is shown on a 2N display: overlay or notification, and for a video how many plays; with the
document's reason whenever an option is unavailable."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.ui.panels.two_n.common import status_label
from app.vendors.two_n.display_video import video_supported

#: §5.9.2.1: "2N IP Verso can display images in either way, 2N IP Vario can only display notifications".
OVERLAY_REASON = ("Overlay unavailable: the 2N document (§5.9.2.1) says the 2N IP Vario can only show "
                  "notifications, which end after their time.")
VIDEO_REASON = ("Video unavailable: the 2N document (§5.9.2) offers video on the display (blob-video) "
                "for the 2N IP Verso only.")


class ShowOptions(QGroupBox):
    """Overlay / notification for N s / at most N plays (video), the upload and remove buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Show on the display", parent)
        self._build_ui()
        self.video_mode(False)

    def _build_ui(self) -> None:
        column = QVBoxLayout(self)
        row = QHBoxLayout()
        self.overlay_radio = QRadioButton("Overlay (stays until removed)")
        self.notification_radio = QRadioButton("Notification for")
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.overlay_radio)
        self.mode_group.addButton(self.notification_radio)
        self.overlay_radio.setChecked(True)
        self.duration = QSpinBox()
        self.duration.setRange(1, 3600)
        self.duration.setValue(30)
        self.duration.setSuffix(" s")
        self.repeat_check = QCheckBox("Stop after")
        self.repeat = QSpinBox()
        self.repeat.setRange(1, 1000)
        self.repeat.setValue(3)
        self.repeat.setSuffix(" plays")
        self.repeat.setAccessibleName("Video plays")
        self.upload_button = QPushButton("Upload to display")
        self.remove_button = QPushButton("Remove from display")
        self.upload_button.setEnabled(False)
        for widget in (self.overlay_radio, self.notification_radio, self.duration, self.repeat_check,
                       self.repeat):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.upload_button)
        row.addWidget(self.remove_button)
        column.addLayout(row)
        self.limits = status_label()
        self.limits.setVisible(False)
        column.addWidget(self.limits)

    def video_mode(self, video: bool) -> None:
        """Offer the play count only for a video (§5.9.2: `repeat` applies to video only)."""
        self.repeat_check.setEnabled(video)
        self.repeat.setEnabled(video)

    def set_model(self, variant: str) -> list[str]:
        """Disable what the document rules out for `variant`; the reasons are shown and returned."""
        reasons = []
        if "Vario" in variant:
            self.overlay_radio.setEnabled(False)
            self.overlay_radio.setToolTip(OVERLAY_REASON)
            self.notification_radio.setChecked(True)
            reasons.append(OVERLAY_REASON)
        if not video_supported(variant):
            reasons.append(VIDEO_REASON)
        self.limits.setText("\n".join(reasons))
        self.limits.setVisible(bool(reasons))
        return reasons

    @property
    def duration_ms(self) -> int | None:
        """The notification time in ms, or None for an overlay."""
        return self.duration.value() * 1000 if self.notification_radio.isChecked() else None

    @property
    def plays(self) -> int | None:
        """How many times a video plays before it ends, or None (loops until the time ends or forever)."""
        chosen = self.repeat_check.isChecked() and self.repeat_check.isEnabled()
        return self.repeat.value() if chosen else None

    def describe(self, video: bool) -> str:
        """How the upload will be shown, in words."""
        duration, plays = self.duration_ms, self.plays if video else None
        if duration is None and plays is None:
            return "an overlay that loops until removed" if video else "an overlay"
        if plays is None:
            return f"a notification for {self.duration.value()} s"
        if duration is None:
            return f"a notification of {plays} plays"
        return f"a notification of {plays} plays or {self.duration.value()} s, whichever ends first"
