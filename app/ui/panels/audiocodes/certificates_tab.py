"""The certificates tab: each TLS context's key and certificate, and the wizard that replaces one."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.certificates import CertificateDetails
from app.core.progress import ProgressReporter
from app.ui.panels.audiocodes.common import DeviceWork, LevelNotice
from app.vendors.audiocodes.models import PrivateKeyInfo, TlsContext
from app.vendors.audiocodes.permissions import Action

_COLUMNS = ("#", "Name", "Key", "Certificate subject", "Issuer", "Valid until", "SHA-256")


@dataclass(frozen=True, slots=True)
class ContextRow:
    """What the table shows of one TLS context."""

    context: TlsContext
    key: PrivateKeyInfo
    certificate: CertificateDetails | None


class CertificatesTab(QWidget):
    """Lists the TLS contexts; "Replace certificate…" opens the wizard (Security Administrator only)."""

    def __init__(self, work: DeviceWork, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
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
        self.level_notice = LevelNotice(self.work, Action.MANAGE_CERTIFICATES)
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
        self.work.gate(self.wizard_button, Action.MANAGE_CERTIFICATES)
        self.work.gate(self.refresh_button, Action.MANAGE_CERTIFICATES)
        self.refresh_button.clicked.connect(self._reload)

    def _reload(self, *_: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Read every context's key status and certificate."""
        if not self.work.allows(Action.MANAGE_CERTIFICATES):
            return
        client = self.work.client

        async def read(_: ProgressReporter) -> list[ContextRow]:
            rows = []
            for context in await client.tls_contexts():
                key = await client.private_key(context.id)
                pem = await client.certificate(context.id)
                rows.append(ContextRow(context, key, _details(pem)))
            return rows

        self.work.run("Read TLS certificates", read, done=self.show_rows, record=False)

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


def _details(pem: bytes) -> CertificateDetails | None:
    try:
        der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    except ValueError:
        return None
    return CertificateDetails.from_der(der)
