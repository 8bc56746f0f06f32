"""What a window really displays for device text: walks its labels, tooltips and item views."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QListView,
    QTabWidget,
    QToolTip,
    QWidget,
)

#: Device text that, rendered as markup, would read "CHANGEDsafe to go" in bold and green with an
#: image: short enough for a certificate's common name (64 characters at most).
HOSTILE = "<b>CHANGED</b><font color=green>safe to go</font><img src=x>"
#: How the start of HOSTILE reads when shown literally (X.509 subjects escape "<" and ">" with "\").
_LITERAL = ("<b>CHANGED</b>", "\\<b\\>CHANGED\\</b\\>")


def shown(text: str, text_format: Qt.TextFormat) -> str:
    """The characters a label with `text` in `text_format` puts on screen."""
    rich = text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    )
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def tooltip_shown(text: str) -> str:
    """What QToolTip puts on screen for `text` (shown for real, then hidden)."""
    QToolTip.showText(QPoint(20, 20), text)
    tip = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "qtooltip_label")
    assert isinstance(tip, QLabel)
    displayed = shown(tip.text(), tip.textFormat())
    QToolTip.hideText()
    return displayed


def literal(displayed: str) -> bool:
    """True when HOSTILE's markup is on screen as characters, not applied."""
    return any(form in displayed for form in _LITERAL)


def markup_problems(root: QWidget) -> list[str]:
    """Every place under `root` (labels, tooltips, item views, tab tips) that renders device markup,
    leaves its format to Qt's guess, or shows the app's own markup as raw tags."""
    problems = [problem for label in _labels(root) for problem in _label_problems(label)]
    for widget in [root, *root.findChildren(QWidget)]:
        problems += _tip_problem(widget.toolTip(), f"tooltip of {type(widget).__name__}")
    for view in root.findChildren(QAbstractItemView):
        problems += _view_problems(view)
    for tabs in root.findChildren(QTabWidget):
        for index in range(tabs.count()):
            problems += _tip_problem(tabs.tabToolTip(index), f"tab tooltip {index}")
    return problems


def _labels(root: QWidget) -> list[QLabel]:
    return ([root] if isinstance(root, QLabel) else []) + root.findChildren(QLabel)


def _label_problems(label: QLabel) -> list[str]:
    label.ensurePolished()  # as Qt does before a label is first shown
    text, text_format = label.text(), label.textFormat()
    where = f"{type(label).__name__} {label.objectName()!r}: {text[:80]!r}"
    if text_format == Qt.TextFormat.AutoText:
        return [f"format left to Qt's guess: {where}"]
    if "CHANGED" in text and not literal(shown(text, text_format)):
        return [f"device markup rendered: {where}"]
    if "CHANGED" not in text and text_format == Qt.TextFormat.PlainText and GuiQt.mightBeRichText(text):
        return [f"the app's own markup shown as raw tags: {where}"]
    return []


def _tip_problem(tip: str, where: str) -> list[str]:
    if "CHANGED" in tip and not literal(tooltip_shown(tip)):
        return [f"device markup rendered in the {where}: {tip[:80]!r}"]
    return []


def _view_problems(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    problems: list[str] = []
    columns = 1 if isinstance(view, QListView) else model.columnCount(QModelIndex())  # a list's is private
    for row in range(model.rowCount(QModelIndex())):
        for column in range(columns):
            tip = model.data(model.index(row, column), Qt.ItemDataRole.ToolTipRole)
            problems += _tip_problem(str(tip or ""), f"{type(view).__name__} cell {row},{column}")
    return problems
