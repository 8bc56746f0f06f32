"""The panel's Team tab: site managers, sharing with an installation partner, the customer's access."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.models import Site, SiteManager
from app.vendors.hikvision.team import (
    MANAGER_DURATIONS,
    SHARE_DURATIONS,
    SiteTeam,
    assign_managers,
    read_team,
    set_customer_access,
    share_with_partner,
    stop_sharing,
)

_ROLE = Qt.ItemDataRole.UserRole


def _wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # names and addresses come from the cloud
    return label


def _durations(choices: tuple[tuple[int, str], ...]) -> QComboBox:
    box = QComboBox()
    for value, words in choices:
        box.addItem(words, value)
    return box


class TeamTab(QWidget):
    """Reads the chosen site's team when asked (`show_site`); every change is read back and shown."""

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
        self.team: SiteTeam | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_managers())
        layout.addWidget(self._build_sharing())
        layout.addWidget(self._build_access())
        layout.addStretch(1)

    def _build_managers(self) -> QGroupBox:
        box = QGroupBox("Site managers")
        layout = QVBoxLayout(box)
        self.managers_label = _wrapped("Choose a site to see its managers.")
        self.managers_label.setAccessibleName("Site managers")
        self.staff = QListWidget()
        self.staff.setAccessibleName("Employees who may manage the site")
        self.staff.setMaximumHeight(110)
        self.manager_duration = _durations(MANAGER_DURATIONS)
        self.assign_button = QPushButton("Make the ticked employees the managers")
        row = QHBoxLayout()
        row.addWidget(self.manager_duration)
        row.addWidget(self.assign_button)
        row.addStretch(1)
        note = _wrapped("Assigning replaces the current managers; whoever manages all sites stays.")
        for widget in (self.managers_label, self.staff, note):
            layout.addWidget(widget)
        layout.addLayout(row)
        return box

    def _build_sharing(self) -> QGroupBox:
        box = QGroupBox("Share with an installation partner")
        form = QFormLayout(box)
        self.sharing_label = _wrapped()
        self.sharing_label.setAccessibleName("Sharing")
        self.partner_email = QLineEdit()
        self.partner_email.setPlaceholderText("The partner employee's Hik-Partner Pro email")
        self.share_duration = _durations(SHARE_DURATIONS)
        self.share_note = QLineEdit()
        self.share_note.setPlaceholderText("Shown to the partner (optional)")
        self.share_button = QPushButton("Share the site")
        self.stop_share_button = QPushButton("Stop sharing…")
        buttons = QHBoxLayout()
        buttons.addWidget(self.share_button)
        buttons.addWidget(self.stop_share_button)
        buttons.addStretch(1)
        form.addRow(self.sharing_label)
        form.addRow("&Email:", self.partner_email)
        form.addRow("&Duration:", self.share_duration)
        form.addRow("&Message:", self.share_note)
        form.addRow(buttons)
        return box

    def _build_access(self) -> QGroupBox:
        box = QGroupBox("Customer's Hik-Connect access")
        layout = QVBoxLayout(box)
        self.access_label = _wrapped()
        self.access_label.setAccessibleName("Customer access")
        self.access_box = QCheckBox("The customer may operate the devices (live view, playback, arming…)")
        self.access_button = QPushButton("Apply")
        row = QHBoxLayout()
        row.addWidget(self.access_box, 1)
        row.addWidget(self.access_button)
        layout.addWidget(self.access_label)
        layout.addLayout(row)
        return box

    def _connect_signals(self) -> None:
        self.assign_button.clicked.connect(self.assign)
        self.share_button.clicked.connect(self.share)
        self.stop_share_button.clicked.connect(self.stop_sharing)
        self.access_button.clicked.connect(self.apply_access)

    # --- reading -----------------------------------------------------------------------------
    def show_site(self) -> None:
        """Read the chosen site's team and show it."""
        site = self._current()
        if site is None:
            return
        read = self.work.op(f"Team of {site.name}", lambda _: read_team(self.client, site))
        read.in_background().success(self.show_team).run()

    def show_team(self, team: SiteTeam) -> None:
        """Render `team`: managers, who may be ticked, sharing and customer access."""
        self.team = team
        self.managers_label.setText(
            "Managers: " + "; ".join(_manager_words(m) for m in team.managers) if team.managers
            else "No managers listed."
        )
        managing = {m.id for m in team.managers}
        self.staff.clear()
        for person in team.staff:
            item = QListWidgetItem(f"{person.full_name} — {person.email}")
            item.setData(_ROLE, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if person.id in managing else Qt.CheckState.Unchecked)
            self.staff.addItem(item)
        shared = team.site.sharing.shared
        self.sharing_label.setText(team.sharing_words)
        self.share_button.setEnabled(not shared and not team.handed_over)
        self.stop_share_button.setEnabled(shared)
        self.access_label.setText(team.customer_access_words)
        self.access_box.setChecked(team.site.cloud_enable)
        self.access_box.setEnabled(team.handed_over)
        self.access_button.setEnabled(team.handed_over)

    def ticked_ids(self) -> list[str]:
        """Employees ticked as managers."""
        items = (self.staff.item(row) for row in range(self.staff.count()))
        ticked = Qt.CheckState.Checked
        return [str(i.data(_ROLE)) for i in items if i is not None and i.checkState() == ticked]

    # --- changes -----------------------------------------------------------------------------
    def _change(self, title: str, change: Callable[[Site], Awaitable[SiteTeam]]) -> None:
        site = self._current()
        if site is None:
            return

        async def run(_: ProgressReporter) -> SiteTeam:
            return await change(site)

        def done(team: SiteTeam) -> None:
            self.show_team(team)
            self._changed(site.id)

        self.work.op(f"{title} ({site.name})", run).success(done).run()

    def assign(self) -> None:
        """Make the ticked employees the site's managers for the chosen duration."""
        ids, duration = self.ticked_ids(), int(self.manager_duration.currentData())
        self._change("Assign site managers", lambda site: assign_managers(self.client, site, ids, duration))

    def share(self) -> None:
        """Share the site with the typed partner employee for the chosen duration."""
        email, note = self.partner_email.text(), self.share_note.text()
        duration = int(self.share_duration.currentData())
        self._change(
            "Share the site",
            lambda site: share_with_partner(self.client, site, email, duration, note),
        )

    def stop_sharing(self) -> None:
        """Stop sharing the site with the partner after confirmation."""
        question = "Stop sharing the site? The partner company loses access to it at once."
        if QMessageBox.question(self, "Stop sharing", question) != QMessageBox.StandardButton.Yes:
            return
        self._change("Stop sharing the site", lambda site: stop_sharing(self.client, site))

    def apply_access(self) -> None:
        """Switch the customer's Hik-Connect operation on or off as ticked."""
        enabled = self.access_box.isChecked()
        title = "Allow the customer's access" if enabled else "Stop the customer's access"
        self._change(title, lambda site: set_customer_access(self.client, site, enabled))


def _manager_words(manager: SiteManager) -> str:
    until = f" until {manager.expires_at:%Y-%m-%d %H:%M} UTC" if manager.expires_at else ""
    return f"{manager.full_name}{until}"
