"""Dialogs, shown with open() and awaited through `ask` — never a modal exec() inside a coroutine."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QDialog


async def ask(dialog: QDialog) -> int:
    """Open `dialog` window-modally and await its result code; cancelling the await rejects it."""
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def finished(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(finished)
    dialog.open()
    try:
        return await future
    finally:
        dialog.finished.disconnect(finished)
        if dialog.isVisible():
            dialog.reject()
