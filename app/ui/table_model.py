"""The flat Qt table model both device tables share: fixed column titles, rows counted by the subclass."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class ColumnsTableModel(QAbstractTableModel):
    """A table (no children) whose columns are `columns`; a subclass says how many rows it has and what
    each cell holds (`data`)."""

    def __init__(self, columns: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)

    def row_count(self) -> int:
        """How many rows the table has now."""
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802  (Qt API)
        """Number of rows (a table: no children)."""
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802  (Qt API)
        """Number of columns."""
        return 0 if parent.isValid() else len(self._columns)

    def headerData(  # noqa: N802  (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section]
        return None

    def repaint_rows(self, first: int, last: int) -> None:
        """Tell the views that every cell of rows `first`..`last` changed."""
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(self._columns) - 1))
