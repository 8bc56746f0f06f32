"""The Directory tab: the intercom's residents (dir/query), their import from a CSV list, and a CSV export."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.panel_work import PanelWork
from app.ui.panels.two_n.common import status_label
from app.ui.panels.two_n.directory_import_dialog import DirectoryImportDialog
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.directory_csv import IMPORT_FIELDS, export_csv
from app.vendors.two_n.directory_import import read_directory
from app.vendors.two_n.directory_models import DirectoryEntry

#: The columns shown: every field the import can fill, uuid last.
COLUMNS = IMPORT_FIELDS


class DirectoryTab(QWidget):
    """Every live directory entry with the fields a residents list carries; import and export."""

    def __init__(self, work: PanelWork, client: TwoNClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.entries: tuple[DirectoryEntry, ...] = ()
        self.dialog: DirectoryImportDialog | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([field.label for field in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.count = QLabel("Not read yet.")
        self.refresh_button = QPushButton("Refresh")
        self.import_button = QPushButton("Import residents list (CSV)…")
        self.export_button = QPushButton("Export CSV…")
        row.addWidget(self.count, 1)
        for button in (self.refresh_button, self.import_button, self.export_button):
            row.addWidget(button)
        layout.addLayout(row)
        self.status = status_label()
        layout.addWidget(self.status)

    def _connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self.load)
        self.import_button.clicked.connect(self.choose_list)
        self.export_button.clicked.connect(self.choose_export)

    def load(self) -> None:
        """Read every entry (dir/query from timestamp 0)."""
        read = self.work.op("Reading the directory", lambda _: read_directory(self.client)).in_background()
        read.success(self.show_entries).failure_in(self.status).run()

    def show_entries(self, entries: tuple[DirectoryEntry, ...]) -> None:
        """Fill the table (device text goes into items, which show it as plain text)."""
        self.entries = entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            for column, field in enumerate(COLUMNS):
                value = entry.uuid if field.key == "uuid" else entry.text(field.key)
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.count.setText(f"{len(entries)} entries in the intercom's directory.")

    def choose_list(self) -> None:
        """Ask for the residents list, then open the import preview."""
        kinds = "CSV lists (*.csv *.txt);;All files (*)"
        path, _ = QFileDialog.getOpenFileName(self, "Residents list", "", kinds)
        if path:
            self.open_import(Path(path))

    def open_import(self, path: Path) -> DirectoryImportDialog:
        """Open the import preview for the list at `path` (non-modal; the tab refreshes after an import)."""
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = DirectoryImportDialog(self.work, self.client, path, self)
        self.dialog.imported.connect(self.load)
        self.dialog.show()
        return self.dialog

    def choose_export(self) -> None:
        """Ask where to save the directory as CSV."""
        path, _ = QFileDialog.getSaveFileName(self, "Export directory", "directory.csv", "CSV (*.csv)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> asyncio.Task[None]:
        """Write the entries shown to `path` (the import reads the file back; formula cells neutralised)."""
        entries = self.entries

        async def work(_: object) -> None:
            await asyncio.to_thread(export_csv, entries, path)

        done = f"{len(entries)} entries exported to {path.name}."
        write = self.work.op("Exporting the directory", work)
        return write.success(lambda _: self.status.setText(done)).failure_in(self.status).run()
