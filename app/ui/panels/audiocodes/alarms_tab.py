"""The alarms tab: active or history alarms a page at a time (device cursors), with each alarm's details."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtGui import QBrush, QColor, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import AppError
from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.ui.panels.audiocodes.common import LevelGate
from app.ui.plain_text import escaped, rich
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.models import AlarmDetail, AlarmPage
from app.vendors.audiocodes.panel_reads import AlarmsView, read_alarms
from app.vendors.audiocodes.permissions import Action

PAGE_SIZE = 20
#: While the active alarms are on screen, the device's lastChange is read this often; the page is read
#: again only when it moved (the document's purpose for /alarms/active/lastChange).
WATCH_INTERVAL_MS = 10_000
_KINDS = (("Active alarms", "active"), ("Alarm history (since last restart)", "history"))
log = logging.getLogger(__name__)
_SEVERITY_COLOURS = {"Critical": "#b00020", "Major": "#d35400", "Minor": "#b7950b", "Warning": "#2471a3"}


class AlarmsTab(QWidget):
    """Pages through alarms with the device's after/before cursors; selecting one loads its details."""

    def __init__(
        self, work: PanelWork, client: AudioCodesClient, levels: LevelGate, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.levels = levels
        self.page = AlarmPage.empty()
        self.details: dict[str, AlarmDetail] = {}
        self.last_change: datetime | None = None
        self._watch: asyncio.Task[None] | None = None
        self._watch_timer = QTimer(self)
        self._watch_timer.setInterval(WATCH_INTERVAL_MS)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.kind = QComboBox()
        for label, kind in _KINDS:
            self.kind.addItem(label, kind)
        self.previous_button = QPushButton("◀ Previous")
        self.next_button = QPushButton("Next ▶")
        self.refresh_button = QPushButton("Refresh")
        bar.addWidget(self.kind)
        bar.addStretch(1)
        for button in (self.previous_button, self.next_button, self.refresh_button):
            bar.addWidget(button)
        layout.addLayout(bar)
        self.last_change_label = QLabel()
        self.last_change_label.setObjectName("audiocodesAlarmsLastChange")
        layout.addWidget(self.last_change_label)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["#", "Severity", "Description", "Source", "Raised"])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.detail = rich(QLabel("Select an alarm to see its details."))
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        self.previous_button.setEnabled(False)
        self.next_button.setEnabled(False)
        self.levels.gate(self.refresh_button, Action.VIEW_ALARMS)

    def _connect_signals(self) -> None:
        self.kind.currentIndexChanged.connect(self._reload)
        self.next_button.clicked.connect(lambda: self.load(after=self.page.after))
        self.previous_button.clicked.connect(lambda: self.load(before=self.page.before))
        self.refresh_button.clicked.connect(self._reload)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self._watch_timer.timeout.connect(self.check_for_changes)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802  (Qt API)
        """Watch the active alarms while they are on screen."""
        self._watch_timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802  (Qt API)
        """Stop watching when the tab or the panel goes away."""
        self._watch_timer.stop()
        super().hideEvent(event)

    def check_for_changes(self) -> None:
        """Read lastChange (active alarms only, one check at a time); read the page again if it moved."""
        if self.work.closed or self.current_kind != "active" or (self._watch and not self._watch.done()):
            return
        self._watch = self.work.op("Watching active alarms", self._check).in_background().run()

    async def _check(self, reporter: ProgressReporter) -> None:
        try:
            changed = await self.client.last_alarm_change()
        except AppError as err:  # the next tick tries again; the device's state shows elsewhere
            log.info("Active alarms not checked: %s", err)
            return
        if changed != self.last_change:
            self.load()

    def _reload(self, *_: object) -> None:
        self.load()

    @property
    def current_kind(self) -> str:
        """ "active" or "history"."""
        return str(self.kind.currentData())

    def load(self, *, after: str = "", before: str = "") -> None:
        """Fetch one page (and the details of its alarms) from the device."""
        kind = self.current_kind

        def fetch(_: ProgressReporter) -> Awaitable[AlarmsView]:
            return read_alarms(self.client, kind, limit=PAGE_SIZE, after=after, before=before)

        self.work.op("Read alarms", fetch).read_only().success(self._show_page).run()

    def _show_page(self, view: AlarmsView) -> None:
        self.page, self.details, changed = view.page, view.details, view.last_change
        active = self.current_kind == "active"
        if active:
            self.last_change = changed
        self.last_change_label.setVisible(active)
        self.last_change_label.setText(
            f"Active alarms last changed {changed:%Y-%m-%d %H:%M:%S} (device time); checked every "
            f"{WATCH_INTERVAL_MS // 1000} s while shown."
            if changed is not None
            else "No active alarm raised or cleared since the device started."
        )
        self.table.setRowCount(len(self.page.alarms))
        for row, alarm in enumerate(self.page.alarms):
            detail = self.details.get(alarm.id)
            severity = detail.severity.value if detail else ""
            raised = f"{detail.date:%Y-%m-%d %H:%M:%S}" if detail and detail.date else ""
            cells = (alarm.id, severity, alarm.description, detail.source if detail else "", raised)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1 and severity in _SEVERITY_COLOURS:
                    item.setForeground(_colour(_SEVERITY_COLOURS[severity]))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.next_button.setEnabled(bool(self.page.after))
        self.previous_button.setEnabled(bool(self.page.before))
        if not self.page.alarms:
            self.detail.setText(
                "No alarms." if self.current_kind == "active" else "No alarms since the last restart."
            )

    def _show_selected(self) -> None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if not rows:
            return
        alarm = self.page.alarms[min(rows)]
        detail = self.details.get(alarm.id)
        if detail is None:
            return
        self.detail.setText(
            f"<b>{escaped(detail.description)}</b> — {detail.severity.value}, "
            f"source {escaped(detail.source)}, raised {detail.date:%Y-%m-%d %H:%M:%S} (device time)"
            if detail.date
            else escaped(detail.description)
        )


def _colour(name: str) -> QBrush:
    return QBrush(QColor(name))
