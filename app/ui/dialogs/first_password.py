"""First passwords for the selected devices: one for all, or one generated per device that the technician
exports or prints before the job may start (no password exists only in this window)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.paths import private_file
from app.site.jobs.device_list import PasswordList
from app.site.jobs.model import JobTarget
from app.site.jobs.password_sheet import (
    COLUMNS,
    generated_passwords,
    sheet_csv,
    sheet_html,
    sheet_rows,
    write_private,
)
from app.ui.report_pdf import write_report_pdf

#: Shortest first password accepted (the radars ask for 8 characters).
MIN_LENGTH = 8


class FirstPasswordDialog(QDialog):
    """One shared password (typed twice), or a generated list shown, exported and printed."""

    def __init__(self, targets: Sequence[JobTarget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("First passwords")
        self.targets = list(targets)
        self.passwords: dict[str, str] = generated_passwords(self.targets)
        self.saved_to: list[Path] = []
        self._build_ui()
        self._connect_signals()
        self._fill_table()
        self._update()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.shared = QRadioButton("One password for every device")
        self.shared.setChecked(True)
        layout.addWidget(self.shared)
        form = QFormLayout()
        self.password = QLineEdit()
        self.confirm = QLineEdit()
        for field in (self.password, self.confirm):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("New password", self.password)
        form.addRow("Again", self.confirm)
        layout.addLayout(form)
        self.generated = QRadioButton("A generated password for each device (export or print the list first)")
        layout.addWidget(self.generated)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.export_button = QPushButton("Export CSV…")
        self.print_button = QPushButton("Save printable sheet (PDF or HTML)…")
        self.regenerate_button = QPushButton("New passwords")
        for button in (self.export_button, self.print_button, self.regenerate_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        layout.addWidget(self.buttons)
        self.resize(760, 460)

    def _connect_signals(self) -> None:
        for signal in (self.shared.toggled, self.password.textChanged, self.confirm.textChanged):
            signal.connect(lambda *_: self._update())
        self.export_button.clicked.connect(lambda: self._ask_and_save("CSV (*.csv)"))
        self.print_button.clicked.connect(lambda: self._ask_and_save("PDF (*.pdf);;HTML (*.html)"))
        self.regenerate_button.clicked.connect(self.regenerate)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _fill_table(self) -> None:
        rows = sheet_rows(self.targets, self.passwords)
        self.table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            for column, value in enumerate((row.device, row.serial, row.address, row.username, row.password)):
                self.table.setItem(number, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def _update(self) -> None:
        shared = self.shared.isChecked()
        for field in (self.password, self.confirm):
            field.setEnabled(shared)
        for widget in (self.table, self.export_button, self.print_button, self.regenerate_button):
            widget.setEnabled(not shared)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self._problem() == "")
        self.status.setText(self._problem() or self._ready_text())

    def _problem(self) -> str:
        if self.shared.isChecked():
            if len(self.password.text()) < MIN_LENGTH:
                return f"The password needs at least {MIN_LENGTH} characters."
            if self.password.text() != self.confirm.text():
                return "The two entries differ."
            return ""
        if not self.passwords:
            return "None of the selected devices has a serial to give it its own password."
        if not self.saved_to:
            return "Export or print the list first: these passwords exist nowhere else yet."
        return ""

    def _ready_text(self) -> str:
        if self.shared.isChecked():
            return "Every device still on its factory password gets this password."
        return f"List saved to {', '.join(path.name for path in self.saved_to)}. Each device's password is " \
               "also kept in the keyring once it is set."

    def regenerate(self) -> None:
        """New passwords for every device (a list saved before no longer matches: save again)."""
        self.passwords = generated_passwords(self.targets)
        self.saved_to.clear()
        self._fill_table()
        self._update()

    def _ask_and_save(self, filters: str) -> None:
        path, chosen = QFileDialog.getSaveFileName(self, "Save the password list", "first-passwords", filters)
        if path:
            self.save(Path(path), pdf="PDF" in chosen and not path.lower().endswith((".html", ".htm")))

    def save(self, path: Path, *, pdf: bool = False) -> Path:
        """Write the list (CSV by a .csv name, else a PDF or an HTML page) for its owner only."""
        rows = sheet_rows(self.targets, self.passwords)
        if path.suffix.lower() == ".csv":
            write_private(path, sheet_csv(rows))
        elif pdf:
            write_report_pdf(sheet_html(rows), private_file(path), title="First passwords")
        else:
            write_private(path, sheet_html(rows))
        self.saved_to.append(path)
        self._update()
        return path

    def password_list(self) -> PasswordList:
        """What the job sets: the shared password, or each device's own."""
        if self.shared.isChecked():
            return PasswordList(shared=self.password.text())
        return PasswordList(per_device=self.passwords)
