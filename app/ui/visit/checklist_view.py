"""The visit at a glance: progress, each planned device with its checklist, and the devices not planned."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QProgressBar, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.site.checklist import DeviceChecklist
from app.site.plan_match import FoundDevice
from app.site.visit_state import VisitState

DONE_COLOUR = "#1b7f3b"
OPEN_COLOUR = "#a35a00"
MISSING_COLOUR = "#b00020"
UNPLANNED_TITLE = "Found, not in the plan"


class VisitChecklistView(QWidget):
    """Progress bar and words ("31 of 40 done"), then a tree: planned device > its items with evidence."""

    #: A listed device's key, when the technician double-clicks its row (to open it).
    device_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build_ui()
        self.tree.itemDoubleClicked.connect(self._chosen)

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.progress_label = QLabel("No site plan open: File > Open plan… reads the designer's schedule.")
        self.progress_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Planned device", "Status", "Location / evidence"])
        self.tree.setAccessibleName("Visit checklist")
        self.tree.setWordWrap(True)
        self.tree.setAlternatingRowColors(True)
        for widget in (self.progress_label, self.progress):
            layout.addWidget(widget)
        layout.addWidget(self.tree, 1)

    def show_state(self, state: VisitState, site: str = "") -> None:
        """Show `state` (rebuilt; expanded devices stay expanded)."""
        expanded = {item.text(0) for item in self._top_items() if item.isExpanded()}
        progress = state.progress
        where = f"{site}: " if site else ""
        self.progress_label.setText(
            f"{where}{progress.words} · {len(state.matching.missing)} not found · "
            f"{len(state.matching.unplanned)} found, not in the plan"
        )
        self.progress.setRange(0, max(progress.total, 1))
        self.progress.setValue(progress.done)
        self.tree.clear()
        for checklist in sorted(state.checklists, key=lambda c: c.done):
            self.tree.addTopLevelItem(_device_item(checklist))
        if state.matching.unplanned:
            self.tree.addTopLevelItem(_unplanned_item(state.matching.unplanned))
        for item in self._top_items():
            item.setExpanded(item.text(0) in expanded)
        self.tree.resizeColumnToContents(0)

    def _top_items(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    def _chosen(self, item: QTreeWidgetItem, _column: int) -> None:
        key = item.data(0, Qt.ItemDataRole.UserRole)
        if key:
            self.device_chosen.emit(str(key))


def _device_item(checklist: DeviceChecklist) -> QTreeWidgetItem:
    status = "not found" if checklist.device is None else checklist.summary
    item = QTreeWidgetItem([checklist.row.name, status, checklist.row.location])
    colour = MISSING_COLOUR if checklist.device is None else DONE_COLOUR if checklist.done else OPEN_COLOUR
    item.setForeground(1, QBrush(QColor(colour)))
    if checklist.device is not None:
        item.setData(0, Qt.ItemDataRole.UserRole, checklist.device.key)
    for check in checklist.items:
        child = QTreeWidgetItem([check.label, "✓ done" if check.done else "open", check.evidence])
        child.setForeground(1, QBrush(QColor(DONE_COLOUR if check.done else OPEN_COLOUR)))
        child.setToolTip(2, check.evidence)
        item.addChild(child)
    return item


def _unplanned_item(devices: tuple[FoundDevice, ...]) -> QTreeWidgetItem:
    group = QTreeWidgetItem([UNPLANNED_TITLE, str(len(devices)), ""])
    group.setForeground(0, QBrush(QColor(OPEN_COLOUR)))
    for device in devices:
        child = QTreeWidgetItem([device.name or device.model or device.key, device.serial, device.address])
        child.setData(0, Qt.ItemDataRole.UserRole, device.key)
        group.addChild(child)
    return group
