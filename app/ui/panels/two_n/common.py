"""What the 2N panel's tabs share: pictures from bytes, status lines, the tab widget."""

from __future__ import annotations

from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QTabWidget


def pixmap_from_bytes(data: bytes) -> QPixmap:
    """A pixmap of encoded image bytes (JPEG, PNG, BMP, GIF); null if undecodable."""
    return QPixmap.fromImage(QImage.fromData(data))


def status_label(text: str = "") -> QLabel:
    """A word-wrapped status line."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class PanelTabs(QTabWidget):
    """Tabs whose pages' wrapped text never makes the panel taller than its layout needs."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802  (Qt API)
        """No: Qt would otherwise size the panel to the tallest page's full preferred height (its
        word-wrapped labels ask for height-for-width), and a laptop's screen would scroll every tab."""
        return False
