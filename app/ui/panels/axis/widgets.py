"""Widgets of the Axis stitching panel: the panorama preview with seam close-ups, and the offsets table."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QTableWidget, QTableWidgetItem, QWidget

from app.vendors.axis.models import RotationAxis

SEAM_ZOOM = 3
WARNING_COLOR = QColor(255, 200, 120)


class PanoramaPreview(QWidget):
    """The latest snapshot scaled to fit, seam markers, and a row of magnified close-ups of every seam."""

    painted = Signal(int)  # number of the snapshot that has just been painted on screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = QImage()
        self.snapshot_number = 0
        self.painted_number = 0
        self.sensor_count = 0
        self.selected_sensor = 0
        self.focus_y = 0.62  # the roofline and kerb of the simulated street; real scenes: click to choose
        self.setMinimumSize(480, 200)  # modest: the nudge pad must fit below it on a laptop
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Stitched panorama preview")

    def sizeHint(self) -> QSize:  # noqa: N802  (Qt API)
        """Wide enough for a panorama; low enough that the nudge pad fits below it on a laptop (it grows)."""
        return QSize(960, 200)

    def show_image(self, image: QImage, sensor_count: int) -> None:
        """Show a new snapshot; `painted` is emitted once it is on screen."""
        self.image = image
        self.sensor_count = sensor_count
        self.snapshot_number += 1
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802  (Qt API)
        """Panorama on top, seam close-ups below; a placeholder line until the first snapshot."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(24, 24, 28))
        if self.image.isNull():
            painter.setPen(QColor(220, 220, 220))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Waiting for the camera's snapshot…")
            painter.end()
            return
        panorama_rect = self._panorama_rect()
        painter.drawImage(panorama_rect, self.image)
        self._draw_seam_marks(painter, panorama_rect)
        self._draw_close_ups(painter, panorama_rect.bottom() + 8)
        painter.end()
        if self.painted_number != self.snapshot_number:
            self.painted_number = self.snapshot_number
            self.painted.emit(self.painted_number)

    def seams(self) -> list[int]:
        """Seam x positions in image pixels."""
        width = self.image.width()
        return [round(width * i / self.sensor_count) for i in range(1, self.sensor_count)]

    def _panorama_rect(self) -> QRect:
        close_up_height = self.height() // 3
        available = QSize(self.width(), self.height() - close_up_height - 8)
        size = self.image.size().scaled(available, Qt.AspectRatioMode.KeepAspectRatio)
        return QRect(QPoint((self.width() - size.width()) // 2, 0), size)

    def _draw_seam_marks(self, painter: QPainter, target: QRect) -> None:
        scale = target.width() / max(1, self.image.width())
        sensor_width = target.width() / max(1, self.sensor_count)
        highlight = QRect(
            int(target.left() + self.selected_sensor * sensor_width),
            target.top(),
            int(sensor_width),
            target.height(),
        )
        painter.setPen(QPen(QColor(80, 200, 255), 2))
        painter.drawRect(highlight.adjusted(1, 1, -1, -1))
        painter.setPen(QPen(QColor(255, 230, 0), 2))
        for seam in self.seams():
            x = int(target.left() + seam * scale)
            painter.drawLine(x, target.top(), x, target.top() + 10)
            painter.drawLine(x, target.bottom() - 10, x, target.bottom())

    def _draw_close_ups(self, painter: QPainter, top: int) -> None:
        """Each seam magnified SEAM_ZOOM times (nearest pixel), centred on the height the user clicked."""
        seams = self.seams()
        if not seams:
            return
        slot = self.width() // len(seams)
        target_size = QSize(slot - 8, self.height() - top)
        source_w = max(8, target_size.width() // SEAM_ZOOM)
        source_h = min(self.image.height(), max(8, target_size.height() // SEAM_ZOOM))
        centre_y = int(self.focus_y * self.image.height())
        source_top = max(0, min(self.image.height() - source_h, centre_y - source_h // 2))
        for index, seam in enumerate(seams):
            source = QRect(seam - source_w // 2, source_top, source_w, source_h)
            target = QRect(QPoint(index * slot + 4, top), target_size)
            painter.drawImage(target, self.image, source)
            painter.setPen(QPen(QColor(255, 230, 0), 1, Qt.PenStyle.DashLine))
            painter.drawLine(target.center().x(), target.top(), target.center().x(), target.bottom())
            painter.setPen(QColor(255, 255, 255))
            painter.drawText(target.adjusted(4, 2, 0, 0), f"Seam {index}|{index + 1} ×{SEAM_ZOOM}")

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802  (Qt API)
        """A click on the panorama centres the seam close-ups on that height; the panel takes focus."""
        if not self.image.isNull():
            target = self._panorama_rect()
            if target.contains(event.position().toPoint()):
                self.focus_y = (event.position().y() - target.top()) / max(1, target.height())
                self.update()
        event.ignore()


class OffsetsTable(QTableWidget):
    """Per-sensor pan, tilt and roll offsets applied by this app; cells past a soft limit are highlighted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels(["Pan °", "Tilt °", "Roll °"])
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.setAccessibleName("Offsets applied per sensor")
        self.setMaximumHeight(150)

    def set_sensors(self, sensor_ids: list[int]) -> None:
        """One row per sensor, all offsets zero."""
        self.setRowCount(len(sensor_ids))
        self.setVerticalHeaderLabels([f"Sensor {s}" for s in sensor_ids])
        for row in range(len(sensor_ids)):
            for column in range(3):
                self.setItem(row, column, QTableWidgetItem("+0.00"))

    def set_offset(self, row: int, axis: RotationAxis, value: float, warning: str) -> None:
        """Show one offset; highlight it with the warning as tooltip when past the soft limit."""
        column = list(RotationAxis).index(axis)
        item = QTableWidgetItem(f"{value:+.2f}")
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if warning:
            item.setBackground(WARNING_COLOR)
            item.setToolTip(warning)
        self.setItem(row, column, item)
