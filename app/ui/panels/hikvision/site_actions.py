"""The chosen site's own actions: edit its name and address, delete it, cancel its hand-over."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.models import Customer, Site


class SiteEditDialog(QDialog):
    """Name and address of a site (site/{id}/update; its time zone cannot be changed there, §3.5)."""

    def __init__(self, site: Site, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit site {site.name}")
        form = QFormLayout(self)
        self.name, self.city, self.street = QLineEdit(site.name), QLineEdit(site.city), QLineEdit(site.street)
        self.name.setMaxLength(128)
        for label, edit in (("Name *", self.name), ("City", self.city), ("Street", self.street)):
            form.addRow(f"{label}:", edit)
        choice = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(choice.Ok | choice.Cancel)
        form.addRow(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)


class SiteActions(QWidget):
    """Buttons acting on the panel's chosen site; `changed(site_id)` lists the sites again ("" if gone)."""

    def __init__(
        self,
        work: PanelWork,
        client: HikPartnerClient,
        current: Callable[[], Site | None],
        changed: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.work, self.client, self._current, self._changed = work, client, current, changed
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit_button = QPushButton("Edit site…")
        self.delete_button = QPushButton("Delete site…")
        row.addWidget(self.edit_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.dialog: SiteEditDialog | None = None

    def edit(self) -> None:
        """Open the edit dialog for the chosen site; OK saves it in the cloud."""
        site = self._current()
        if site is None:
            return
        self.dialog = dialog = SiteEditDialog(site, self)
        dialog.accepted.connect(lambda: self._save(site, dialog))
        dialog.open()

    def _save(self, site: Site, dialog: SiteEditDialog) -> None:
        name, city = dialog.name.text().strip(), dialog.city.text().strip()
        street = dialog.street.text().strip()
        if not name:
            return

        async def save(_: ProgressReporter) -> None:
            await self.client.update_site(
                site.id, name, city=city, street=street, state=site.state, location=site.location
            )

        self.work.op(f"Edit site {site.name}", save).success(lambda _: self._changed(site.id)).run()

    def delete(self) -> None:
        """Delete the chosen site after a confirmation that names what goes with it."""
        site = self._current()
        if site is None:
            return
        question = (
            f"Delete the site “{site.name}” from the account? Every device of the site is removed from the "
            "account with it (guide §3.4); they must be registered again to be managed."
        )
        if QMessageBox.question(self, "Delete site", question) != QMessageBox.StandardButton.Yes:
            return

        async def delete(_: ProgressReporter) -> None:
            await self.client.delete_site(site.id)

        self.work.op(f"Delete site {site.name}", delete).success(lambda _: self._changed("")).run()

    def cancel_handover(self, shown: Callable[[tuple[Customer, ...]], None]) -> None:
        """Stop sharing the chosen site with every customer it was handed over to (site/customer/cancle)."""
        site = self._current()
        if site is None:
            return
        question = f"Stop sharing “{site.name}” with its customers? They lose access in Hik-Connect."
        if QMessageBox.question(self, "Cancel the hand-over", question) != QMessageBox.StandardButton.Yes:
            return

        async def cancel(_: ProgressReporter) -> tuple[Customer, ...]:
            customers = await self.client.customers(site.id)
            if customers:
                await self.client.cancel_customers(site.id, [c.account for c in customers])
            return await self.client.customers(site.id)

        self.work.op(f"Cancel the hand-over of {site.name}", cancel).success(shown).run()
