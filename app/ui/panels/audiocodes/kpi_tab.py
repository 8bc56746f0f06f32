"""The acceptance tab: the SBC's current call and registration counters and its active alarms, as a view a
technician can show the customer at the end of a visit (document section 12, Performance Monitoring)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.panel_work import PanelWork
from app.ui.panels.audiocodes.common import LevelGate
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.models import KpiValue
from app.vendors.audiocodes.panel_reads import AcceptanceView, read_acceptance

_COLUMNS = ("Area", "Indicator", "Value", "Meaning")


class KpiTab(QWidget):
    """Calls, registrations and active alarms now; "Refresh" reads them again."""

    def __init__(
        self, work: PanelWork, client: AudioCodesClient, levels: LevelGate, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.work, self.client, self.levels = work, client, levels
        layout = QVBoxLayout(self)
        intro = QLabel("What the SBC counts now: calls, registrations and active alarms.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.summary = QLabel("—")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 14pt;")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels(list(_COLUMNS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.refresh_button = QPushButton("Refresh")
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        layout.addLayout(row)
        self.refresh_button.clicked.connect(self.refresh)

    def refresh(self, *_: object) -> None:
        """Read the KPIs and active alarms."""
        read = self.work.op("Read the KPIs", lambda _: read_acceptance(self.client))
        read.read_only().success(self.show_view).run()

    def show_view(self, view: AcceptanceView) -> None:
        """A one-line summary, then every indicator with its value."""
        by_id = {k.id: k.value for k in [*view.calls, *view.registrations]}
        active = int(by_id.get("activeCallsIn", "0") or 0) + int(by_id.get("activeCallsOut", "0") or 0)
        alarms = len(view.active_alarms.alarms)
        self.summary.setText(
            f"{active} call(s) up now · {by_id.get('registeredUsers', '—')} registered user(s) · "
            f"{alarms} active alarm(s)"
        )
        rows: list[tuple[str, KpiValue]] = [("Calls", k) for k in view.calls]
        rows += [("Registrations", k) for k in view.registrations]
        alarm_rows = [
            ("Alarms", KpiValue(a.id, "Active alarm", a.description, "")) for a in view.active_alarms.alarms
        ]
        rows += alarm_rows
        self.table.setRowCount(len(rows))
        for index, (area, kpi) in enumerate(rows):
            for column, text in enumerate((area, kpi.name, kpi.value, kpi.description)):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
