"""What the 2N panel's tabs share: pictures from bytes and status lines."""

from __future__ import annotations

from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel


def pixmap_from_bytes(data: bytes) -> QPixmap:
    """A pixmap of encoded image bytes (JPEG, PNG, BMP, GIF); null if undecodable."""
    return QPixmap.fromImage(QImage.fromData(data))


def status_label(text: str = "") -> QLabel:
    """A word-wrapped status line."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label
