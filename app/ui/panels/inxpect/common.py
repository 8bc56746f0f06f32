"""What the Inxpect panel's tabs share: confirmations and units."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask the technician Yes/No (from a slot, never from inside a coroutine); tests replace this."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def metres(mm: int) -> str:
    """Millimetres as metres with one decimal, as technicians read distances."""
    return f"{mm / 1000:.1f} m"
