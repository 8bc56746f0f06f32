"""Device and cloud text is data, never markup: every label, message box, tooltip and wizard header of
the app shows its text literally unless the code asked for rich text on purpose.

Qt renders a label whose string merely looks like HTML as rich text (Qt.TextFormat.AutoText, the
default of QLabel, QMessageBox, QInputDialog, QToolTip and QWizard headers), so a model name could
bold, colour, hide or add words in a prompt. `install_plain_text_default` makes plain text the
default for the whole application, through its style, which polishes every widget before it is first
shown. The rule for code: a label that shows the app's own markup is made with `rich()`, and every
device- or cloud-supplied part inside it goes through `escaped()`.
"""

from __future__ import annotations

import html
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QProxyStyle, QStyleFactory, QWidget, QWizard

L = TypeVar("L", bound=QLabel)
_AUTO = Qt.TextFormat.AutoText
_PLAIN = Qt.TextFormat.PlainText
_INSTALLED = "plainTextByDefault"


def rich(label: L) -> L:
    """`label`, set to render its text as markup: only for the app's own markup (device parts escaped)."""
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def escaped(text: object) -> str:
    """`text` for element content inside the app's own markup (not an attribute value): shown literally."""
    return html.escape(str(text), quote=False)


class PlainTextStyle(QProxyStyle):
    """The app's style, plus: a label (tooltips and message boxes included) or a wizard polished with
    the guessing AutoText format gets plain text; an explicit format is left alone.

    A style sees each widget once, when it is polished before it is first shown, so the rule costs
    nothing per event (an application event filter would run Python for every event of the app).
    """

    def polish(self, target: Any) -> Any:
        """Qt's polish of a widget, the application or a palette; a widget gets plain text by default."""
        if isinstance(target, QWidget):
            make_plain_by_default(target)
        return super().polish(target)


def make_plain_by_default(widget: QWidget) -> None:
    """Plain text for `widget` if it is a label or wizard still left to guess the format."""
    if isinstance(widget, QLabel):
        if widget.textFormat() == _AUTO:
            widget.setTextFormat(_PLAIN)
    elif isinstance(widget, QWizard):
        if widget.titleFormat() == _AUTO:
            widget.setTitleFormat(_PLAIN)
        if widget.subTitleFormat() == _AUTO:
            widget.setSubTitleFormat(_PLAIN)


def install_plain_text_default(app: QApplication) -> None:
    """Make plain text the default of every label and wizard of `app`, keeping its style (idempotent;
    call it before any window is shown)."""
    if app.property(_INSTALLED):
        return
    base = QStyleFactory.create(app.style().name())  # a fresh instance: the proxy owns its base style
    _kept.append(PlainTextStyle(base) if base is not None else PlainTextStyle())
    app.setStyle(_kept[-1])
    app.setProperty(_INSTALLED, True)


#: The installed style, referenced for as long as the application uses it.
_kept: list[PlainTextStyle] = []
