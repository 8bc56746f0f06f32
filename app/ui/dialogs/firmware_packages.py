"""Choose one firmware package per model of the selected devices, and the version each installs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.site.jobs.tasks.firmware import FirmwarePackage


class FirmwarePackagesDialog(QDialog):
    """One line per model: how many selected devices, the file chosen for it, its version."""

    def __init__(self, models: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Firmware per model")
        counts = Counter(models)
        self.models = sorted(counts)
        self._files: dict[str, Path] = {}
        self.file_labels: dict[str, QLabel] = {}
        self.choose_buttons: dict[str, QPushButton] = {}
        self.versions: dict[str, QLineEdit] = {}
        self._build_ui(counts)
        self._update_ok()

    def _build_ui(self, counts: Counter[str]) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Choose a firmware file for each model. Devices already on its version are "
                                "skipped; a model without a file is left alone."))
        grid = QGridLayout()
        for column, title in enumerate(("Model", "Devices", "Firmware file", "", "Version it installs")):
            heading = QLabel(title)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            grid.addWidget(heading, 0, column)
        for row, model in enumerate(self.models, start=1):
            label = QLabel("no file chosen")
            button = QPushButton("Choose…")
            button.setAccessibleName(f"Choose the firmware file for {model}")
            button.clicked.connect(lambda _=False, m=model: self._choose(m))
            version = QLineEdit()
            version.setPlaceholderText("unknown: no device is skipped")
            self.file_labels[model], self.choose_buttons[model], self.versions[model] = label, button, version
            widgets = (QLabel(model), QLabel(str(counts[model])), label, button, version)
            for column, widget in enumerate(widgets):
                grid.addWidget(widget, row, column)
        layout.addLayout(grid)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _choose(self, model: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, f"Firmware file for {model}")
        if path:
            self.set_file(model, Path(path))

    def set_file(self, model: str, path: Path) -> None:
        """Use `path` for `model` (what choosing a file does)."""
        self._files[model] = path
        self.file_labels[model].setText(path.name)
        self._update_ok()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self._files))

    def packages(self) -> list[FirmwarePackage]:
        """One package per model with a file, with the version typed for it."""
        return [FirmwarePackage.of(path, self.versions[model].text(), [model])
                for model, path in self._files.items()]
