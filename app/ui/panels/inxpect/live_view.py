"""Live targets: distance over time per target id with short trails, a top-down field of view, alarms.

The feed fills a ring buffer; a QTimer repaints at display rate and draws only frames not drawn yet
(by acqIdx). pyqtgraph is imported when the view is built, never at application start-up.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any, Final

import numpy as np
from PySide6.QtCore import QSize, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.core.memory import settle_long_lived_objects
from app.vendors.inxpect.live import PRE_ALARM_AREA_CAUSE, AlarmStatus, AlarmType
from app.vendors.inxpect.live_feed import LiveFeed, ReceivedFrame

REPAINT_MS: Final = 16  # display rate (60 Hz)
TRAIL_SECONDS: Final = 5.0
CAPACITY: Final = 16384
ALARM_FRESH_MS: Final = 1500
LABEL_REFRESH_S: Final = 0.25  # the rate and counter texts change four times a second, not every frame
PALETTE: Final = (
    "#1f77b4",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#ff7f0e",
    "#393b79",
    "#637939",
    "#843c39",
)
ALARM_COLOUR: Final = "#d62728"
PRE_ALARM_COLOUR: Final = "#ff9f1c"
#: §3.1: "Under normal conditions this value is greater or equal to 100" frames per second.
NOMINAL_FPS: Final = 100
#: A measured acquisition rate below this share of the fps the sensor reports is said on screen.
SLOW_SHARE: Final = 0.8
#: No new frame for this long (while not paused) is said on screen.
STALLED_AFTER_S: Final = 2.0


def marker_size(rcs: float) -> float:
    """Marker diameter in whole pixels for a target of this rcs (the calibration object ≈ 1000 ≈ 14 px).

    Whole pixels let pyqtgraph reuse its rendered symbols instead of drawing a new one per frame.
    """
    return float(round(min(max(4.0 + math.sqrt(max(rcs, 0.0)) / 3.2, 5.0), 40.0)))


class TargetRing:
    """Target samples (frame time s, id, distance m, rcs) in fixed numpy arrays, oldest overwritten."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.t = np.zeros(capacity)
        self.ids = np.zeros(capacity, dtype=np.int64)
        self.distance = np.zeros(capacity)
        self.rcs = np.zeros(capacity)
        self.count = 0
        self._next = 0

    def append(self, t: float, target_id: int, distance_m: float, rcs: float) -> None:
        """Add one sample."""
        i = self._next
        self.t[i], self.ids[i], self.distance[i], self.rcs[i] = t, target_id, distance_m, rcs
        self._next = (i + 1) % len(self.t)
        self.count = min(self.count + 1, len(self.t))

    def window(self, since: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(t, id, distance, rcs) of samples newer than `since`, oldest first."""
        order = np.roll(np.arange(len(self.t)), -self._next)[-self.count :] if self.count else np.arange(0)
        keep = order[self.t[order] > since]
        return self.t[keep], self.ids[keep], self.distance[keep], self.rcs[keep]

    def clear(self) -> None:
        """Forget every sample."""
        self.count = 0
        self._next = 0


class LiveTargetsView(QWidget):
    """Distance-over-time trails, a top-down field of view with alarm areas, an alarm banner, fps, pause."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.feed: LiveFeed | None = None
        self.ring = TargetRing()
        self.last_drawn_idx = -1
        self.drawn_frames = 0
        self.on_drawn: Callable[[list[ReceivedFrame], float], None] | None = None
        self._fps_window: list[float] = []
        self._labels_at = 0.0
        self._alarm_state: str | None = None
        self._last_frame_at = time.monotonic()
        self._now_t = 0.0
        self._trails: dict[int, Any] = {}
        self._angles: tuple[int, int] | None = None  # the field of view, once the sensor's info is known
        self._build_ui()
        self._timer = QTimer(self)
        self._timer.setInterval(REPAINT_MS)
        self._timer.timeout.connect(self.repaint_frames)

    def sizeHint(self) -> QSize:  # noqa: N802  (Qt API)
        """Modest: the plots grow into the space a window gives them, and fit a laptop's screen."""
        return QSize(900, 360)

    def hasHeightForWidth(self) -> bool:  # noqa: N802  (Qt API)
        """No: the wrapped caption must not make the view ask for the plots' full preferred height."""
        return False

    def _build_ui(self) -> None:
        import pyqtgraph as pg

        # pyqtgraph's modules and the open window live on: freeze them out of every later full
        # collection, which would otherwise pause the 60 Hz repaint for tens of milliseconds.
        settle_long_lived_objects("live plot")

        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.alarm_banner = QLabel("No alarm")
        self.alarm_banner.setObjectName("inxpectAlarmBanner")
        self.alarm_banner.setWordWrap(True)
        self.alarm_banner.setStyleSheet(_banner_style("quiet"))
        self.rate_label = QLabel("— frames/s")
        self.counter_label = QLabel("frame —")
        self._freeze_header_geometry()
        self.pause_button = QPushButton("Pause")
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self._set_paused)
        header.addWidget(self.alarm_banner, 1)
        header.addWidget(self.rate_label)
        header.addWidget(self.counter_label)
        header.addWidget(self.pause_button)
        layout.addLayout(header)
        self.rate_warning = QLabel()
        self.rate_warning.setObjectName("inxpectRateWarning")
        self.rate_warning.setStyleSheet("color:#8a4b00;font-weight:bold;")
        self.rate_warning.setFixedHeight(self.rate_warning.fontMetrics().lineSpacing() + 4)
        layout.addWidget(self.rate_warning)
        splitter = QSplitter()
        self._build_plots(pg, splitter)
        layout.addWidget(splitter, 1)
        caption = QLabel(
            "Red: alarm area. Orange: pre-alarm area. The radar measures distance, not direction, "
            "so each target is an arc at its distance; the dot's size follows its radar size (rcs)."
        )
        caption.setWordWrap(True)
        caption.setStyleSheet("color:#555;")
        layout.addWidget(caption)
        self._pg = pg
        self._brushes = [pg.mkBrush(c) for c in PALETTE]
        # One-pixel trails: Qt draws them on its fast path; wider pens cost several ms per paint.
        self._pens = [pg.mkPen(c, width=1) for c in PALETTE]

    def _freeze_header_geometry(self) -> None:
        """Fix the header's sizes so changing texts never re-lay out (and fully repaint) the plots."""
        metrics = self.rate_label.fontMetrics()
        self.rate_label.setFixedWidth(metrics.horizontalAdvance("000 frames/s shown (sensor 000/s)") + 8)
        self.counter_label.setFixedWidth(metrics.horizontalAdvance("frame 0000000000") + 8)
        self.alarm_banner.setFixedHeight(2 * metrics.lineSpacing() + 14)  # two lines and the padding

    def _build_plots(self, pg: Any, splitter: QSplitter) -> None:
        self.time_plot = pg.PlotWidget(title="Distance over time (per target)")
        self.time_plot.setLabel("bottom", "seconds ago")
        self.time_plot.setLabel("left", "distance", units="m")
        self.time_plot.setXRange(-TRAIL_SECONDS, 0.6, padding=0)
        self.time_plot.setMouseEnabled(x=False, y=True)
        self.time_plot.showGrid(x=False, y=False)
        self.now_markers = pg.ScatterPlotItem(pxMode=True)
        self.time_plot.addItem(self.now_markers)
        self.top_plot = pg.PlotWidget(title="Field of view from above")
        self.top_plot.setAspectLocked(True)
        self.top_plot.setLabel("bottom", "across", units="m")
        self.top_plot.setLabel("left", "ahead", units="m")
        self.top_plot.showGrid(x=False, y=False)
        self.fov_curve = self.top_plot.plot(pen=pg.mkPen("#888", width=1))
        self.pre_alarm_area = _sector_item(PRE_ALARM_COLOUR)
        self.alarm_area = _sector_item(ALARM_COLOUR)
        self.top_plot.addItem(self.pre_alarm_area)
        self.top_plot.addItem(self.alarm_area)
        self.target_arcs = [pg.PlotCurveItem(pen=pg.mkPen(c, width=3), skipFiniteCheck=True) for c in PALETTE]
        for arc in self.target_arcs:
            arc.setVisible(False)
            self.top_plot.addItem(arc)
        self.top_markers = pg.ScatterPlotItem(pxMode=True)
        self.top_plot.addItem(self.top_markers)
        splitter.addWidget(self.time_plot)
        splitter.addWidget(self.top_plot)

    def attach(self, feed: LiveFeed) -> None:
        """Show `feed` from now on and start repainting."""
        self.feed = feed
        self._timer.start()

    def detach(self) -> None:
        """Stop repainting (the panel closes or the tab hides)."""
        self._timer.stop()
        self.feed = None

    def set_geometry(
        self, min_angle: int, max_angle: int, max_distance_mm: int, alarm_mm: int, pre_alarm_mm: int
    ) -> None:
        """Draw the field of view and the alarm / pre-alarm areas (degrees, mm)."""
        self._angles = (min_angle, max_angle)
        angles = np.radians(np.linspace(min_angle, max_angle, 61))
        far = max_distance_mm / 1000
        xs = np.concatenate(([0.0], far * np.sin(angles), [0.0]))
        ys = np.concatenate(([0.0], far * np.cos(angles), [0.0]))
        self.fov_curve.setData(xs, ys)
        for area, radius in ((self.alarm_area, alarm_mm), (self.pre_alarm_area, pre_alarm_mm)):
            area.setPolygon(_sector_polygon(min_angle, max_angle, radius / 1000))
        self.time_plot.setYRange(0, far, padding=0.02)
        half_width = far * max(abs(math.sin(math.radians(min_angle))), abs(math.sin(math.radians(max_angle))))
        self.top_plot.setRange(xRange=(-half_width, half_width), yRange=(-0.5, far), padding=0.03)

    def repaint_frames(self) -> None:
        """Take new frames from the feed and redraw (the timer's slot; also callable from tests)."""
        if self.feed is None:
            return
        frames = self.feed.drain()
        fresh = [f for f in frames if f.frame.acq_idx != self.last_drawn_idx]
        for received in fresh:
            frame = received.frame
            if frame.acq_idx < self.last_drawn_idx:
                self.ring.clear()  # the sensor restarted its frame counter
            t = frame.acq_idx / max(frame.fps, 1)
            for target in frame.targets:
                self.ring.append(t, target.id, target.distance / 1000, target.rcs)
            self.last_drawn_idx = frame.acq_idx
            self._now_t = t
        if fresh:
            self._last_frame_at = time.monotonic()
            self._draw(fresh[-1])
        self._update_labels(len(fresh))
        self._update_alarm(self.feed.alarms)
        if fresh and self.on_drawn is not None:
            self.on_drawn(fresh, time.monotonic())

    def _draw(self, latest: ReceivedFrame) -> None:
        t, ids, distance, _rcs = self.ring.window(self._now_t - TRAIL_SECONDS)
        ago = t - self._now_t
        present = set(ids.tolist())
        for target_id in present:
            mask = ids == target_id
            item = self._trails.get(target_id)
            if item is None:
                item = self._pg.PlotCurveItem(pen=self._pens[target_id % len(PALETTE)], skipFiniteCheck=True)
                self.time_plot.addItem(item)
                self._trails[target_id] = item
            item.setData(ago[mask], distance[mask])
        for target_id in list(self._trails):
            if target_id not in present:
                self.time_plot.removeItem(self._trails.pop(target_id))
        current = latest.frame.targets
        sizes = [marker_size(target.rcs) for target in current]
        brushes = [self._brushes[target.id % len(PALETTE)] for target in current]
        dists = [target.distance / 1000 for target in current]
        self.now_markers.setData(x=[0.0] * len(current), y=dists, size=sizes, brush=brushes)
        self._draw_top([target.id for target in current], dists, sizes, brushes)

    def _draw_top(self, ids: list[int], dists: list[float], sizes: list[float], brushes: list[Any]) -> None:
        """Targets as arcs across the field of view: the radar measures range, not bearing."""
        min_angle, max_angle = self._angles or (0, 0)
        angles = np.radians(np.linspace(min_angle, max_angle, 25))
        unused = set(range(len(self.target_arcs)))
        for target_id, d in zip(ids, dists, strict=True):
            slot = target_id % len(PALETTE)
            if slot in unused:
                unused.discard(slot)
                arc = self.target_arcs[slot]
                arc.setData(d * np.sin(angles), d * np.cos(angles))
                arc.setVisible(True)
        for slot in unused:
            if self.target_arcs[slot].isVisible():
                self.target_arcs[slot].setVisible(False)
        self.top_markers.setData(x=[0.0] * len(dists), y=dists, size=sizes, brush=brushes)

    def _update_labels(self, new_frames: int) -> None:
        now = time.monotonic()
        self.drawn_frames += new_frames
        self._fps_window.extend([now] * new_frames)
        if now - self._labels_at < LABEL_REFRESH_S:
            return
        self._labels_at = now
        self._fps_window = [s for s in self._fps_window if now - s <= 1.0]
        self.rate_label.setText(self._rate_text(now))
        warning = self._rate_warning(now)
        if warning != self.rate_warning.text():
            self.rate_warning.setText(warning)
        self.counter_label.setText(f"frame {self.last_drawn_idx}" if self.last_drawn_idx >= 0 else "frame —")

    def _rate_text(self, now: float) -> str:
        """Frames shown per second and the sensor's own rate."""
        feed = self.feed
        if feed is None:
            return "— frames/s"
        return f"{len(self._fps_window)} frames/s shown (sensor {feed.fps}/s)"

    def _rate_warning(self, now: float) -> str:
        """Reconnecting, no new frames, or a sensor slower than nominal, in words ("" when all is well)."""
        feed = self.feed
        if feed is None:
            return ""
        if feed.reconnecting:
            return "⚠ The sensor is not answering — reconnecting…"
        stalled = now - self._last_frame_at
        if not feed.paused and stalled >= STALLED_AFTER_S:
            return f"⚠ No new frame for {stalled:.0f} s — still asking the sensor"
        warnings = []
        if 0 < feed.fps < NOMINAL_FPS:
            warnings.append(f"the sensor reports {feed.fps} frames/s, below the {NOMINAL_FPS}/s the "
                            "document gives as normal")
        rate = feed.acquisition_rate()
        if rate is not None and rate < SLOW_SHARE * feed.fps:
            warnings.append(f"it acquires only {rate:.0f} frames/s of the {feed.fps}/s it reports")
        return "⚠ " + "; ".join(warnings) if warnings else ""

    def _update_alarm(self, status: AlarmStatus | None) -> None:
        active = status is not None and bool(status.alarms) and status.elapsed_time < ALARM_FRESH_MS
        pre_alarm = active and status is not None and all(
            a.type is AlarmType.TARGET and a.cause == PRE_ALARM_AREA_CAUSE for a in status.alarms
        )
        if pre_alarm and status is not None:
            text = "PRE-ALARM — " + "; ".join(alarm.description for alarm in status.alarms)
        elif active and status is not None:
            text = "ALARM — " + "; ".join(alarm.description for alarm in status.alarms)
        elif status is not None and status.alarms:
            seconds = status.elapsed_time / 1000
            text = f"No alarm now (last: {status.alarms[0].description}, {seconds:.0f} s ago)"
        else:
            text = "No alarm"
        if text != self.alarm_banner.text():
            self.alarm_banner.setText(text)
        state = "pre-alarm" if pre_alarm else "alarm" if active else "quiet"
        if state != self._alarm_state:  # a style sheet re-polishes the widget: only on a state change
            self._alarm_state = state
            self.alarm_banner.setStyleSheet(_banner_style(state))

    def _set_paused(self, paused: bool) -> None:
        if self.feed is not None:
            self.feed.paused = paused
        self.pause_button.setText("Resume" if paused else "Pause")


def _sector_polygon(min_angle: int, max_angle: int, radius_m: float) -> Any:
    """A pie slice from the sensor out to `radius_m` between two angles (degrees from straight ahead)."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QPolygonF

    angles = np.radians(np.linspace(min_angle, max_angle, 41))
    points = [QPointF(0.0, 0.0)] + [QPointF(radius_m * math.sin(a), radius_m * math.cos(a)) for a in angles]
    return QPolygonF(points)


def _sector_item(colour: str) -> Any:
    """A translucent filled sector item for an alarm area."""
    from PySide6.QtGui import QBrush, QColor, QPen
    from PySide6.QtWidgets import QGraphicsPolygonItem

    item = QGraphicsPolygonItem()
    fill = QColor(colour)
    fill.setAlpha(70)
    item.setBrush(QBrush(fill))
    pen = QPen(QColor(colour))
    pen.setCosmetic(True)
    pen.setWidthF(1.5)
    item.setPen(pen)
    return item


def _banner_style(state: str) -> str:
    """Red for an alarm, orange with dark text for a pre-alarm, calm otherwise."""
    if state == "alarm":
        return f"background:{ALARM_COLOUR};color:white;font-weight:bold;padding:6px;border-radius:4px;"
    if state == "pre-alarm":
        return f"background:{PRE_ALARM_COLOUR};color:#222;font-weight:bold;padding:6px;border-radius:4px;"
    return "background:#e8efe8;color:#234;padding:6px;border-radius:4px;"
