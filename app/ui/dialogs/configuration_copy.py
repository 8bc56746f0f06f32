"""Choose the device whose configuration is copied to the other selected ones, and whether its identity and
network settings go too."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.site.jobs.model import JobTarget


def target_text(target: JobTarget) -> str:
    """"2N IP Verso 54-0000-0001 at 127.0.0.1:4443"."""
    name = " ".join(part for part in (target.model, target.serial) if part)
    return f"{name} at {target.host}:{target.port}"


class ConfigurationCopyDialog(QDialog):
    """The source device (one of the selected) and the identity option; the copy previews before writing."""

    def __init__(self, targets: Sequence[JobTarget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Copy configuration")
        self.targets = list(targets)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Copy the configuration of this device to the other selected devices of its "
                                "model. The job view's pre-flight check shows each device's changes, setting "
                                "by setting, before anything is written."))
        self.source = QComboBox()
        self.source.setAccessibleName("Device the configuration comes from")
        for target in self.targets:
            self.source.addItem(target_text(target))
        layout.addWidget(self.source)
        self.include_identity = QCheckBox("Also copy identity and network settings (name, addresses, SIP "
                                          "identity): every device would get the source's")
        layout.addWidget(self.include_identity)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> JobTarget:
        """The device chosen as the source."""
        return self.targets[self.source.currentIndex()]
