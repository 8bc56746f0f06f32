"""The job view's table: one row per device of a site job (device, address, step and progress, result)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt

from app.site.jobs.engine import SiteJob
from app.site.jobs.model import RowState, RowStatus
from app.ui.table_model import ColumnsTableModel, Index
from app.vendors.registry import short_name

COLUMNS = ("Device", "Address", "Progress", "Result")


def device_text(row: RowStatus) -> str:
    """"2N IP Verso 54-0000-0001": vendor (unless the model names it), model and serial as far as known."""
    target = row.target
    vendor = str(short_name(target.vendor))
    shown_vendor = "" if target.model.lower().startswith(vendor.lower()) else vendor
    parts = (shown_vendor, target.model, row.serial or target.serial)
    return " ".join(part for part in parts if part)


def result_text(row: RowStatus) -> str:
    """The row's state and its message for the technician."""
    state = row.state.words
    if row.state in (RowState.PENDING, RowState.RUNNING) and not row.message:
        return state
    return f"{state}: {row.message}" if row.message else state


def preview_text(row: RowStatus) -> str:
    """The setting-by-setting changes a row's device gets (or got), or "" when the job shows none."""
    changes = row.detail.get("changes")
    if not isinstance(changes, list):
        return ""
    done = row.state is RowState.DONE
    heading = f"{'Changed' if done else 'Will change'} on {device_text(row)}"
    if not changes:
        return f"{heading}: nothing, it already has the source's settings."
    lines = [f"{heading} ({len(changes)} settings, from {row.detail.get('source', 'the source')}):"]
    for change in changes:
        before = change.get("before")
        shown_before = "(not set)" if before is None else before
        lines.append(f"  {change.get('name')}: {shown_before} → {change.get('after')}")
    return "\n".join(lines)


class JobRowsModel(ColumnsTableModel):
    """Mirrors a SiteJob's rows; each change of a row repaints only that row."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent)
        self._job: SiteJob | None = None
        self._keys: list[str] = []
        self._unsubscribe: Any = None

    def set_job(self, job: SiteJob) -> None:
        """Show `job`'s rows from now on."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.beginResetModel()
        self._job = job
        self._keys = [row.target.key for row in job.rows]
        self.endResetModel()
        self._unsubscribe = job.subscribe(self._changed)

    def detach(self) -> None:
        """Stop following the job (the view is closing)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def key_at(self, row: int) -> str:
        """The device key (JobTarget.key) of table row `row`."""
        return self._keys[row]

    def row_count(self) -> int:
        """Devices in the job."""
        return len(self._keys)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell's text (and the whole message as its tooltip)."""
        if self._job is None or not index.isValid():
            return None
        row = self._job.row(self._keys[index.row()])
        if role == Qt.ItemDataRole.DisplayRole:
            return (device_text(row), f"{row.target.host}:{row.target.port}", row.progress_line,
                    result_text(row))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3:
            return result_text(row)
        return None

    def _changed(self, row: RowStatus) -> None:
        position = self._keys.index(row.target.key)
        self.repaint_rows(position, position)
