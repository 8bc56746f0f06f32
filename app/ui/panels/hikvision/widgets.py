"""Widgets of the Hik-Partner Pro panel: site picker, new-site form, device table, results and reports."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.vendors.hikvision.models import (
    AddOutcome,
    CloudDevice,
    Customer,
    CustomerStatus,
    DeliveryStatus,
    OnlineStatus,
    Site,
)
from app.vendors.hikvision.reports import HealthReport, UpgradeProgress, UpgradeStage
from app.vendors.hikvision.timezones import DEFAULT_TIME_ZONE, sorted_time_zones

GOOD = QColor("#1b7f3b")
BAD = QColor("#b3261e")
WAITING = QColor("#8a6d00")
DELIVERY_WORDS = {
    DeliveryStatus.NOT_HANDED_OVER: "not handed over",
    DeliveryStatus.HANDOVER_IN_PROGRESS: "hand-over waiting for the customer",
    DeliveryStatus.HANDED_OVER: "handed over",
    DeliveryStatus.UNKNOWN: "hand-over state unknown",
}
ONLINE_WORDS = {
    OnlineStatus.ONLINE: "● online",
    OnlineStatus.OFFLINE: "○ offline",
    OnlineStatus.UNKNOWN: "? unknown",
}
CUSTOMER_WORDS = {
    CustomerStatus.PENDING: "invited — waiting for the customer to accept in Hik-Connect",
    CustomerStatus.APPROVED: "accepted",
    CustomerStatus.REJECTED: "declined by the customer",
    CustomerStatus.EXPIRED: "invitation expired",
    CustomerStatus.NOT_REGISTERED: "no Hik-Connect account with this address yet",
    CustomerStatus.UNKNOWN: "state unknown",
}


class SitePicker(QGroupBox):
    """Search box and list of sites; emits `site_chosen(Site)` and `search_requested(str)`."""

    site_chosen = Signal(object)
    search_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Customer site", parent)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name, address or installer")
        self.search.setAccessibleName("Search sites")
        self.search_button = QPushButton("Search")
        row.addWidget(self.search, 1)
        row.addWidget(self.search_button)
        layout.addLayout(row)
        self.list = QListWidget()
        self.list.setAccessibleName("Sites")
        self.list.setWordWrap(True)  # a long name or address wraps instead of scrolling sideways
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        layout.addWidget(self.list, 1)
        self.search.returnPressed.connect(self._request)
        self.search_button.clicked.connect(self._request)
        self.list.currentItemChanged.connect(self._chosen)

    def _request(self) -> None:
        self.search_requested.emit(self.search.text().strip())

    def _chosen(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.site_chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def show_sites(self, sites: Sequence[Site], select_id: str = "") -> None:
        """Replace the list; keep or set the selection by site id."""
        current = select_id or (self.current.id if self.current else "")
        self.list.blockSignals(True)
        self.list.clear()
        for site in sites:
            detail = " · ".join(p for p in (site.address, DELIVERY_WORDS[site.delivery]) if p)
            item = QListWidgetItem(f"{site.name}\n   {detail}")
            item.setData(Qt.ItemDataRole.UserRole, site)
            self.list.addItem(item)
        self.list.blockSignals(False)
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole).id == current:
                self.list.setCurrentRow(row)
                return

    @property
    def current(self) -> Site | None:
        """The selected site."""
        item = self.list.currentItem()
        site: Site | None = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return site


class NewSiteForm(QGroupBox):
    """Name, time zone (Appendix A.2), city and street of a new site; emits `create_requested`."""

    create_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("New site", parent)
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. the customer's name and street")
        self.time_zone = QComboBox()
        for number, label in sorted_time_zones():
            self.time_zone.addItem(label, number)
        self.time_zone.setCurrentIndex(self.time_zone.findData(DEFAULT_TIME_ZONE))
        self.time_zone.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.time_zone.setMinimumContentsLength(18)
        self.city = QLineEdit()
        self.street = QLineEdit()
        self.create_button = QPushButton("Create site")
        form.addRow("&Name:", self.name)
        form.addRow("&Time zone:", self.time_zone)
        form.addRow("&City:", self.city)
        form.addRow("S&treet:", self.street)
        form.addRow(self.create_button)
        self.create_button.clicked.connect(self.create_requested.emit)
        self.name.returnPressed.connect(self.create_requested.emit)

    @property
    def zone(self) -> int:
        """The chosen time-zone number."""
        return int(self.time_zone.currentData())


def _item(text: str, color: QColor | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if color is not None:
        item.setForeground(color)
    return item


class DeviceTable(QTableWidget):
    """The site's devices with live online state, firmware and upgrade progress."""

    COLUMNS = ("Name", "Serial", "Model", "Kind", "State", "Firmware", "Upgrade")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setHorizontalHeaderLabels(self.COLUMNS)
        self.setAccessibleName("Devices of the site")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.upgrade_text: dict[str, tuple[str, QColor | None]] = {}

    def show_devices(self, devices: Sequence[CloudDevice]) -> None:
        """Replace the rows, keeping each device's upgrade column."""
        self.setRowCount(len(devices))
        for row, device in enumerate(devices):
            online = device.online is OnlineStatus.ONLINE
            upgrade, color = self.upgrade_text.get(device.serial, ("", None))
            cells = (
                _item(device.name),
                _item(device.serial),
                _item(device.model),
                _item(device.kind),
                _item(ONLINE_WORDS[device.online], GOOD if online else BAD),
                _item(device.firmware),
                _item(upgrade, color),
            )
            for column, cell in enumerate(cells):
                cell.setData(Qt.ItemDataRole.UserRole, device)
                self.setItem(row, column, cell)

    def set_upgrade(self, serial: str, text: str, color: QColor | None = None) -> None:
        """Show an upgrade note or progress for one device."""
        self.upgrade_text[serial] = (text, color)
        for row in range(self.rowCount()):
            cell = self.item(row, 1)
            if cell is not None and cell.text() == serial:
                self.setItem(row, 6, _item(text, color))

    def show_progress(self, progress: UpgradeProgress) -> None:
        """Upgrade column from an upgrade/progress snapshot."""
        color = {UpgradeStage.FINISHED: GOOD, UpgradeStage.FAILED: BAD}.get(progress.stage, WAITING)
        suffix = f" {progress.percent}%" if not progress.ended else ""
        self.set_upgrade(progress.serial, progress.words + suffix, color)

    def selected_devices(self) -> list[CloudDevice]:
        """Devices of the selected rows."""
        rows = sorted({index.row() for index in self.selectedIndexes()})
        cells = [self.item(row, 0) for row in rows]
        return [cell.data(Qt.ItemDataRole.UserRole) for cell in cells if cell is not None]


class WordsList(QListWidget):
    """A read-only list of result lines, each green (done) or red (problem), wrapped to the list's width
    (a cloud error is read whole, never cut off or scrolled sideways)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)

    def add_line(self, text: str, ok: bool | None = None) -> None:
        """Append one line; None colours it as waiting."""
        item = QListWidgetItem(text)
        item.setForeground(WAITING if ok is None else GOOD if ok else BAD)
        self.addItem(item)
        self.scrollToBottom()

    def show_outcomes(self, outcomes: Sequence[AddOutcome]) -> None:
        """One line per device of a registration: what happened, in words."""
        self.clear()
        for outcome in outcomes:
            ok = outcome.added or outcome.already_yours
            code = f" ({outcome.code})" if outcome.code and not ok else ""
            self.add_line(f"{'✓' if ok else '✗'} {outcome.serial} — {outcome.message}{code}", ok)

    def show_customers(self, customers: Sequence[Customer]) -> None:
        """One line per end user of the hand-over."""
        self.clear()
        for customer in customers:
            ok = (
                None
                if customer.status is CustomerStatus.PENDING
                else customer.status is CustomerStatus.APPROVED
            )
            self.add_line(f"{customer.account} — {CUSTOMER_WORDS[customer.status]}", ok)


class HealthTable(QTableWidget):
    """site/health/report: one row per device."""

    COLUMNS = ("Device", "Serial", "Model", "State", "Firmware", "IP address", "Last offline", "Check")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setHorizontalHeaderLabels(self.COLUMNS)
        self.setAccessibleName("Site health report")
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)

    def show_report(self, report: HealthReport) -> None:
        """Fill the rows from a report."""
        self.setRowCount(len(report.entries))
        for row, entry in enumerate(report.entries):
            cells = (
                _item(entry.name),
                _item(entry.serial),
                _item(entry.model),
                _item("online" if entry.online else "OFFLINE", GOOD if entry.online else BAD),
                _item(entry.firmware),
                _item(entry.ip),
                _item(entry.last_offline or "—"),
                _item(entry.verdict),
            )
            for column, cell in enumerate(cells):
                self.setItem(row, column, cell)
