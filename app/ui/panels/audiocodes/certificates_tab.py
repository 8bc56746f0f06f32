"""The certificates tab: each TLS context's key and certificate, and the wizard that replaces one."""

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
from app.ui.panels.audiocodes.common import LevelGate, LevelNotice
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.panel_reads import ContextRow, read_tls_contexts
from app.vendors.audiocodes.permissions import Action

_COLUMNS = ("#", "Name", "Key", "Certificate subject", "Issuer", "Valid until", "SHA-256")


class CertificatesTab(QWidget):
    """Lists the TLS contexts; "Replace certificate…" opens the wizard (Security Administrator only)."""

    def __init__(
        self, work: PanelWork, client: AudioCodesClient, levels: LevelGate, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.levels = levels
        self.rows: list[ContextRow] = []
        self._build_ui()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(
            "TLS context 0 secures this device's web interface and REST API; after a replacement the app "
            "checks by a TLS handshake that the device serves the new certificate and trusts it."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.level_notice = LevelNotice(self.levels, Action.MANAGE_CERTIFICATES)
        layout.addWidget(self.level_notice)
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels(list(_COLUMNS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.wizard_button = QPushButton("Replace certificate…")
        self.refresh_button = QPushButton("Refresh")
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        row.addWidget(self.wizard_button)
        layout.addLayout(row)
        self.levels.gate(self.wizard_button, Action.MANAGE_CERTIFICATES)
        self.levels.gate(self.refresh_button, Action.MANAGE_CERTIFICATES)
        self.refresh_button.clicked.connect(self._reload)

    def _reload(self, *_: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Read every context's key status and certificate."""
        if not self.levels.allows(Action.MANAGE_CERTIFICATES):
            return
        read = self.work.op("Read TLS certificates", lambda _: read_tls_contexts(self.client))
        read.read_only().success(self.show_rows).run()

    def show_rows(self, rows: list[ContextRow]) -> None:
        """Render the contexts."""
        self.rows = rows
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            cert = row.certificate
            key = f"{row.key.size} bits" + ("" if row.key.valid else " (does not match the certificate)")
            cells = (
                row.context.id,
                row.context.name,
                key,
                cert.subject if cert else "—",
                cert.issuer if cert else "—",
                f"{cert.not_after:%Y-%m-%d}" if cert else "—",
                cert.fingerprint[:23] + "…" if cert else "—",
            )
            for column, text in enumerate(cells):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

