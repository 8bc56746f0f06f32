"""File > Open plan…: the schedule's columns mapped to the plan's fields, with the rows taken and refused."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from app.site.plan import PlanField, PlanFileError, PlanImport, guess_mapping, parse_plan, read_headers

#: The combo entry for "this schedule has no such column".
NO_COLUMN = "(none)"


class OpenPlanDialog(QDialog):
    """Shows which column feeds which field (guessed, or as remembered) and what the import gives."""

    def __init__(
        self, text: str, file_name: str, remembered: Mapping[PlanField, str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.text = text
        self.headers = read_headers(text)
        self.result_import: PlanImport | None = None
        self.setWindowTitle(f"Open plan — {file_name}")
        self._build_ui(self._initial_mapping(remembered))
        self._connect_signals()
        self.reparse()

    def _initial_mapping(self, remembered: Mapping[PlanField, str]) -> dict[PlanField, str]:
        """The remembered column for each field where this file has it, else the guess from the headers."""
        mapping = guess_mapping(self.headers)
        for plan_field, header in remembered.items():
            if header in self.headers:
                mapping[plan_field] = header
        return mapping

    def _build_ui(self, mapping: Mapping[PlanField, str]) -> None:
        layout = QVBoxLayout(self)
        box = QGroupBox("Columns of the schedule")
        form = QFormLayout(box)
        self.combos: dict[PlanField, QComboBox] = {}
        for plan_field in PlanField:
            combo = QComboBox()
            combo.addItems([NO_COLUMN, *[h for h in self.headers if h]])
            combo.setCurrentText(mapping.get(plan_field, NO_COLUMN) or NO_COLUMN)
            combo.setAccessibleName(plan_field.value)
            self.combos[plan_field] = combo
            form.addRow(plan_field.value, combo)
        layout.addWidget(box)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.problems = QListWidget()
        self.problems.setAccessibleName("Rows not taken")
        layout.addWidget(self.problems, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.use_button = self.buttons.addButton("Use this plan", QDialogButtonBox.ButtonRole.AcceptRole)
        layout.addWidget(self.buttons)
        self.resize(560, 600)

    def _connect_signals(self) -> None:
        for combo in self.combos.values():
            combo.currentTextChanged.connect(lambda _text: self.reparse())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def mapping(self) -> dict[PlanField, str]:
        """The chosen column of each field that has one."""
        return {f: c.currentText() for f, c in self.combos.items() if c.currentText() != NO_COLUMN}

    def reparse(self) -> None:
        """Read the rows again with the chosen columns and show what is taken and what is refused."""
        self.problems.clear()
        try:
            self.result_import = parse_plan(self.text, self.mapping())
        except PlanFileError as err:
            self.result_import = None
            self.summary.setText(err.message)
            self.use_button.setEnabled(False)
            return
        taken, refused = len(self.result_import.rows), len(self.result_import.problems)
        self.summary.setText(f"{taken} planned device(s) read; {refused} row(s) not taken"
                             + (" (below, with their line in the file):" if refused else "."))
        for problem in self.result_import.problems:
            self.problems.addItem(f"line {problem.line}: {problem.message}")
        self.use_button.setEnabled(taken > 0)
