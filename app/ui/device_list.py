"""The device list: a table model over what discovery found, a sort/filter proxy and the view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.core.models import DeviceState
from app.discovery.inventory import DeviceEntry
from app.site.naming import host_port
from app.site.plan import PlanRow
from app.ui.table_model import ColumnsTableModel, Index
from app.vendors.registry import short_name

DEVICE_COLUMNS = ("Vendor", "Model", "Name", "Address", "Firmware", "Serial", "State")
#: Shown once a site plan is open: the plan row a device was matched to.
PLAN_COLUMNS = ("Planned name", "Location")
COLUMNS = DEVICE_COLUMNS + PLAN_COLUMNS
STATE_COLUMN = COLUMNS.index("State")
#: A device found on site that the plan does not list.
UNPLANNED_BACKGROUND = "#fff1cc"
#: A planned device not found yet: its row is greyed and says so in the State column.
MISSING_FOREGROUND = "#8a8a8a"
MISSING_STATE = "not found yet"
#: Device key -> (planned name, location), or None when the plan does not list the device.
PlanLookup = Callable[[str], tuple[str, str] | None]
_STATE_COLOURS = {
    DeviceState.ONLINE: "#1b7f3b",
    DeviceState.OFFLINE: "#7a7a7a",
    DeviceState.UNREACHABLE: "#7a7a7a",
    DeviceState.NEEDS_LOGIN: "#a35a00",
    DeviceState.CERTIFICATE_UNTRUSTED: "#a35a00",
    DeviceState.CERTIFICATE_CHANGED: "#b00020",
    DeviceState.CONFLICT: "#b00020",
}
#: Discovery can report hundreds of devices in a burst; rows are applied in batches at this interval.
FLUSH_INTERVAL_MS = 50
#: Roles every cell answers from the row and the plan (the key, the unplanned row's background).
_PLAN_ROLES = (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.UserRole)


def display_name(vendor: str, model: str) -> str:
    """"Axis P3818-PVE", "2N IP Vario" (not "2N 2N IP Vario"): the vendor's name once, then the model."""
    name = short_name(vendor)
    if not model:
        return name
    return model if model.casefold().startswith(name.casefold()) else f"{name} {model}"


def address_of(entry: DeviceEntry) -> str:
    """host:port the device answers on (IPv6 bracketed)."""
    return host_port(entry.candidate.endpoint)


def address_text(entry: DeviceEntry) -> str:
    """The address cell: host:port, saying so when the device answers only over unencrypted HTTP."""
    address = address_of(entry)
    if entry.candidate.endpoint.scheme != "http":
        return address
    return f"{address} (unencrypted{', allowed by you' if entry.cleartext_allowed else ''})"


def missing_cell_text(row: PlanRow, column: int) -> str:
    """A cell of a planned device not found yet: what the plan says of it."""
    values = (row.vendor, row.model, "", row.address, row.firmware and f"target {row.firmware}",
              row.serial or row.mac, MISSING_STATE, row.name, row.location)
    return values[column]


def cell_text(entry: DeviceEntry, column: int) -> str:
    """The text of one cell."""
    identity = entry.candidate.identity
    record = entry.candidate.record
    values = (
        short_name(identity.vendor),
        identity.model or ("(identifying…)" if entry.state is DeviceState.DISCOVERED else "(not identified)"),
        identity.name or (record.instance_name if record else ""),
        address_text(entry),
        identity.firmware,
        identity.serial or identity.mac,
        entry.state.value,
    )
    return values[column]


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def _italic() -> QFont:
    font = QFont()
    font.setItalic(True)
    return font


class DeviceListModel(ColumnsTableModel):
    """Rows keyed by device identity key; `upsert` batches updates so discovery bursts stay cheap."""

    counts_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent)
        self._rows: list[DeviceEntry] = []
        self._index: dict[str, int] = {}
        self._pending: dict[str, DeviceEntry] = {}
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._flush_timer.timeout.connect(self.flush)
        self._plan: PlanLookup | None = None
        self._missing: list[PlanRow] = []

    def set_missing(self, rows: Sequence[PlanRow]) -> None:
        """Show the planned devices not found yet as greyed rows after the devices found."""
        if list(rows) == self._missing:
            return
        first = len(self._rows)
        if self._missing:
            self.beginRemoveRows(QModelIndex(), first, first + len(self._missing) - 1)
            self._missing = []
            self.endRemoveRows()
        if rows:
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._missing = list(rows)
            self.endInsertRows()

    def missing(self) -> list[PlanRow]:
        """The planned devices shown as not found yet."""
        return list(self._missing)

    def set_plan(self, lookup: PlanLookup | None) -> None:
        """Show each device's planned name and location from `lookup` (None: no plan open)."""
        self._plan = lookup
        if self._rows:
            self.repaint_rows(0, len(self._rows) - 1)

    def _planned(self, key: str) -> tuple[str, str] | None:
        return None if self._plan is None else self._plan(key)

    def row_count(self) -> int:
        """Number of devices found, then the planned devices not found yet."""
        return len(self._rows) + len(self._missing)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, state colour and tooltips."""
        if not index.isValid() or index.row() >= len(self._rows):
            return self._missing_data(index, role)
        row = self._rows[index.row()]
        if index.column() >= len(DEVICE_COLUMNS) or role in _PLAN_ROLES:
            return self._plan_data(row, index.column(), role)
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.detail or cell_text(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == STATE_COLUMN:
            colour = _STATE_COLOURS.get(row.state)
            return QBrush(QColor(colour)) if colour else None
        return None

    def _missing_data(self, index: Index, role: int) -> Any:
        """A planned device not found yet: greyed and italic, no device key (nothing to open)."""
        if not index.isValid():
            return None
        row = self._missing[index.row() - len(self._rows)]
        if role == Qt.ItemDataRole.DisplayRole:
            return missing_cell_text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.name}: in the site plan, not found on the network yet."
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(MISSING_FOREGROUND))
        if role == Qt.ItemDataRole.FontRole:
            return _italic()
        return None

    def _plan_data(self, row: DeviceEntry, column: int, role: int) -> Any:
        """Planned name and location cells; an amber row for a device the open plan does not list."""
        planned = self._planned(row.key)
        unplanned = self._plan is not None and planned is None and row.identified
        values: dict[int, Any] = {
            Qt.ItemDataRole.BackgroundRole: QBrush(QColor(UNPLANNED_BACKGROUND)) if unplanned else None,
            Qt.ItemDataRole.UserRole: row.key,
        }
        if column >= len(DEVICE_COLUMNS):
            shown = planned[column - len(DEVICE_COLUMNS)] if planned else ""
            text = "not in the plan" if unplanned and column == len(DEVICE_COLUMNS) else shown
            values[Qt.ItemDataRole.DisplayRole] = text
            values[Qt.ItemDataRole.ToolTipRole] = (
                "Found on the network, but the site plan does not list it." if unplanned else text)
            values[Qt.ItemDataRole.FontRole] = _bold() if unplanned else None
        return values.get(role)

    def row(self, key: str) -> DeviceEntry | None:
        """The row for a device key (pending updates included)."""
        if key in self._pending:
            return self._pending[key]
        position = self._index.get(key)
        return None if position is None else self._rows[position]

    def rows(self) -> list[DeviceEntry]:
        """Every row currently shown."""
        return list(self._rows)

    def upsert(self, row: DeviceEntry) -> None:
        """Add or replace a device; applied at the next flush."""
        self._pending[row.key] = row
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def remove(self, key: str) -> None:
        """Drop a row (the inventory merged a provisional row into a known device)."""
        self.flush()
        position = self._index.pop(key, None)
        if position is None:
            return
        self.beginRemoveRows(QModelIndex(), position, position)
        del self._rows[position]
        self.endRemoveRows()
        self._index = {row.key: i for i, row in enumerate(self._rows)}
        self.counts_changed.emit()

    def flush(self) -> None:
        """Apply pending updates now: changed rows in place, new rows in one insert."""
        pending, self._pending = self._pending, {}
        new_rows: list[DeviceEntry] = []
        for key, row in pending.items():
            position = self._index.get(key)
            if position is None:
                new_rows.append(row)
                continue
            self._rows[position] = row
            self.repaint_rows(position, position)
        if new_rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new_rows) - 1)
            for offset, row in enumerate(new_rows):
                self._index[row.key] = first + offset
                self._rows.append(row)
            self.endInsertRows()
        if pending:
            self.counts_changed.emit()

    def count_by_state(self) -> dict[DeviceState, int]:
        """How many devices are in each state."""
        counts: dict[DeviceState, int] = {}
        for row in self._rows:
            counts[row.state] = counts.get(row.state, 0) + 1
        return counts


class DeviceFilterModel(QSortFilterProxyModel):
    """Sorts by any column; the filter text matches any column, case-insensitively."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(True)


class DeviceTableView(QTableView):
    """The table: whole-row selection, sortable headers, Enter opens the current device."""

    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.setAccessibleName("Devices")
        self.doubleClicked.connect(self._open_index)

    def current_key(self) -> str | None:
        """Identity key of the selected device."""
        index = self.currentIndex()
        if not index.isValid():
            return None
        key = index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)
        return str(key) if key else None

    def selected_keys(self) -> list[str]:
        """Identity keys of every selected row (shift/ctrl-click, Ctrl+A for all shown), in view order."""
        rows = sorted(self.selectionModel().selectedRows(), key=lambda index: index.row())
        keys = (index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole) for index in rows)
        return [str(key) for key in keys if key]

    def select_same_model(self) -> int:
        """Select every shown row of the current row's vendor and model (for a site job); returns how many."""
        current = self.currentIndex()
        model = self.model()
        if not current.isValid() or model is None:
            return 0
        wanted = (current.siblingAtColumn(0).data(), current.siblingAtColumn(1).data())
        selection = QItemSelection()
        for row in range(model.rowCount()):
            first = model.index(row, 0)
            found = first.data(Qt.ItemDataRole.UserRole)  # a planned device not found yet has no key
            if found and (first.data(), first.siblingAtColumn(1).data()) == wanted:
                selection.select(first, first.siblingAtColumn(model.columnCount() - 1))
        self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        return len(self.selectionModel().selectedRows())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802  (Qt API)
        """Enter/Return opens the selected device; other keys navigate as usual."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            key = self.current_key()
            if key:
                self.open_requested.emit(key)
                return
        super().keyPressEvent(event)

    def _open_index(self, index: QModelIndex) -> None:
        key = index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)
        if key:
            self.open_requested.emit(str(key))
