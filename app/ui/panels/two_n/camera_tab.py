"""Camera tab: a snapshot, and a live view for aiming the camera (the document's multipart push stream),
running only while the tab is shown, with the frame rate that actually arrives."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.ui.panels.two_n.common import pixmap_from_bytes, status_label
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.mjpeg import FpsMeter
from app.vendors.two_n.models import CameraCaps

#: The picture is redrawn at most this often; frames arriving in between replace each other.
REPAINT_MS = 66
DEFAULT_LIVE_FPS = 5
#: For aiming a handful of frames a second is plenty; the document sets no upper limit.
MAX_LIVE_FPS = 15


class CameraTab(QWidget):
    """Snapshot at a resolution the camera offers; live view while the tab is shown (paused when hidden)."""

    def __init__(self, work: PanelWork, client: TwoNClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.picture = QPixmap()
        self.meter = FpsMeter()
        self.frames = 0
        self.stream_task: asyncio.Task[None] | None = None
        self._latest: bytes | None = None
        self._asked_fps = DEFAULT_LIVE_FPS
        self._timer = QTimer(self)
        self._timer.setInterval(REPAINT_MS)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.resolution_box = QComboBox()
        self.resolution_box.setAccessibleName("Snapshot resolution")
        self.source_box = QComboBox()
        self.source_box.setAccessibleName("Camera source")
        self.snapshot_button = QPushButton("Take snapshot")
        self.live_button = QPushButton("Live view")
        self.live_button.setCheckable(True)
        self.fps_box = QSpinBox()
        self.fps_box.setRange(1, MAX_LIVE_FPS)
        self.fps_box.setValue(DEFAULT_LIVE_FPS)
        self.fps_box.setSuffix(" fps")
        self.fps_box.setAccessibleName("Live frame rate")
        for widget in (QLabel("Resolution"), self.resolution_box, QLabel("Source"), self.source_box,
                       self.snapshot_button, self.live_button, self.fps_box):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        self.image = QLabel("No snapshot yet.")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.image.setMinimumSize(160, 120)
        layout.addWidget(self.image, 1)
        self.live = QLabel("Live view off.")
        layout.addWidget(self.live)
        self.status = status_label()
        layout.addWidget(self.status)

    def _connect_signals(self) -> None:
        self.snapshot_button.clicked.connect(self.snapshot)
        self.live_button.toggled.connect(self._live_toggled)
        self._timer.timeout.connect(self.repaint_frame)
        for box in (self.resolution_box, self.source_box):
            box.currentIndexChanged.connect(lambda _=0: self._restart_live())
        self.fps_box.valueChanged.connect(lambda _=0: self._restart_live())

    def load(self) -> None:
        """Read the camera caps."""
        read = self.work.op("Reading camera", lambda _: self.client.camera_caps()).in_background()
        read.success(self._show_caps).failure_in(self.status).run()

    def _show_caps(self, caps: CameraCaps) -> None:
        for box in (self.resolution_box, self.source_box):
            box.blockSignals(True)
        self.resolution_box.clear()
        for width, height in caps.resolutions:
            self.resolution_box.addItem(f"{width} × {height}", (width, height))
        self.resolution_box.setCurrentIndex(max(self.resolution_box.findText("640 × 480"), 0))
        self.source_box.clear()
        self.source_box.addItems(list(caps.sources))
        for box in (self.resolution_box, self.source_box):
            box.blockSignals(False)
        self._restart_live()

    def _size(self) -> tuple[int, int] | None:
        size = self.resolution_box.currentData()
        return size if isinstance(size, tuple) else None

    def _show_picture(self, jpeg: bytes) -> None:
        self.picture = pixmap_from_bytes(jpeg)
        self._fit_picture()

    def _fit_picture(self) -> None:
        """The picture as large as the tab allows, never enlarged past its own pixels."""
        if self.picture.isNull():
            return
        box = self.image.size().boundedTo(self.picture.size())
        self.image.setPixmap(self.picture.scaled(box, Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802  (Qt API)
        """Refit the picture to the new size."""
        super().resizeEvent(event)
        self._fit_picture()

    def snapshot(self) -> None:
        """Take one snapshot."""
        size = self._size()
        if size is None:
            return
        source = self.source_box.currentText() or None

        def show(jpeg: bytes) -> None:
            self._show_picture(jpeg)
            self.status.setText(f"Snapshot {size[0]} × {size[1]} at {datetime.now(UTC):%H:%M:%S} UTC.")

        take = self.work.op("Snapshot", lambda _: self.client.snapshot(size[0], size[1], source))
        take.in_background().success(show).failure_in(self.status).run()

    # -- live view ---------------------------------------------------------------------------

    def _live_toggled(self, on: bool) -> None:
        if on:
            self.start_live()
        else:
            self.stop_live("Live view off.")

    def start_live(self) -> None:
        """Open the camera's push stream at the chosen size, source and rate (only while shown)."""
        size = self._size()
        if size is None or not self.isVisible() or self.work.closed:
            return
        if self.stream_task is not None and not self.stream_task.done():
            return
        width, height = size
        fps, source = self.fps_box.value(), self.source_box.currentText() or None
        self._asked_fps, self.meter, self.frames, self._latest = fps, FpsMeter(), 0, None
        self.live.setText(f"Live view: connecting at {fps} fps…")

        async def watch(_: ProgressReporter) -> None:
            async with self.client.camera_stream(width, height, fps, source) as frames:
                async for jpeg in frames:
                    self._latest = jpeg
                    self.frames += 1
                    self.meter.tick()

        op = self.work.op("Camera live view", watch).in_background().failure(self._live_failed)
        self.stream_task = op.run()
        self._timer.start()

    def stop_live(self, why: str) -> None:
        """Close the stream (the camera stops sending) and say why."""
        self._timer.stop()
        if self.stream_task is not None:
            self.stream_task.cancel()
            self.stream_task = None
        self.live.setText(why)

    def _restart_live(self) -> None:
        if self.stream_task is not None:
            self.stop_live("Live view: changing settings…")
            self.start_live()

    def _live_failed(self, error: Exception) -> None:
        self._timer.stop()
        self.stream_task = None
        self.live_button.blockSignals(True)
        self.live_button.setChecked(False)
        self.live_button.blockSignals(False)
        self.live.setText(f"Live view stopped: {error}")

    def repaint_frame(self) -> None:
        """Show the newest frame, if one came since the last repaint, and the measured rate."""
        jpeg, self._latest = self._latest, None
        if jpeg is not None:
            self._show_picture(jpeg)
        if self.frames:
            self.live.setText(f"Live view: {self.meter.fps:.1f} fps measured ({self._asked_fps} asked), "
                              f"{self.picture.width()} × {self.picture.height()}.")

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802  (Qt API)
        """Resume the live view if it was on."""
        super().showEvent(event)
        if self.live_button.isChecked():
            self.start_live()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802  (Qt API)
        """Pause the live view while nobody looks: the stream is closed, not just ignored."""
        super().hideEvent(event)
        if self.stream_task is not None:
            self.stop_live("Live view paused while this tab is hidden.")
