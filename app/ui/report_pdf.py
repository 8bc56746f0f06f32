"""The as-built report printed to PDF with Qt's own writer: A4, page numbers, a DEMO mark on every page."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

#: Dots per inch of the PDF's layout (text stays vector; this only sets the layout grid).
PDF_RESOLUTION = 300
_MARGINS_MM = QMarginsF(15, 15, 15, 18)
_FOOTER_POINTS = 8


def write_report_pdf(html: str, path: Path, *, title: str, demo_mark: str = "") -> int:
    """Lay `html` out on A4 pages and write them to `path`; returns the page count. Every page gets
    "page n of N" and, when `demo_mark` is given, that mark across it. Safe off the Qt thread."""
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(title)
    writer.setCreator("Commissioner")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     _MARGINS_MM, QPageLayout.Unit.Millimeter))
    document = QTextDocument()
    try:
        document.documentLayout().setPaintDevice(writer)
        document.setDefaultFont(QFont("sans-serif", 10))
        area = writer.pageLayout().paintRectPixels(PDF_RESOLUTION)
        footer = PDF_RESOLUTION * _FOOTER_POINTS // 36  # room for the footer line below the text
        page = QSizeF(area.width(), area.height() - footer)
        document.setPageSize(page)  # before the text: the layout is then done once, at the page's width
        document.setHtml(html)
        return _paint_pages(writer, document, page, demo_mark)
    finally:
        shiboken6.delete(document)


def _paint_pages(writer: QPdfWriter, document: QTextDocument, page: QSizeF, demo_mark: str) -> int:
    count = document.pageCount()
    painter = QPainter(writer)
    try:
        for number in range(count):
            if number:
                writer.newPage()
            painter.save()
            painter.translate(0, -number * page.height())
            document.drawContents(painter, QRectF(0, number * page.height(), page.width(), page.height()))
            painter.restore()
            _footer(painter, page, f"page {number + 1} of {count}")
            if demo_mark:
                _mark(painter, page, demo_mark)
    finally:
        painter.end()
    return count


def _footer(painter: QPainter, page: QSizeF, text: str) -> None:
    painter.save()
    font = QFont("sans-serif")
    font.setPointSizeF(_FOOTER_POINTS)
    painter.setFont(font)
    painter.setPen(QColor("#666666"))
    box = QRectF(0, page.height(), page.width(), PDF_RESOLUTION * _FOOTER_POINTS / 36)
    painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom), text)
    painter.restore()


def _mark(painter: QPainter, page: QSizeF, mark: str) -> None:
    """`mark` in large pale letters across the page's middle, and small in its top corner."""
    painter.save()
    painter.setPen(QColor(198, 40, 40, 70))
    font = QFont("sans-serif")
    font.setPointSizeF(110)
    font.setBold(True)
    painter.setFont(font)
    painter.translate(page.width() / 2, page.height() / 2)
    painter.rotate(-35)
    painter.drawText(QRectF(-page.width(), -page.height() / 4, 2 * page.width(), page.height() / 2),
                     int(Qt.AlignmentFlag.AlignCenter), mark)
    painter.restore()
    painter.save()
    painter.setPen(QColor(198, 40, 40))
    small = QFont("sans-serif")
    small.setPointSizeF(_FOOTER_POINTS)
    small.setBold(True)
    painter.setFont(small)
    box = QRectF(0, page.height(), page.width(), PDF_RESOLUTION * _FOOTER_POINTS / 36)
    painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), f"{mark} report")
    painter.restore()
