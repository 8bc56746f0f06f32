"""AxisPanel: align a multisensor camera's sensors with a nudge pad while watching the stitched preview."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QImage, QKeyEvent, QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from app.ui.panel_context import PanelContext
from app.ui.panel_work import PanelWork
from app.ui.panels.axis.widgets import OffsetsTable, PanoramaPreview
from app.ui.plain_text import escaped, rich
from app.vendors.axis.alignment import (
    ALIGNMENT_ACTION,
    RESTORE_ACTION,
    STEP_SIZES,
    AlignmentSession,
    Nudge,
    NudgeResult,
    baseline_from_history,
    soft_limit_for,
)
from app.vendors.axis.client import AxisClient
from app.vendors.axis.models import STITCHING_METHODS, BasicDeviceInfo, RotationAxis, StitchingCapabilities
from app.vendors.axis.preview import StitchedPreview, read_preview
from app.vendors.axis.seam_quality import BestSeams, SeamFigure, seam_hint

log = logging.getLogger(__name__)
T = TypeVar("T")

BLENDING_ADVICE = (
    "Blending: 0 gives sharp seams — best when one object at the parallax distance spans the seams. "
    "With many objects at different distances around the seams, raise it to blur misalignments. "
    "It also hides white-balance differences between sensors."
)
PARALLAX_ADVICE = (
    "Parallax distance: the distance (m) to the most important object at the seams; the alignment is "
    "calculated there. Objects much nearer or farther may show doubled at the seams."
)
SEAM_QUALITY_ADVICE = (
    "Mismatch of the picture either side of each seam, in grey levels (0-255), from the preview: lower is "
    "better. It never reaches 0 on a real scene; nudge while it falls, stop when it no longer beats the "
    "best. It follows tilt and roll; pan errors it barely sees, so judge pan in the seam close-ups."
)
PAD_BUTTONS = (
    ("◀ Pan", RotationAxis.PAN, -1, 1, 0),
    ("Pan ▶", RotationAxis.PAN, 1, 1, 2),
    ("▲ Tilt", RotationAxis.TILT, 1, 0, 1),
    ("▼ Tilt", RotationAxis.TILT, -1, 2, 1),
    ("⟲ Roll", RotationAxis.ROLL, -1, 0, 0),
    ("Roll ⟳", RotationAxis.ROLL, 1, 0, 2),
)
ARROWS = {
    Qt.Key.Key_Left: (RotationAxis.PAN, -1),
    Qt.Key.Key_Right: (RotationAxis.PAN, 1),
    Qt.Key.Key_Up: (RotationAxis.TILT, 1),
    Qt.Key.Key_Down: (RotationAxis.TILT, -1),
    Qt.Key.Key_BracketLeft: (RotationAxis.ROLL, -1),
    Qt.Key.Key_BracketRight: (RotationAxis.ROLL, 1),
}


class AxisPanel(QWidget):
    """Per-sensor nudge pad (buttons and arrow keys), undo/redo, restore, blending, parallax, record."""

    seam_figures_shown = Signal(int)  # number of the snapshot whose seam figures have just been shown

    def __init__(self, context: PanelContext[AxisClient], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.work = PanelWork(context, self)
        baseline = baseline_from_history(context.history.entries(context.identity.key))
        self.session = AlignmentSession(context.client, context.identity.model, baseline)
        self.sensor = 0
        self._preview_task: asyncio.Task[StitchedPreview] | None = None
        self._preview_stale = False
        self._closed = False
        self.best_seams = BestSeams()
        self.figures_number = 0
        self._build_ui()
        self._connect_signals()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._start("Reading the camera's stitching settings", self.session.load, self._loaded)
        read_identity = self.context.client.read_device_info
        self._start("Reading the camera's identity", read_identity, self._show_identity)

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.header = rich(QLabel())
        self.header.setAccessibleName("Camera")
        self._show_header(self.context.identity.model, "reading from the camera…")
        layout.addWidget(self.header)
        self.preview = PanoramaPreview()
        layout.addWidget(self.preview, 1)
        controls = QHBoxLayout()
        controls.addWidget(self._build_pad())
        controls.addWidget(self._build_offsets(), 1)
        controls.addWidget(self._build_settings(), 1)
        layout.addLayout(controls)
        self.status = QLabel("Reading the camera's stitching capabilities…")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Stitching status")
        layout.addWidget(self.status)

    def _build_pad(self) -> QGroupBox:
        box = QGroupBox("Nudge pad — arrows: pan/tilt, [ ]: roll, 1-4: sensor, +/-: step")
        layout = QVBoxLayout(box)
        sensors = QHBoxLayout()
        self.sensor_buttons = QButtonGroup(self)
        self.sensor_row = sensors
        layout.addLayout(sensors)
        grid = QGridLayout()
        self.pad_buttons: list[QPushButton] = []
        for text, axis, sign, row, column in PAD_BUTTONS:
            button = QPushButton(text)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoRepeat(True)
            button.clicked.connect(lambda _=False, a=axis, s=sign: self.nudge(a, s))
            grid.addWidget(button, row, column)
            self.pad_buttons.append(button)
        self.step_box = QComboBox()
        self.step_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.step_box.addItems([f"{step:g}°" for step in STEP_SIZES])
        self.step_box.setCurrentIndex(STEP_SIZES.index(0.05))
        self.step_box.setAccessibleName("Step size")
        grid.addWidget(self.step_box, 1, 1)
        layout.addLayout(grid)
        history = QHBoxLayout()
        self.undo_button = QPushButton("Undo")
        self.redo_button = QPushButton("Redo")
        self.restore_button = QPushButton("Restore sensor…")
        for button in (self.undo_button, self.redo_button, self.restore_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setEnabled(False)
            history.addWidget(button)
        layout.addLayout(history)
        self.seam_quality = QLabel("Seam mismatch: waiting for the first preview…")
        self.seam_quality.setAccessibleName("Seam mismatch")
        self.seam_quality.setToolTip(SEAM_QUALITY_ADVICE)
        layout.addWidget(self.seam_quality)
        return box

    def _build_offsets(self) -> QGroupBox:
        box = QGroupBox("Offsets applied by this app (the camera does not report them)")
        layout = QVBoxLayout(box)
        self.offsets = OffsetsTable()
        layout.addWidget(self.offsets)
        limit = soft_limit_for(self.context.identity.model, RotationAxis.PAN)
        note = f"Soft limit ±{limit}° pan ({self.context.identity.model})." if limit else ""
        self.limit_note = QLabel(f"{note} Hard limits from the camera's capabilities.".strip())
        self.limit_note.setWordWrap(True)
        layout.addWidget(self.limit_note)
        self.record_button = QPushButton("Record final alignment")
        self.record_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.record_button.setEnabled(False)
        layout.addWidget(self.record_button)
        return box

    def _build_settings(self) -> QGroupBox:
        box = QGroupBox("Seams")
        layout = QGridLayout(box)
        self.blending_slider = QSlider(Qt.Orientation.Horizontal)
        self.blending_slider.setRange(0, 100)
        # Arrow keys belong to the nudge pad; the slider is for the mouse, the spin box for typing.
        self.blending_slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.blending_box = QDoubleSpinBox()  # the document's blendingAmount is a number, e.g. 50.0
        self.blending_box.setDecimals(2)
        self.blending_box.setRange(0.0, 100.0)
        self.parallax_box = QDoubleSpinBox()
        self.parallax_box.setRange(1.0, 50.0)
        self.parallax_box.setSingleStep(0.5)
        self.parallax_box.setSuffix(" m")
        layout.addWidget(QLabel("Blending"), 0, 0)
        layout.addWidget(self.blending_slider, 0, 1)
        layout.addWidget(self.blending_box, 0, 2)
        layout.addWidget(QLabel("Parallax distance"), 1, 0)
        layout.addWidget(self.parallax_box, 1, 1, 1, 2)
        for row, text in ((2, BLENDING_ADVICE), (3, PARALLAX_ADVICE)):
            advice = QLabel(text)
            advice.setWordWrap(True)
            layout.addWidget(advice, row, 0, 1, 3)
        for widget in (self.blending_slider, self.blending_box, self.parallax_box):
            widget.setEnabled(False)
        return box

    def _connect_signals(self) -> None:
        self.undo_button.clicked.connect(self.undo)
        self.redo_button.clicked.connect(self.redo)
        self.restore_button.clicked.connect(self.restore_selected)
        self.record_button.clicked.connect(lambda: self.record_alignment(automatic=False))
        self.blending_slider.valueChanged.connect(self._slider_moved)
        self.blending_box.valueChanged.connect(lambda value: self.blending_slider.setValue(round(value)))
        self.blending_slider.sliderReleased.connect(self._apply_blending)
        self.blending_box.editingFinished.connect(self._apply_blending)
        self.parallax_box.editingFinished.connect(self._apply_parallax)
        self.sensor_buttons.idClicked.connect(self.select_sensor)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo)
        QShortcut(QKeySequence.StandardKey.Redo, self, self.redo)

    # -- loading --------------------------------------------------------------------------------

    def _show_header(self, model: str, details: str) -> None:
        self.header.setText(f"<h2>{escaped(model)} — stitching alignment</h2><p>{escaped(details)}</p>")

    def _show_identity(self, info: BasicDeviceInfo) -> None:
        """The header names the camera as it reports itself; the device list learns its firmware."""
        details = f"Serial {info.serial_number} · firmware {info.firmware}"
        self._show_header(info.product_full_name or info.model, details)
        if self.context.firmware_read is not None:
            self.context.firmware_read(info.firmware)

    def _slider_moved(self, value: int) -> None:
        """The slider sets whole values; a typed decimal stays until the slider really moves."""
        if round(self.blending_box.value()) != value:
            self.blending_box.setValue(value)

    def _loaded(self, capabilities: StitchingCapabilities) -> None:
        self.offsets.set_sensors(self.session.sensor_ids)
        for sensor_id in self.session.sensor_ids:
            button = QPushButton(f"Sensor {sensor_id}")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.sensor_buttons.addButton(button, sensor_id)
            self.sensor_row.addWidget(button)
        self.select_sensor(self.session.sensor_ids[0] if self.session.sensor_ids else 0)
        limits = capabilities.limits
        self.blending_box.setRange(limits.blending_min, limits.blending_max)
        self.blending_slider.setRange(math.ceil(limits.blending_min), math.floor(limits.blending_max))
        self.parallax_box.setRange(limits.parallax_min, limits.parallax_max)
        self._show_settings()
        self._refresh_controls()
        self._show_all_offsets()
        missing = [m for m in STITCHING_METHODS if not capabilities.supports(m)]
        hint = (
            "Nudge with the arrow keys and watch the seam close-ups; click the panorama to set their height."
        )
        self.status.setText(
            f"{hint} Not available on this camera: {', '.join(missing)}." if missing else hint
        )
        self.setFocus()
        self.request_preview()

    def _show_settings(self) -> None:
        widgets = (self.blending_box, self.blending_slider, self.parallax_box)
        for widget in widgets:
            widget.blockSignals(True)
        if self.session.blending is not None:
            self.blending_box.setValue(self.session.blending)
            self.blending_slider.setValue(round(self.session.blending))
        if self.session.parallax is not None:
            self.parallax_box.setValue(self.session.parallax)
        for widget in widgets:
            widget.blockSignals(False)

    def _refresh_controls(self) -> None:
        """Enable what the camera supports; disabled controls say why in their tooltip."""
        pairs: list[tuple[QWidget, str]] = [
            *((b, "rotateAngle") for b in self.pad_buttons),
            (self.restore_button, "restore"),
            (self.blending_slider, "setBlendingAmount"),
            (self.blending_box, "setBlendingAmount"),
            (self.parallax_box, "setParallaxCompensationDistance"),
        ]
        for widget, method in pairs:
            reason = self.session.unsupported_reason(method)
            widget.setEnabled(not reason)
            widget.setToolTip(reason)
        self.undo_button.setEnabled(self.session.can_undo)
        self.redo_button.setEnabled(self.session.can_redo)
        self.record_button.setEnabled(self.session.capabilities is not None)

    # -- nudging ------------------------------------------------------------------------------------

    @property
    def step(self) -> float:
        """The selected step size in degrees."""
        return STEP_SIZES[self.step_box.currentIndex()]

    def select_sensor(self, sensor_id: int) -> None:
        """Make `sensor_id` the sensor the pad and arrow keys move."""
        self.sensor = sensor_id
        button = self.sensor_buttons.button(sensor_id)
        if button is not None:
            button.setChecked(True)
        self.preview.selected_sensor = (
            self.session.sensor_ids.index(sensor_id) if self.session.sensor_ids else 0
        )
        self.preview.update()

    def nudge(self, axis: RotationAxis, sign: int) -> None:
        """Rotate the selected sensor one step on `axis`; refused at the camera's hard limits."""
        if self.session.capabilities is None:
            return
        refusal = self.session.refusal(Nudge(self.sensor, axis, sign * self.step))
        if refusal:
            self.status.setText(refusal)
            return
        sensor, angle = self.sensor, sign * self.step
        self._start("Nudge", lambda: self.session.nudge(sensor, axis, angle), self._nudged)

    def undo(self) -> None:
        """Undo the last nudge by sending its inverse rotation."""
        if self.session.can_undo:
            self._start("Undo nudge", self.session.undo, lambda result: self._nudged(result, "Undone: "))

    def redo(self) -> None:
        """Apply the last undone nudge again."""
        if self.session.can_redo:
            self._start("Redo nudge", self.session.redo, lambda result: self._nudged(result, "Redone: "))

    def _nudged(self, result: NudgeResult | None, prefix: str = "") -> None:
        if result is None:
            return
        nudge = result.nudge
        self._show_offset(nudge.sensor_id, nudge.axis)
        self._refresh_controls()
        text = (
            f"{prefix}sensor {nudge.sensor_id} {nudge.axis.value} {nudge.angle:+g}° → {result.offset:+.2f}°"
        )
        self.status.setText(f"{text}. ⚠ {result.warning}" if result.warning else text)
        self.request_preview()

    def _show_offset(self, sensor_id: int, axis: RotationAxis) -> None:
        row = self.session.sensor_ids.index(sensor_id)
        self.offsets.set_offset(
            row, axis, self.session.offset(sensor_id, axis), self.session.warning(sensor_id, axis)
        )

    def _show_all_offsets(self) -> None:
        for sensor_id in self.session.sensor_ids:
            for axis in RotationAxis:
                self._show_offset(sensor_id, axis)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802  (Qt API)
        """Arrows pan/tilt, Shift+Left/Right or [ ] roll, digits pick a sensor, +/- change the step."""
        key = Qt.Key(event.key())
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if shift and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.nudge(RotationAxis.ROLL, -1 if key == Qt.Key.Key_Left else 1)
        elif key in ARROWS:
            self.nudge(*ARROWS[key])
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_9 and key - Qt.Key.Key_1 < len(self.session.sensor_ids):
            self.select_sensor(self.session.sensor_ids[key - Qt.Key.Key_1])
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus):
            delta = -1 if key == Qt.Key.Key_Minus else 1
            self.step_box.setCurrentIndex(
                max(0, min(len(STEP_SIZES) - 1, self.step_box.currentIndex() + delta))
            )
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802  (Qt API)
        """Clicking anywhere (the preview included) gives the nudge keys back to the panel."""
        self.setFocus()
        super().mousePressEvent(event)

    # -- restore, blending, parallax, record ---------------------------------------------------------

    def confirm_restore(self, sensor_id: int) -> bool:
        """Ask before restoring a sensor to factory (tests replace this)."""
        answer = QMessageBox.question(
            self,
            "Restore sensor to factory",
            f"Restore sensor {sensor_id} to its factory stitching? This removes every rotation made on it "
            "and, as the camera documents, also returns blending and parallax distance to factory defaults.",
        )
        return answer == QMessageBox.StandardButton.Yes

    def restore_selected(self) -> None:
        """Restore the selected sensor after a confirmation."""
        sensor_id = self.sensor
        if self.confirm_restore(sensor_id):
            restore = lambda: self.session.restore(sensor_id)  # noqa: E731
            self._start(f"Restore sensor {sensor_id}", restore, lambda _: self._restored(sensor_id))

    def _restored(self, sensor_id: int) -> None:
        self.context.history.record(self.context.identity.key, RESTORE_ACTION, "done", {"sensor": sensor_id})
        self._show_all_offsets()
        self._show_settings()
        self._refresh_controls()
        self.status.setText(f"Sensor {sensor_id} restored to factory stitching.")
        self.best_seams.reset()
        self.request_preview()

    def _apply_blending(self) -> None:
        value = float(self.blending_box.value())
        self.setFocus()
        if value != self.session.blending:
            done = f"Blending set to {value:g}."
            set_blending = lambda: self.session.set_blending(value)  # noqa: E731
            self._start("Set blending", set_blending, lambda _: self._applied(done))

    def _apply_parallax(self) -> None:
        value = self.parallax_box.value()
        if value != self.session.parallax:
            done = f"Parallax distance {value:g} m."
            set_parallax = lambda: self.session.set_parallax(value)  # noqa: E731
            self._start("Set parallax distance", set_parallax, lambda _: self._applied(done))
        self.setFocus()

    def _applied(self, done: str) -> None:
        self.status.setText(done)
        self.best_seams.reset()  # blending and parallax change every seam's figure: a new baseline
        self.request_preview()

    def record_alignment(self, *, automatic: bool) -> None:
        """Write the per-sensor offsets, blending and parallax to the device's history."""
        detail = self.session.record(str(getattr(self.context.client, "api_version", "") or ""))
        detail["automatic"] = automatic
        self.context.history.record(self.context.identity.key, ALIGNMENT_ACTION, "recorded", detail)
        self.session.changed = False
        self.status.setText("Final alignment recorded in the device history.")

    # -- preview ---------------------------------------------------------------------------------------

    def request_preview(self) -> None:
        """Fetch a fresh snapshot; while one is in flight, fetch once more after it (coalesced)."""
        if self._closed:
            return
        if self._preview_task is not None and not self._preview_task.done():
            self._preview_stale = True
            return
        self._preview_stale = False
        sensor_ids = list(self.session.sensor_ids)
        read = self.work.op("Stitching preview", lambda _: read_preview(self.context.client, sensor_ids))
        self._preview_task = read.in_background().success(self._show_preview).run()

    def _show_preview(self, preview: StitchedPreview) -> None:
        """Show the snapshot and its seam figures; a change made while it was read asks for a fresh one."""
        image = QImage()
        if preview.figures is None or not image.loadFromData(preview.jpeg, "JPG"):
            self.status.setText("The camera's snapshot could not be decoded.")
            return
        self.preview.show_image(image, preview.sensor_count)
        self._show_seam_figures(list(preview.figures), self.preview.snapshot_number)
        if self._preview_stale:
            self._preview_task = None  # this one is ending: the next starts now
            self.request_preview()

    def _show_seam_figures(self, figures: list[SeamFigure], number: int) -> None:
        """One plain line per seam with its figure and the best so far; tells `seam_figures_shown`."""
        best = self.best_seams.update(figures)
        lines = [seam_hint(f, best[(f.left_sensor, f.right_sensor)]) for f in figures]
        self.seam_quality.setText("\n".join(["Seam mismatch (grey levels, lower is better):", *lines]))
        self.figures_number = number
        self.seam_figures_shown.emit(number)

    def _start(self, title: str, call: Callable[[], Awaitable[T]], done: Callable[[T], None]) -> None:
        """Run a session call in the background: `done(result)` on success, a failure also in the status."""
        self.work.op(title, lambda _: call()).in_background().success(done).failure_in(self.status).run()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  (Qt API)
        """Record unrecorded changes automatically, then cancel everything this panel started."""
        if self.session.changed and not self._closed:
            self.record_alignment(automatic=True)
        self._closed = True
        self.work.close()
        super().closeEvent(event)
