"""The device list and the job view's rows share one flat table model: their column titles, a row count
that grows with the rows (and no children), and a repaint of exactly the rows that changed."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from app.core.models import DeviceCandidate, DeviceIdentity, DeviceState, Endpoint
from app.discovery.inventory import DeviceEntry
from app.ui import device_list, site_job_rows
from app.ui.device_list import DeviceListModel
from app.ui.site_job_rows import JobRowsModel


def _entry(serial: str) -> DeviceEntry:
    identity = DeviceIdentity("two_n", "2N IP Verso", serial=serial)
    candidate = DeviceCandidate(Endpoint("127.0.0.1", 8443), identity, identified=True)
    return DeviceEntry(f"two_n:{serial}", candidate, DeviceState.ONLINE)


def _titles(model: DeviceListModel | JobRowsModel) -> list[str]:
    horizontal = Qt.Orientation.Horizontal
    return [model.headerData(c, horizontal) for c in range(model.columnCount())]


def test_each_table_shows_its_own_columns(qapp: QApplication) -> None:
    assert _titles(DeviceListModel()) == list(device_list.COLUMNS)
    jobs = JobRowsModel()
    assert _titles(jobs) == list(site_job_rows.COLUMNS)
    assert jobs.rowCount() == 0
    assert DeviceListModel().headerData(0, Qt.Orientation.Vertical) is None


def test_rows_are_counted_without_children_and_a_change_repaints_only_its_row(qapp: QApplication) -> None:
    model = DeviceListModel()
    for serial in ("54-0001", "54-0002"):
        model.upsert(_entry(serial))
    model.flush()
    assert model.rowCount() == 2
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.columnCount(model.index(0, 0)) == 0
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda first, last: changed.append((first.row(), first.column(), last.row(), last.column()))
    )
    model.upsert(_entry("54-0002"))
    model.flush()
    assert changed == [(1, 0, 1, len(device_list.COLUMNS) - 1)]
    assert model.rowCount(QModelIndex()) == 2
