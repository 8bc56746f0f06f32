"""Tab pages shared by the panels: a tall secondary tab in its own scroll area, and finding a tab in it."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget


def scrolled(tab: QWidget) -> QScrollArea:
    """`tab` in its own scroll area, so a tall secondary tab never sets the whole panel's minimum height."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(tab)
    return area


def shown_in(page: QWidget | None) -> QWidget | None:
    """The tab a tab page shows: the page itself, or what its scroll area holds (None for no page)."""
    inner = page.widget() if isinstance(page, QScrollArea) else None
    return inner if inner is not None else page


def show_tab(tabs: QTabWidget, tab: QWidget) -> None:
    """Bring `tab` (one of `tabs`' pages, scrolled or not) to the front."""
    for index in range(tabs.count()):
        if shown_in(tabs.widget(index)) is tab:
            tabs.setCurrentIndex(index)
            return
