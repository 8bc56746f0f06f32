"""Device and cloud text is data, never markup: every label, message box, tooltip and wizard header of
the app shows its text literally unless the code asked for rich text on purpose.

Qt renders a label whose string merely looks like HTML as rich text (Qt.TextFormat.AutoText, the
default of QLabel, QMessageBox, QInputDialog, QToolTip and QWizard headers), so a model name could
bold, colour, hide or add words in a prompt. `install_plain_text_default` makes plain text the
default for the whole application. The rule for code: a label that shows the app's own markup is
made with `rich()`, and every device- or cloud-supplied part inside it goes through `escaped()`.
"""

from __future__ import annotations

import html
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWizard

L = TypeVar("L", bound=QLabel)
_AUTO = Qt.TextFormat.AutoText
_PLAIN = Qt.TextFormat.PlainText
_POLISH = QEvent.Type.Polish


def rich(label: L) -> L:
    """`label`, set to render its text as markup: only for the app's own markup (device parts escaped)."""
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def escaped(text: object) -> str:
    """`text` for element content inside the app's own markup (not an attribute value): shown literally."""
    return html.escape(str(text), quote=False)


class PlainTextByDefault(QObject):
    """Application event filter: a label (tooltips and message boxes included) or a wizard that is
    polished with the guessing AutoText format gets plain text; an explicit format is left alone."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802  (Qt API)
        """Never consumes an event; on Polish, replaces AutoText by PlainText."""
        if event.type() == _POLISH:
            make_plain_by_default(watched)
        return False


def make_plain_by_default(widget: QObject) -> None:
    """Plain text for `widget` if it is a label or wizard still left to guess the format."""
    if isinstance(widget, QLabel):
        if widget.textFormat() == _AUTO:
            widget.setTextFormat(_PLAIN)
    elif isinstance(widget, QWizard):
        if widget.titleFormat() == _AUTO:
            widget.setTitleFormat(_PLAIN)
        if widget.subTitleFormat() == _AUTO:
            widget.setSubTitleFormat(_PLAIN)


def install_plain_text_default(app: QCoreApplication) -> None:
    """Make plain text the default of every label and wizard of `app` (idempotent)."""
    if app.findChild(PlainTextByDefault) is None:
        app.installEventFilter(PlainTextByDefault(app))
