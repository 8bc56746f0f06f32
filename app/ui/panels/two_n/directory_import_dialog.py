"""The residents-list import: column mapping, lines not imported, the per-entry preview, apply and check."""

from __future__ import annotations

import asyncio
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.directory_csv import (
    IMPORT_FIELDS,
    CsvTable,
    guess_mapping,
    mapping_problems,
    parse_rows,
    read_table,
)
from app.vendors.two_n.directory_import import (
    IMPORT_STAGES,
    ChangeKind,
    ImportPlan,
    ImportResult,
    import_directory,
    plan_import,
    read_directory,
)
from app.vendors.two_n.directory_models import DirectoryEntry

NOT_IMPORTED = "— not imported —"
_KIND_COLOURS = {ChangeKind.ADD: Qt.GlobalColor.darkGreen, ChangeKind.UPDATE: Qt.GlobalColor.darkBlue,
                 ChangeKind.DELETE: Qt.GlobalColor.darkRed}


def _plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class DirectoryImportDialog(QDialog):
    """Shows what a residents list would change in the directory and applies it on request."""

    imported = Signal()

    def __init__(
        self, work: PanelWork, client: TwoNClient, path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.path = path
        self.table: CsvTable | None = None
        self.entries: tuple[DirectoryEntry, ...] = ()
        self.plan: ImportPlan | None = None
        self.last_result: ImportResult | None = None
        self.import_task: asyncio.Task[tuple[ImportResult, tuple[DirectoryEntry, ...]]] | None = None
        self.setWindowTitle(f"Import residents list — {path.name}")
        self.resize(1000, 660)
        self._build_ui()
        self._connect_signals()
        self.load()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.source = _plain(QLabel(f"Reading {self.path.name}…"))
        layout.addWidget(self.source)
        columns = QGroupBox("Columns of the list → directory fields")
        grid = QGridLayout(columns)
        self.column_boxes: dict[str, QComboBox] = {}
        for index, field in enumerate(IMPORT_FIELDS):
            box = QComboBox()
            box.setAccessibleName(field.label)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            self.column_boxes[field.key] = box
            grid.addWidget(QLabel(field.label), index // 4, (index % 4) * 2)
            grid.addWidget(box, index // 4, (index % 4) * 2 + 1)
        layout.addWidget(columns)
        self.problems_title = _plain(QLabel("Lines not imported"))
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(64)
        self.problems.setAccessibleName("Lines not imported")
        layout.addWidget(self.problems_title)
        layout.addWidget(self.problems)
        self.delete_missing = QCheckBox("Delete directory entries that are not in the list")
        layout.addWidget(self.delete_missing)
        self.preview = QTableWidget(0, 4)
        self.preview.setHorizontalHeaderLabels(["Action", "Line", "Name", "What changes"])
        self.preview.verticalHeader().setVisible(False)
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.preview, 1)
        self.summary = _plain(QLabel(""))
        layout.addWidget(self.summary)
        self.outcome = QPlainTextEdit()
        self.outcome.setReadOnly(True)
        self.outcome.setMaximumHeight(80)
        self.outcome.setAccessibleName("Import result")
        self.outcome.setPlaceholderText("After Apply: what changed, and the read-back check.")
        layout.addWidget(self.outcome)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.apply_button = QPushButton("Apply…")
        self.apply_button.setEnabled(False)
        self.close_button = QPushButton("Close")
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        for box in self.column_boxes.values():
            box.currentIndexChanged.connect(self.replan)
        self.delete_missing.toggled.connect(self.replan)
        self.apply_button.clicked.connect(self.apply)
        self.close_button.clicked.connect(self.close)

    def load(self) -> asyncio.Task[tuple[CsvTable, tuple[DirectoryEntry, ...]]]:
        """Read the list (off the GUI thread) and the intercom's directory, then show the preview."""
        path = self.path

        async def work(_: ProgressReporter) -> tuple[CsvTable, tuple[DirectoryEntry, ...]]:
            table = await asyncio.to_thread(lambda: read_table(path.read_bytes()))
            return table, await read_directory(self.client)

        read = self.work.op("Reading the residents list and the directory", work).in_background()
        return read.success(self._loaded).failure(lambda e: self.source.setText(f"Cannot import: {e}")).run()

    def _loaded(self, loaded: tuple[CsvTable, tuple[DirectoryEntry, ...]]) -> None:
        self.table, self.entries = loaded
        lines, entries = len(self.table.records), len(self.entries)
        self.source.setText(f"{self.path.name}: {lines} lines after the column names (separated by "
                            f"{self.table.delimiter!r}); the intercom has {entries} entries.")
        mapping = guess_mapping(self.table.headers)
        for key, box in self.column_boxes.items():
            box.blockSignals(True)
            box.clear()
            box.addItem(NOT_IMPORTED, None)
            for column, header in enumerate(self.table.headers):
                box.addItem(header or f"(column {column + 1})", column)
            box.setCurrentIndex(box.findData(mapping[key]) if mapping[key] is not None else 0)
            box.blockSignals(False)
        self.replan()

    def mapping(self) -> dict[str, int | None]:
        """Field key -> column chosen."""
        return {key: box.currentData() for key, box in self.column_boxes.items()}

    def replan(self) -> None:
        """Check the rows with the chosen columns and recompute the preview."""
        if self.table is None:
            return
        mapping = self.mapping()
        blocked = mapping_problems(mapping, self.table.headers)
        rows = parse_rows(self.table, mapping)
        delete = self.delete_missing.isChecked()
        self.plan = None if blocked else plan_import(rows, self.entries, delete_missing=delete)
        problems = self.plan.problems if self.plan else rows.problems
        self.problems_title.setText(f"Lines not imported ({len(problems)})")
        self.problems.setPlainText("\n".join(str(p) for p in problems) or "Every line can be imported.")
        self._show_plan(self.plan)
        self.summary.setText(" ".join(blocked) if blocked else (self.plan.describe() if self.plan else ""))
        self.apply_button.setEnabled(self.plan is not None and self.plan.has_work)

    def _show_plan(self, plan: ImportPlan | None) -> None:
        changes = plan.changes if plan else ()
        self.preview.setRowCount(len(changes))
        for row, change in enumerate(changes):
            values = (change.kind.value, str(change.line or ""), change.name or change.uuid, change.summary)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 0 and change.kind in _KIND_COLOURS:
                    item.setForeground(_KIND_COLOURS[change.kind])
                self.preview.setItem(row, column, item)
        self.preview.resizeColumnsToContents()

    def apply(self) -> None:
        """After confirmation, change the directory, then read it back and compare."""
        plan = self.plan
        if plan is None or not plan.has_work:
            return
        text = f"Change the intercom's directory: {plan.describe()}?"
        doomed = [c.name or c.uuid for c in plan.changes if c.kind is ChangeKind.DELETE]
        if doomed:
            more = f" and {len(doomed) - 10} more" if len(doomed) > 10 else ""
            text += f"\n\nDeleted because they are not in the list: {', '.join(doomed[:10])}{more}."
        if QMessageBox.question(self, "Import residents list", text) != QMessageBox.StandardButton.Yes:
            return
        self.apply_button.setEnabled(False)
        self.outcome.setPlainText("Importing…")

        async def work(reporter: ProgressReporter) -> tuple[ImportResult, tuple[DirectoryEntry, ...]]:
            result = await import_directory(self.client, plan, reporter)
            return result, await read_directory(self.client)

        run = self.work.op(f"Import {self.path.name}", work, stages=IMPORT_STAGES)
        self.import_task = run.success(self._applied).failure(lambda e: self._failed(str(e))).run()
        self.import_task.add_done_callback(self._maybe_cancelled)

    def _maybe_cancelled(self, task: asyncio.Task[object]) -> None:
        """Cancel stops the import between two requests: say so and show what is left to do."""
        if task.cancelled() and not self.work.closed and shiboken6.isValid(self):
            self._failed("cancelled")

    def _applied(self, done: tuple[ImportResult, tuple[DirectoryEntry, ...]]) -> None:
        self.last_result, self.entries = done
        self.outcome.setPlainText(self.last_result.describe())
        self.replan()
        self.imported.emit()

    def _failed(self, reason: str) -> None:
        self.outcome.setPlainText(f"The import stopped: {reason}\nThe preview now shows what is left to do.")
        self.load()
