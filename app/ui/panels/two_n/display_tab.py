"""Display tab: pick any picture, fit/fill/crop it with a 1:1 preview, upload, remove, see the screen."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import DeviceError
from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.ui.panels.two_n.common import pixmap_from_bytes, status_label
from app.ui.plain_text import escaped, rich
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.image import (
    ConversionOptions,
    ConvertedImage,
    DisplayTarget,
    FitMode,
    convert_image_async,
)
from app.vendors.two_n.panel_reads import DisplaySetup, read_display_setup
from app.vendors.two_n.transfers import DISPLAY_UPLOAD_STAGES, upload_display_image

PICTURE_FILTER = "Pictures (*.png *.jpg *.jpeg *.bmp *.gif);;All files (*)"
MODE_LABELS = {
    FitMode.FIT: "Fit — whole picture, bars around",
    FitMode.FILL: "Fill — cover the screen, trim edges",
    FitMode.CROP: "Crop — original pixels, centre cut-out",
}


class DisplayTab(QWidget):
    """The display image workflow; conversion runs in an executor, uploads as Operations."""

    def __init__(self, work: PanelWork, client: TwoNClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.target: DisplayTarget | None = None
        self.source: Path | None = None
        self.converted: ConvertedImage | None = None
        self._convert_task: asyncio.Task[None] | None = None
        self._pixmaps: dict[QLabel, QPixmap] = {}
        self._scrolls: dict[QLabel, QScrollArea] = {}
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.resolution = rich(QLabel("Reading the display's resolution…"))
        layout.addWidget(self.resolution)
        choose = QHBoxLayout()
        self.choose_button = QPushButton("Choose picture…")
        self.file_label = QLabel("No picture chosen")
        self.mode_box = QComboBox()
        for mode, label in MODE_LABELS.items():
            self.mode_box.addItem(label, mode)
        self.mode_box.setAccessibleName("Fit mode")
        choose.addWidget(self.choose_button)
        choose.addWidget(self.file_label, 1)
        choose.addWidget(self.mode_box)
        self.actual_pixels = QCheckBox("Actual pixels (1:1)")
        self.actual_pixels.setChecked(True)
        self.actual_pixels.setToolTip("Off: scale the previews to the window to see the whole screen")
        choose.addWidget(self.actual_pixels)
        layout.addLayout(choose)
        previews = QHBoxLayout()
        preview_box, self.preview_view = self._framed("Preview at the display's real pixel size")
        screen_box, self.screen_view = self._framed("Shown on the device")
        self.refresh_button = QPushButton("Refresh from device")
        screen_layout = screen_box.layout()
        assert screen_layout is not None
        screen_layout.addWidget(self.refresh_button)
        previews.addWidget(preview_box, 1)
        previews.addWidget(screen_box, 1)
        layout.addLayout(previews, 1)
        layout.addWidget(self._build_upload_box())
        self.status = status_label()
        layout.addWidget(self.status)

    def _framed(self, title: str) -> tuple[QGroupBox, QLabel]:
        box = QGroupBox(title)
        inner = QVBoxLayout(box)
        label = QLabel("—")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("background: #202428; color: #bbb;")
        scroll = QScrollArea()
        self._scrolls[label] = scroll
        scroll.setWidget(label)
        scroll.setWidgetResizable(False)
        scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        inner.addWidget(scroll)
        return box, label

    def _build_upload_box(self) -> QGroupBox:
        box = QGroupBox("Show on the display")
        row = QHBoxLayout(box)
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
        self.upload_button = QPushButton("Upload to display")
        self.remove_button = QPushButton("Remove image")
        self.upload_button.setEnabled(False)
        for widget in (self.overlay_radio, self.notification_radio, self.duration):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.upload_button)
        row.addWidget(self.remove_button)
        return box

    def _connect_signals(self) -> None:
        self.choose_button.clicked.connect(self.choose_picture)
        self.mode_box.currentIndexChanged.connect(lambda _=0: self.reconvert())
        self.upload_button.clicked.connect(self.upload)
        self.remove_button.clicked.connect(self.remove)
        self.refresh_button.clicked.connect(self.refresh_screen)
        self.actual_pixels.toggled.connect(lambda _=False: self._render_all())

    def _render_all(self) -> None:
        for label in self._pixmaps:
            self._render(label)

    def _render(self, label: QLabel) -> None:
        """Show the label's picture 1:1, or scaled into its scroll area's viewport."""
        pixmap = self._pixmaps[label]
        if not self.actual_pixels.isChecked():
            viewport = self._scrolls[label].viewport().size()
            pixmap = pixmap.scaled(viewport, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        label.setPixmap(pixmap)
        label.setFixedSize(pixmap.size())

    def load(self, variant: str) -> None:
        """Read /api/display/caps (document tables only as fallback) and the current screen."""
        read = self.work.op("Reading display", lambda _: read_display_setup(self.client, variant))
        shown = read.in_background().success(lambda setup: self._show_setup(setup, variant))
        shown.failure_in(self.status).run()

    def _show_setup(self, setup: DisplaySetup, variant: str) -> None:
        self.target = setup.target
        source = "from the device" if setup.reported else "from the 2N document (device did not report it)"
        self.resolution.setText(
            f"Display <b>{escaped(self.target.display)}</b>: {self.target.width} × {self.target.height} px "
            f"({source}); accepts {escaped(', '.join(sorted(self.target.formats)))}")
        if "Vario" in variant:
            self.overlay_radio.setEnabled(False)
            self.notification_radio.setChecked(True)
        self.refresh_screen()

    def choose_picture(self) -> None:
        """Ask for a picture file, then convert it."""
        path, _ = QFileDialog.getOpenFileName(self, "Choose a picture for the display", "", PICTURE_FILTER)
        if path:
            self.set_source(Path(path))

    def set_source(self, path: Path) -> None:
        """Use `path` as the picture and convert it for the display."""
        self.source = path
        self.file_label.setText(path.name)
        self.reconvert()

    @property
    def options(self) -> ConversionOptions:
        """Conversion options from the controls."""
        mode = self.mode_box.currentData()
        return ConversionOptions(mode if isinstance(mode, FitMode) else FitMode.FIT)

    def reconvert(self) -> None:
        """Convert the picture again (file or mode changed); a conversion in flight is cancelled."""
        if self.source is None or self.target is None:
            return
        if self._convert_task is not None:
            self._convert_task.cancel()
        self.upload_button.setEnabled(False)
        self.status.setText("Converting…")
        convert = self.work.op("Converting picture", lambda _: self._convert()).in_background()
        self._convert_task = convert.failure_in(self.status).run()

    async def _convert(self) -> None:
        assert self.source is not None
        assert self.target is not None
        data = await asyncio.to_thread(self.source.read_bytes)
        converted = await convert_image_async(data, self.target, self.options)
        self.converted = converted
        self._pixmaps[self.preview_view] = pixmap_from_bytes(converted.data)
        self._render(self.preview_view)
        self.status.setText(
            f"Ready: {converted.width} × {converted.height} {converted.format} "
            f"({len(converted.data) // 1024} KiB) from a {converted.source_size[0]} × "
            f"{converted.source_size[1]} picture")
        self.upload_button.setEnabled(True)

    def upload(self) -> asyncio.Task[None] | None:
        """Upload the converted picture as overlay or notification."""
        image, target = self.converted, self.target
        if image is None or target is None:
            return None
        duration_ms = self.duration.value() * 1000 if self.notification_radio.isChecked() else None

        async def work(reporter: ProgressReporter) -> None:
            reporter.stage("Converting image", message="Converted")
            await upload_display_image(self.client, target.display, image, reporter,
                                       duration_ms=duration_ms)
            how = f"a notification for {duration_ms // 1000} s" if duration_ms else "an overlay"
            self.status.setText(f"Shown on {target.display} as {how}.")
            await self._refresh_screen(fallback=image.data)

        return self.work.op("Upload display image", work, stages=DISPLAY_UPLOAD_STAGES).run()

    def remove(self) -> None:
        """DELETE the image from the display."""
        target = self.target
        if target is None:
            return

        async def work(reporter: ProgressReporter) -> None:
            reporter.stage("Removing image")
            await self.client.delete_display_image(target.display)
            self.status.setText(f"Image removed from {target.display}.")
            await self._refresh_screen()

        self.work.op("Remove display image", work, stages=("Removing image",)).run()

    def refresh_screen(self) -> None:
        """Fetch the device's screen again."""
        read = self.work.op("Reading the screen", lambda _: self._refresh_screen()).in_background()
        read.failure_in(self.status).run()

    async def _refresh_screen(self, fallback: bytes | None = None) -> None:
        if self.target is None:
            return
        try:
            data = await self.client.simulator_screen(self.target.display)
            title = "Screen as the device shows it"
        except DeviceError:
            # Real intercoms cannot report their screen: show what this app last uploaded.
            self.refresh_button.setEnabled(False)
            if fallback is None:
                self.screen_view.setText("This intercom cannot report its screen.")
                return
            data, title = fallback, "Last image uploaded by this app"
        self._pixmaps[self.screen_view] = pixmap_from_bytes(data)
        self._render(self.screen_view)
        self.screen_view.setToolTip(title)
