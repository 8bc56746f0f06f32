"""Display tab: choose the display module, a picture (fit/fill/crop, 1:1 preview) or a video (checked against
the document), upload it as overlay or notification, remove it, see the screen."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.backend import evidence
from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.ui.panels.two_n.common import pixmap_from_bytes, status_label
from app.ui.panels.two_n.display_options import ShowOptions
from app.ui.plain_text import escaped, rich
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.display_ops import (
    REMOVE_STAGES,
    Screen,
    read_screen,
    remove_from_display,
    show_picture,
    show_video,
)
from app.vendors.two_n.display_video import describe, video_supported
from app.vendors.two_n.image import (
    ConversionOptions,
    ConvertedImage,
    DisplayTarget,
    FitMode,
    convert_image_async,
)
from app.vendors.two_n.panel_reads import DisplaySetup, read_display_setup
from app.vendors.two_n.pattern_video import PatternSpec, make_pattern_video
from app.vendors.two_n.transfers import (
    DISPLAY_UPLOAD_STAGES,
    DISPLAY_VIDEO_STAGES,
    DisplayVideo,
    check_display_video,
)

PICTURE_FILTER = "Pictures (*.png *.jpg *.jpeg *.bmp *.gif);;All files (*)"
VIDEO_FILTER = "MP4 videos (*.mp4 *.m4v *.mov);;All files (*)"
MODE_LABELS = {
    FitMode.FIT: "Fit — whole picture, bars around",
    FitMode.FILL: "Fill — cover the screen, trim edges",
    FitMode.CROP: "Crop — original pixels, centre cut-out",
}
#: The test pattern: within the document's limits (at most 60 s and 15 fps), long enough to see it move.
PATTERN_FPS, PATTERN_SECONDS = 10, 6.0
#: A video's facts in the preview pane: a readable column, whatever the pane's width.
TEXT_PREVIEW_WIDTH = 420


class DisplayTab(QWidget):
    """The display workflow; conversion and checks run off the GUI thread, uploads as Operations."""

    def __init__(self, work: PanelWork, client: TwoNClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.setup: DisplaySetup | None = None
        self.target: DisplayTarget | None = None
        self.source: Path | None = None
        self.converted: ConvertedImage | None = None
        self.video: DisplayVideo | None = None
        self._convert_task: asyncio.Task[None] | None = None
        self._pixmaps: dict[QLabel, QPixmap] = {}
        self._scrolls: dict[QLabel, QScrollArea] = {}
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.display_box = QComboBox()
        self.display_box.setAccessibleName("Display module")
        self.display_box.setEnabled(False)
        self.resolution = rich(QLabel("Reading the display's resolution…"))
        top.addWidget(QLabel("Display module"))
        top.addWidget(self.display_box)
        top.addWidget(self.resolution, 1)
        layout.addLayout(top)
        layout.addLayout(self._build_choose_row())
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
        self.options = ShowOptions()
        layout.addWidget(self.options)
        self.upload_button, self.remove_button = self.options.upload_button, self.options.remove_button
        self.overlay_radio = self.options.overlay_radio
        self.notification_radio = self.options.notification_radio
        self.duration = self.options.duration
        self.status = status_label()
        layout.addWidget(self.status)

    def _build_choose_row(self) -> QHBoxLayout:
        choose = QHBoxLayout()
        self.choose_button = QPushButton("Choose picture…")
        self.video_button = QPushButton("Choose video…")
        self.pattern_button = QPushButton("Test pattern video")
        self.pattern_button.setToolTip("A video the app makes at the display's size: colour bars and a "
                                       f"moving square, {PATTERN_SECONDS:.0f} s at {PATTERN_FPS} fps")
        for button in (self.video_button, self.pattern_button):
            button.setEnabled(False)
        self.file_label = QLabel("Nothing chosen")
        self.mode_box = QComboBox()
        for mode, label in MODE_LABELS.items():
            self.mode_box.addItem(label, mode)
        self.mode_box.setAccessibleName("Fit mode")
        self.actual_pixels = QCheckBox("Actual pixels (1:1)")
        self.actual_pixels.setChecked(True)
        self.actual_pixels.setToolTip("Off: scale the previews to the window to see the whole screen")
        for widget in (self.choose_button, self.video_button, self.pattern_button):
            choose.addWidget(widget)
        choose.addWidget(self.file_label, 1)
        choose.addWidget(self.mode_box)
        choose.addWidget(self.actual_pixels)
        return choose

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

    def _connect_signals(self) -> None:
        self.choose_button.clicked.connect(self.choose_picture)
        self.video_button.clicked.connect(self.choose_video)
        self.pattern_button.clicked.connect(self.use_test_pattern)
        self.display_box.currentIndexChanged.connect(lambda _=0: self.choose_display())
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

    def _show_text(self, label: QLabel, text: str) -> None:
        """Plain text in a preview pane instead of a picture, sized to the pane."""
        self._pixmaps.pop(label, None)
        label.setPixmap(QPixmap())
        label.setText(text)
        label.setWordWrap(True)
        viewport = self._scrolls[label].viewport().size()
        width = min(viewport.width(), TEXT_PREVIEW_WIDTH)
        label.setFixedSize(width, min(max(label.heightForWidth(width), 0), viewport.height()))

    def load(self, variant: str) -> None:
        """Read /api/display/caps (document tables only as fallback) and the current screen."""
        read = self.work.op("Reading display", lambda _: read_display_setup(self.client, variant))
        read.in_background().success(self._show_setup).failure_in(self.status).run()

    def _show_setup(self, setup: DisplaySetup) -> None:
        self.setup = setup
        self.options.set_model(setup.variant)
        can_video = video_supported(setup.variant)
        self.video_button.setEnabled(can_video)
        self.pattern_button.setEnabled(can_video)
        self.display_box.blockSignals(True)
        self.display_box.clear()
        for name in [d.display for d in setup.displays] or [setup.target.display]:
            self.display_box.addItem(name, name)
        self.display_box.blockSignals(False)
        self.display_box.setEnabled(self.display_box.count() > 1)
        self.choose_display()

    def choose_display(self) -> None:
        """Make the chosen display module the target: re-convert or re-check what is chosen for it."""
        if self.setup is None:
            return
        name = self.display_box.currentData()
        self.target = self.setup.target_for(name) if isinstance(name, str) else self.setup.target
        reported = self.setup.reported
        source = "from the device" if reported else "from the 2N document (device did not report it)"
        self.resolution.setText(
            f"<b>{escaped(self.target.display)}</b>: {self.target.width} × {self.target.height} px "
            f"({source}); accepts {escaped(', '.join(sorted(self.target.formats)))}")
        if self.video is not None:
            self._use_video(self.video.data, self.video.filename)
        else:
            self.reconvert()
        self.refresh_screen()

    def choose_picture(self) -> None:
        """Ask for a picture file, then convert it."""
        path, _ = QFileDialog.getOpenFileName(self, "Choose a picture for the display", "", PICTURE_FILTER)
        if path:
            self.set_source(Path(path))

    def set_source(self, path: Path) -> None:
        """Use `path` as the picture and convert it for the display."""
        self.source, self.video = path, None
        self.options.video_mode(False)
        self.file_label.setText(path.name)
        self.reconvert()

    def choose_video(self) -> None:
        """Ask for an MP4 video, then check it against the document."""
        path, _ = QFileDialog.getOpenFileName(self, "Choose a video for the display", "", VIDEO_FILTER)
        if path:
            self.set_video(Path(path))

    def set_video(self, path: Path) -> asyncio.Task[None]:
        """Read the video at `path` and check it for the chosen display."""
        async def read(_: ProgressReporter) -> None:
            self._use_video(await asyncio.to_thread(path.read_bytes), path.name)

        return self.work.op("Reading video", read).in_background().failure_in(self.status).run()

    def use_test_pattern(self) -> asyncio.Task[None] | None:
        """Make the app's own test pattern video at the chosen display's size and use it."""
        target = self.target
        if target is None:
            return None
        spec = PatternSpec(target.width, target.height, PATTERN_FPS, PATTERN_SECONDS)

        async def make(_: ProgressReporter) -> None:
            data = await asyncio.to_thread(make_pattern_video, spec)
            self._use_video(data, f"test-pattern-{target.width}x{target.height}.mp4")

        return self.work.op("Making test video", make).in_background().failure_in(self.status).run()

    def _use_video(self, data: bytes, filename: str) -> None:
        """Check `data` for the target; the preview lists its facts and anything the display would refuse."""
        if self.target is None:
            return
        self.source, self.converted = None, None
        self.options.video_mode(True)
        self.file_label.setText(filename)
        self.video = None
        self.upload_button.setEnabled(False)
        video = check_display_video(data, filename, self.target)
        self.video = video
        lines = [f"Video {filename}", describe(video.check.info)]
        if video.check.acceptable:
            lines.append("Within the document's limits for this display.")
        else:
            lines += ["The display would refuse it:", *(f"• {p}" for p in video.check.problems)]
        self._show_text(self.preview_view, "\n".join(lines))
        self.status.setText("Ready to upload the video." if video.check.acceptable
                            else "This video cannot be shown: " + " ".join(video.check.problems))
        self.upload_button.setEnabled(video.check.acceptable)

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
        converted = await convert_image_async(data, self.target, ConversionOptions(self._fit_mode()))
        self.converted = converted
        self._pixmaps[self.preview_view] = pixmap_from_bytes(converted.data)
        self._render(self.preview_view)
        self.status.setText(
            f"Ready: {converted.width} × {converted.height} {converted.format} "
            f"({len(converted.data) // 1024} KiB) from a {converted.source_size[0]} × "
            f"{converted.source_size[1]} picture")
        self.upload_button.setEnabled(True)

    def _fit_mode(self) -> FitMode:
        mode = self.mode_box.currentData()
        return mode if isinstance(mode, FitMode) else FitMode.FIT

    def upload(self) -> asyncio.Task[Screen] | None:
        """Upload the chosen video, or the converted picture, as the options say."""
        target = self.target
        if target is None:
            return None
        if self.video is not None:
            return self._upload_video(target, self.video)
        return self._upload_picture(target, self.converted) if self.converted is not None else None

    def _upload_picture(self, target: DisplayTarget, image: ConvertedImage) -> asyncio.Task[Screen]:
        duration_ms, how = self.options.duration_ms, self.options.describe(video=False)
        source = self.source

        async def work(reporter: ProgressReporter) -> Screen:
            screen = await show_picture(self.client, target.display, image, reporter, duration_ms=duration_ms)
            context = self.work.context
            context.history.record(context.identity.key, evidence.DISPLAY_PICTURE, "done", {
                "file": source.name if source else "", "display": target.display, "how": how,
                "width": image.width, "height": image.height})
            return screen

        upload = self.work.op("Upload display image", work, stages=DISPLAY_UPLOAD_STAGES)
        return upload.success(self._screen_after(f"Shown on {target.display} as {how}.")).run()

    def _upload_video(self, target: DisplayTarget, video: DisplayVideo) -> asyncio.Task[Screen]:
        duration_ms, plays = self.options.duration_ms, self.options.plays
        said = f"Video {video.filename} playing on {target.display} as {self.options.describe(video=True)}."

        async def work(reporter: ProgressReporter) -> Screen:
            return await show_video(self.client, target.display, video, reporter,
                                    duration_ms=duration_ms, repeat=plays)

        upload = self.work.op("Upload display video", work, stages=DISPLAY_VIDEO_STAGES)
        return upload.success(self._screen_after(said)).run()

    def remove(self) -> None:
        """DELETE what the display shows."""
        target = self.target
        if target is None:
            return
        display = target.display
        remove = self.work.op("Remove display image", lambda r: remove_from_display(self.client, display, r),
                              stages=REMOVE_STAGES)
        remove.success(self._screen_after(f"Removed from {target.display}.")).run()

    def refresh_screen(self) -> None:
        """Fetch the device's screen again."""
        if self.target is None:
            return
        display = self.target.display
        read = self.work.op("Reading the screen", lambda _: read_screen(self.client, display)).in_background()
        read.success(self._show_screen).failure_in(self.status).run()

    def _screen_after(self, said: str) -> Callable[[Screen], None]:
        def show(screen: Screen) -> None:
            self.status.setText(said)
            self._show_screen(screen)

        return show

    def _show_screen(self, screen: Screen) -> None:
        if not screen.from_device:  # real intercoms cannot report their screen: show what this app uploaded
            self.refresh_button.setEnabled(False)
        if screen.image is None:
            self.screen_view.setText("This intercom cannot report its screen.")
            return
        title = "Screen as the device shows it" if screen.from_device else "Last image uploaded by this app"
        self._pixmaps[self.screen_view] = pixmap_from_bytes(screen.image)
        self._render(self.screen_view)
        self.screen_view.setToolTip(title)
