"""The menu bar a desktop user expects: File, View and Help (keyboard shortcuts, About with the version)."""

from __future__ import annotations

import platform
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.core.about import APP_NAME, app_version

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

#: Keys handled by widgets rather than window actions, listed with the actions in the shortcuts dialog.
WIDGET_KEYS: tuple[tuple[str, str], ...] = (
    ("Return", "Open the selected device (device list)"),
    ("Escape", "Close the dialog in front"),
)


def add_actions(menu: QMenu, actions: Iterable[QAction | None]) -> None:
    """Fill `menu` in order; None is a separator."""
    for action in actions:
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) for every action with a shortcut, by menu text without its & marks."""
    rows: dict[str, str] = {}
    for action in actions:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        what = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()
        if keys and what:
            rows.setdefault(keys, what)
    return sorted(rows.items(), key=lambda row: row[1].lower()) + list(WIDGET_KEYS)


class ShortcutsDialog(QDialog):
    """A read-only, non-modal table of keyboard shortcuts."""

    def __init__(self, rows: Sequence[tuple[str, str]], parent: MainWindow) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(("Keys", "Does"))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(460, 420)


def about_text() -> str:
    """What About says: name, version, what it is built on."""
    return (
        f"{APP_NAME} {app_version()}\n\n"
        "Finds security and communications devices on the local network and commissions them.\n\n"
        f"Python {platform.python_version()}, PySide6 {pyside_version}"
    )


def build_menus(window: MainWindow) -> QMenu:
    """File, View and Help menus from the window's actions (the toolbar shares them); returns File."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    add_actions(file_menu, (window.report_action, None, window.quit_action))
    view = bar.addMenu("&View")
    window.history_dock.toggleViewAction().setShortcut(QKeySequence("Ctrl+H"))
    add_actions(view, (
        window.select_model_action, None,
        window.task_details_action, None, window.task_dock.toggleViewAction(),
        window.log_dock.toggleViewAction(), window.history_dock.toggleViewAction(), None,
        window.toolbar.toggleViewAction(),
    ))
    help_menu = bar.addMenu("&Help")
    shortcuts = QAction("&Keyboard shortcuts…", window, shortcut=QKeySequence("F1"))
    shortcuts.triggered.connect(lambda: show_shortcuts(window))
    about = QAction(f"&About {APP_NAME}", window)
    about.triggered.connect(lambda: show_about(window))
    add_actions(help_menu, (shortcuts, None, about))
    return file_menu


def show_shortcuts(window: MainWindow) -> ShortcutsDialog:
    """Open the non-modal list of keyboard shortcuts (every action of the window and its panels)."""
    dialog = ShortcutsDialog(shortcut_rows(window.findChildren(QAction)), window)
    window.dialog_opened.emit(dialog)
    dialog.open()
    return dialog


def show_about(window: MainWindow) -> QMessageBox:
    """Open the non-modal About box with the installed version."""
    box = QMessageBox(QMessageBox.Icon.Information, f"About {APP_NAME}", about_text(),
                      QMessageBox.StandardButton.Ok, window)
    window.dialog_opened.emit(box)
    box.open()
    return box
