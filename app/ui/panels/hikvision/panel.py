"""HikvisionPanel: a Hik-Partner Pro cloud account — sites, device registration, status, firmware,
health, live alarms and hand-over to the customer."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import DeviceError
from app.core.progress import ProgressReporter
from app.ui.panel_context import PanelContext
from app.ui.panel_work import PanelWork
from app.ui.panels.hikvision.devices_tab import DevicesTab
from app.ui.panels.hikvision.forms import HandoverForm, RegisterForm
from app.ui.panels.hikvision.site_actions import SiteActions
from app.ui.panels.hikvision.team_tab import TeamTab
from app.ui.panels.hikvision.widgets import (
    HealthTable,
    NewSiteForm,
    SitePicker,
    WordsList,
)
from app.ui.panels.tab_pages import scrolled
from app.ui.plain_text import escaped, rich
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.device_evidence import DeviceStateRecorder
from app.vendors.hikvision.events import EventSubscription, follow_events
from app.vendors.hikvision.labels import parse_labels
from app.vendors.hikvision.models import (
    AddOutcome,
    CloudDevice,
    Customer,
    CustomerStatus,
    OnlineStatus,
    Site,
)
from app.vendors.hikvision.panel_reads import Handover, SiteStatus, hand_over_site, read_site_status
from app.vendors.hikvision.reports import AlarmMessage, HealthReport

log = logging.getLogger(__name__)


class HikvisionPanel(QWidget):
    """The cloud account view; every cloud call runs through its PanelWork, cancelled on close."""

    POLL_SECONDS = 3.0
    ALARM_RETRY_SECONDS = 10.0

    def __init__(self, context: PanelContext[HikPartnerClient], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.client: HikPartnerClient = context.client
        self.work = PanelWork(context, self)
        self.site: Site | None = None
        self.devices: list[CloudDevice] = []
        self._watch: asyncio.Task[None] | None = None
        self._wizard: QWidget | None = None
        self._awaiting_customer: set[str] = set()
        self._evidence = DeviceStateRecorder(context.history.record)
        self._build_ui()
        self._connect_signals()
        self.search_sites("", title="Listing sites")
        self.subscription = EventSubscription(self.client)
        self._alarm_feed = self._start_alarm_feed()

    # --- layout ------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.account_label = rich(QLabel())
        self.account_label.setAccessibleName("Cloud account")
        self._show_account()
        self.wizard_button = QPushButton("End-of-visit wizard…")
        header.addWidget(self.account_label, 1)
        header.addWidget(self.wizard_button)
        layout.addLayout(header)
        splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.picker = SitePicker()
        self.new_site = NewSiteForm()
        left_layout.addWidget(self.picker, 1)
        left_layout.addWidget(self.new_site)
        splitter.addWidget(left)
        splitter.addWidget(self._build_site_area())
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([320, 880])
        layout.addWidget(splitter, 1)
        self.status = QLabel("Choose the customer's site or create it.")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")
        layout.addWidget(self.status)

    def _build_site_area(self) -> QWidget:
        area = QWidget()
        layout = QVBoxLayout(area)
        layout.setContentsMargins(0, 0, 0, 0)
        self.site_title = rich(QLabel("<i>No site chosen</i>"))
        layout.addWidget(self.site_title)
        self.site_actions = SiteActions(self.work, self.client, lambda: self.site, self._site_changed)
        self.site_actions.setEnabled(False)
        layout.addWidget(self.site_actions)
        self.tabs = QTabWidget()
        self.health = HealthTable()
        self.health_button = QPushButton("Read the site health report")
        self.alarms = WordsList()
        self.alarms.setAccessibleName("Live alarm messages")
        alarms_intro = QLabel("Events from this site's devices, newest last:")
        self.whole_account = QCheckBox("Events from every device in the account, not only this site's")
        self.team_tab = TeamTab(self.work, self.client, lambda: self.site, self._site_changed)
        for tab, title in (
            (self._build_devices_tab(), "Devices"),
            (self._build_register_tab(), "Register devices"),
            (_column(self.health_button, self.health)[0], "Health"),
            (_column(alarms_intro, self.whole_account, self.alarms)[0], "Alarms"),
            (self._build_handover_tab(), "Hand over"),
            (self.team_tab, "Team && sharing"),
        ):  # each in its own scroll area: no tab makes the panel taller than a laptop's screen
            self.tabs.addTab(scrolled(tab), title)
        self.tabs.setEnabled(False)
        layout.addWidget(self.tabs, 1)
        return area

    def _build_devices_tab(self) -> QWidget:
        tab = DevicesTab(self.work, self.client, self.status_message, lambda: self.POLL_SECONDS)
        self.devices_tab, self.table = tab, tab.table
        self.upgrade_button, self.rename_button, self.remove_button = (
            tab.upgrade_button,
            tab.rename_button,
            tab.remove_button,
        )
        return tab

    def _build_register_tab(self) -> QWidget:
        form = RegisterForm()
        self.labels, self.register_button, self.outcomes = form.labels, form.register_button, form.outcomes
        return form

    def _build_handover_tab(self) -> QWidget:
        form = HandoverForm()
        self.customer, self.by_phone = form.account, form.by_phone
        self.handover_button, self.customers = form.handover_button, form.customers
        self.handover_chooser = form.chooser
        form.cancel_button.clicked.connect(
            lambda: self.site_actions.cancel_handover(self.customers.show_customers)
        )
        return form

    def _connect_signals(self) -> None:
        self.picker.search_requested.connect(self.search_sites)
        self.picker.site_chosen.connect(self.choose_site)
        self.new_site.create_requested.connect(self.create_site)
        self.register_button.clicked.connect(self.register_devices)
        self.health_button.clicked.connect(self.read_health)
        self.handover_button.clicked.connect(self.hand_over)
        self.wizard_button.clicked.connect(self.open_wizard)
        self.whole_account.toggled.connect(self._restart_alarm_feed)

    def status_message(self, text: str) -> None:
        """Show one line for the technician under the panel."""
        self.status.setText(text)

    def _show_account(self) -> None:
        region, service = self.client.region, self.client.session.area_domain
        signed_in = f"Signed in · region <b>{escaped(region)}</b> · service {escaped(service)}"
        state = signed_in if region else "Signing in…"
        self.account_label.setText(f"<h2>Hik-Partner Pro</h2>{state}")

    # --- sites -------------------------------------------------------------------------------
    def search_sites(self, text: str, select_id: str = "", *, title: str = "Searching sites") -> None:
        """List the account's sites matching `text` (selecting `select_id` when listed)."""
        search = self.work.op(title, lambda _: self.client.all_sites(text)).in_background()
        search.success(lambda sites: self._show_sites(sites, select_id)).run()

    def _show_sites(self, sites: tuple[Site, ...], select_id: str) -> None:
        self._show_account()
        self.picker.show_sites(sites, select_id)
        self.status.setText(f"{len(sites)} site(s) found.")

    def _site_changed(self, site_id: str) -> None:
        """A site was edited (list again, keep it chosen) or deleted (list again, nothing chosen)."""
        if not site_id:
            if self._watch is not None:
                self._watch.cancel()
            self.site = None
            self.tabs.setEnabled(False)
            self.site_actions.setEnabled(False)
            self.site_title.setText("<i>No site chosen</i>")
        self.search_sites(self.picker.search.text().strip(), select_id=site_id)

    def create_site(self) -> None:
        """Create the site typed in the new-site form, then select it."""
        name = self.new_site.name.text().strip()
        if not name:
            self.status.setText("Type a name for the new site.")
            return

        form = self.new_site
        zone, city, street = form.zone, form.city.text().strip(), form.street.text().strip()

        def created(site: Site) -> None:
            self.context.history.record(
                self.context.identity.key, f"Created site {name}", "done", {"id": site.id}
            )
            for field in (self.new_site.name, self.new_site.city, self.new_site.street):
                field.clear()
            self.search_sites("", select_id=site.id)

        create = self.work.op(
            f"Creating site {name}", lambda _: self.client.add_site(name, zone, city=city, street=street)
        )
        create.in_background().success(created).run()

    def choose_site(self, site: Site) -> None:
        """Show `site` and start following its devices' online state."""
        changed = self.site is None or self.site.id != site.id
        self.site = site
        self.devices_tab.site_time_zone = site.time_zone
        self.site_title.setText(f"<h3>{escaped(site.name)}</h3>{escaped(site.address)}")
        self.tabs.setEnabled(True)
        self.site_actions.setEnabled(True)
        if changed:
            self.subscription.release()
            self.health.setRowCount(0)
            self.customers.clear()
            self.outcomes.clear()
            self.team_tab.show_site()
        if self._watch is not None:
            self._watch.cancel()
        self._watch = self.work.op("Device status", lambda _: self._watch_devices(site)).in_background().run()

    async def _watch_devices(self, site: Site) -> None:
        """Poll the site's devices (and a pending hand-over) until cancelled."""
        while True:
            following = site.id in self._awaiting_customer
            status = await read_site_status(self.client, site.id, with_customers=following)
            self._show_site_status(site, status)
            await asyncio.sleep(self.POLL_SECONDS)

    def _show_site_status(self, site: Site, status: SiteStatus) -> None:
        self.devices = list(status.devices)
        self._evidence.observe(site, self.devices)
        self.devices_tab.show_devices(self.devices)
        self.handover_chooser.show_devices(self.devices)
        online = sum(1 for d in self.devices if d.online is OnlineStatus.ONLINE)
        self.status.setText(f"{site.name}: {online} of {len(self.devices)} device(s) online.")
        if status.customers is not None:
            self._follow_handover(site, status.customers)

    def _follow_handover(self, site: Site, customers: tuple[Customer, ...]) -> None:
        """Show the customers; once none is pending, re-read the site list (its hand-over state)."""
        self.customers.show_customers(customers)
        if all(c.status is not CustomerStatus.PENDING for c in customers):
            self._awaiting_customer.discard(site.id)
            self.search_sites(self.picker.search.text().strip(), select_id=site.id)

    # --- devices -----------------------------------------------------------------------------
    def register_devices(self) -> None:
        """Register the typed or pasted devices to the chosen site, showing the result per device."""
        site = self.site
        parsed = parse_labels(self.labels.toPlainText())
        self.outcomes.clear()
        for problem in parsed.problems:
            self.outcomes.add_line(f"✗ {problem}", False)
        if site is None or not parsed.devices or parsed.problems:
            if not parsed.devices and not parsed.problems:
                self.outcomes.add_line(
                    "Type or paste at least one serial number and verification code.", False
                )
            return

        async def register(reporter: ProgressReporter) -> tuple[AddOutcome, ...]:
            reporter.stage("Registering", len(parsed.devices))
            outcomes = await self.client.add_devices(site.id, parsed.devices)
            reporter.set(len(outcomes))
            if not self.whole_account.isChecked():  # subscribed before they come online
                await self.subscription.add([o.serial for o in outcomes if o.added or o.already_yours])
            return outcomes

        def show(outcomes: tuple[AddOutcome, ...]) -> None:
            self.outcomes.show_outcomes(outcomes)
            for outcome in outcomes:
                self.context.history.record(
                    f"hikvision:{outcome.serial}",
                    f"Register to site {site.name}",
                    "done" if outcome.added or outcome.already_yours else "failed",
                    {"code": outcome.code, "message": outcome.message},
                )

        # Each device's outcome is recorded under its own key: the op adds only a failure of its own.
        title = f"Register devices to {site.name}"
        self.work.op(title, register, stages=("Registering",)).records_own_history().success(show).run()

    # --- health, hand-over, alarms -----------------------------------------------------------
    def read_health(self) -> None:
        """Read and show the site health report."""
        site = self.site
        if site is None:
            return

        def show(report: HealthReport) -> None:
            self.health.show_report(report)
            offline = len(report.offline)
            self.status.setText(f"Health report: {len(report.entries)} device(s), {offline} offline.")
            self.context.history.record(
                self.context.identity.key,
                f"Health report of {site.name}",
                "done" if not offline else "warning",
                {"offline": offline},
            )

        title = f"Health report of {site.name}"
        read = self.work.op(title, lambda _: self.client.health_report(site.id), stages=("Reading",))
        read.records_own_history().success(show).run()

    def hand_over(self) -> None:
        """Share the site's devices with the customer's Hik-Connect account."""
        site = self.site
        account = self.customer.text().strip()
        is_phone = self.by_phone.isChecked()
        if site is None or not account:
            self.status.setText("Type the customer's Hik-Connect email address or phone number.")
            return

        def handed_over(done: Handover) -> None:
            self.customers.show_customers(done.customers)
            self._awaiting_customer.add(site.id)
            self.context.history.record(
                self.context.identity.key,
                f"Hand over {site.name}",
                "done",
                {"customer": account, "devices": len(done.devices)},
            )
            self.search_sites(self.picker.search.text().strip(), select_id=site.id)

        client, choice = self.client, self.handover_chooser.choice()
        hand_over = self.work.op(
            f"Hand over {site.name}",
            lambda _: hand_over_site(client, site.id, account, is_phone=is_phone, choice=choice),
            stages=("Handing over",),
        )
        hand_over.records_own_history().success(handed_over).run()

    def _start_alarm_feed(self) -> asyncio.Task[None]:
        return self.work.op("Alarm messages", lambda _: self._pump_alarms()).in_background().run()

    def _restart_alarm_feed(self, _: object = None) -> None:
        self._alarm_feed.cancel()
        self.subscription = EventSubscription(self.client)
        self._alarm_feed = self._start_alarm_feed()

    async def _pump_alarms(self) -> None:
        """Follow the site's devices' events (the account's when asked); a line each, offline in red."""

        def show(message: AlarmMessage) -> None:
            self.alarms.add_line(_alarm_line(message), message.event_type != "deviceoffline")

        def interrupted(err: DeviceError) -> None:
            self.alarms.add_line(f"Event feed interrupted ({err.message}); retrying shortly.", False)

        await follow_events(
            self.client,
            show,
            on_error=interrupted,
            retry_delay=self.ALARM_RETRY_SECONDS,
            serials=None if self.whole_account.isChecked() else self._site_serials,
            subscription=self.subscription,
        )

    def _site_serials(self) -> list[str]:
        """The chosen site's devices: the feed subscribes these ("list")."""
        return [d.serial for d in self.devices]

    # --- plumbing ----------------------------------------------------------------------------
    def open_wizard(self) -> None:
        """Open the end-of-visit wizard beside the panel (not modal)."""
        from app.ui.panels.hikvision.wizard_pages import EndOfVisitWizard

        if self._wizard is None or not self._wizard.isVisible():
            self._wizard = EndOfVisitWizard(
                self.context, self, preferred_site_id=self.site.id if self.site else ""
            )
        self._wizard.show()
        self._wizard.raise_()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  (Qt API)
        """Cancel polling, the alarm feed and running operations; close the wizard."""
        self.work.close()
        if self._wizard is not None:
            self._wizard.close()
        super().closeEvent(event)


def _alarm_line(message: AlarmMessage) -> str:
    words = message.description or message.event_type or "event"
    return f"{message.time or '—'}  {message.serial}  {message.event_type}: {words}"


def _column(*widgets: QWidget) -> tuple[QWidget, QVBoxLayout]:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    for widget in widgets:
        layout.addWidget(widget)
    return holder, layout
