"""The visit's details the report names: site, customer, technician and company."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from app.site.visit import VisitDetails


class VisitDetailsDialog(QDialog):
    """Edit the details; `details()` gives them back with the fields typed in."""

    def __init__(self, details: VisitDetails, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Visit details")
        self._original = details
        form = QFormLayout(self)
        self.site = QLineEdit(details.site)
        self.customer = QLineEdit(details.customer)
        self.technician = QLineEdit(details.technician)
        self.company = QLineEdit(details.company)
        for label, field in (("Site", self.site), ("Customer", self.customer),
                             ("Technician", self.technician), ("Company", self.company)):
            field.setAccessibleName(label)
            form.addRow(label, field)
        standard = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(standard.Ok | standard.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def details(self) -> VisitDetails:
        """The details as typed (trimmed)."""
        return replace(
            self._original, site=self.site.text().strip(), customer=self.customer.text().strip(),
            technician=self.technician.text().strip(), company=self.company.text().strip(),
        )
