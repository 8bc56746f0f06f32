"""The end-of-visit QWizard: pages that render EndOfVisitController's state and forward input to it.

Each page has its own action button; Next becomes available once the controller has moved past the
page's step. Work runs through the wizard's own PanelWork; closing it cancels that work.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.core.errors import AppError
from app.core.progress import Progress, ProgressReporter
from app.ui.panel_context import PanelContext
from app.ui.panel_work import PanelWork
from app.ui.panels.hikvision.handover_chooser import HandoverChooser
from app.ui.panels.hikvision.widgets import DeviceTable, HealthTable, NewSiteForm, SitePicker, WordsList
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.reports import UpgradeStage
from app.vendors.hikvision.wizard import STEPS, EndOfVisitController, Step


class StepPage(QWizardPage):
    """A page for one controller step: complete once the controller is past it; errors shown inline."""

    STEP = Step.SITE

    def __init__(self, wizard: EndOfVisitWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.controller = wizard.controller
        self.setTitle(self.STEP.value)
        self.layout_ = QVBoxLayout(self)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e")
        self.busy = False

    def isComplete(self) -> bool:  # noqa: N802  (Qt API)
        """True when the controller has finished this page's step."""
        return STEPS.index(self.controller.step) > STEPS.index(self.STEP) and not self.busy

    def start(self, work: Callable[[], Coroutine[Any, Any, None]], name: str) -> None:
        """Run `work` in the background; show an AppError on the page instead of losing it."""
        if self.busy:
            return
        self.busy = True
        self.error.clear()
        self.completeChanged.emit()

        async def guarded() -> None:
            try:
                await work()
            except AppError as err:
                self.error.setText(str(err))
            finally:
                self.busy = False
                self.completeChanged.emit()

        self.owner.work.op(name, lambda _: guarded()).in_background().run()


class SiteStepPage(StepPage):
    """Choose the customer's site, or type a new one."""

    STEP = Step.SITE

    def __init__(self, wizard: EndOfVisitWizard) -> None:
        super().__init__(wizard)
        self.setSubTitle("Pick the customer's site, or fill in “New site” to create it.")
        self.picker = SitePicker()
        self.form = NewSiteForm()
        self.form.create_button.setText("Create and use this site")
        self.use_button = QPushButton("Use the selected site")
        for widget in (self.picker, self.use_button, self.form, self.error):
            self.layout_.addWidget(widget)
        self.picker.search_requested.connect(
            lambda text: self.start(lambda: self._search(text), "Searching sites")
        )
        self.use_button.clicked.connect(lambda: self.start(self._use_selected, "Choosing the site"))
        self.form.create_requested.connect(lambda: self.start(self._create, "Creating the site"))

    def initializePage(self) -> None:  # noqa: N802  (Qt API)
        """List the sites."""
        self.start(lambda: self._search(""), "Listing sites")

    async def _search(self, text: str) -> None:
        sites = await self.controller.client.all_sites(text)
        self.picker.show_sites(sites, select_id=self.owner.preferred_site_id)

    async def _use_selected(self) -> None:
        site = self.picker.current
        if site is None:
            self.error.setText("Select a site in the list, or create a new one below.")
            return
        await self.controller.validate_site(site=site)
        self.owner.next()

    async def _create(self) -> None:
        await self.controller.validate_site(
            new_name=self.form.name.text(),
            time_zone=self.form.zone,
            city=self.form.city.text().strip(),
            street=self.form.street.text().strip(),
        )
        self.owner.next()


class RegisterStepPage(StepPage):
    """Type or paste today's devices; see the result per device."""

    STEP = Step.REGISTER

    def __init__(self, wizard: EndOfVisitWizard) -> None:
        super().__init__(wizard)
        self.setSubTitle("One device per line: serial number and the verification code from its label.")
        self.labels = QPlainTextEdit()
        self.labels.setPlaceholderText("Q01728482 ABCDEF\nQ01728483, GHIJKL")
        self.labels.setAccessibleName("Serial numbers and verification codes")
        self.register_button = QPushButton("Register to the site")
        self.results = WordsList()
        for widget in (
            self.labels,
            self.register_button,
            QLabel("Result per device:"),
            self.results,
            self.error,
        ):
            self.layout_.addWidget(widget)
        self.register_button.clicked.connect(lambda: self.start(self._register, "Registering devices"))

    def initializePage(self) -> None:  # noqa: N802  (Qt API)
        """Name the chosen site."""
        self.setSubTitle(
            f"Register the devices installed today to “{self.controller.site.name}”: one per "
            "line, serial number and the verification code from its label."
        )

    async def _register(self) -> None:
        outcomes = await self.controller.validate_register(self.labels.toPlainText())
        self.results.show_outcomes(outcomes)
        if outcomes and all(o.added or o.already_yours for o in outcomes):
            self.owner.next()


class ProgressPage(StepPage):
    """A step that starts by itself when shown and reports progress in a bar."""

    def __init__(self, wizard: EndOfVisitWizard) -> None:
        super().__init__(wizard)
        self.bar = QProgressBar()
        self.note = QLabel()
        self.note.setWordWrap(True)

    def reporter(self, stage: str) -> ProgressReporter:
        """A reporter whose updates move this page's bar and note."""

        def show(progress: Progress) -> None:
            self.bar.setRange(0, progress.total or 0)
            self.bar.setValue(progress.done)
            self.note.setText(progress.message)
            self.on_progress()

        reporter = ProgressReporter([stage], show)
        reporter.stage(stage)
        return reporter

    def on_progress(self) -> None:
        """Hook: refresh the page's details after each progress update."""


class OnlineStepPage(ProgressPage):
    """Wait until every registered device reports online."""

    STEP = Step.ONLINE

    def __init__(self, wizard: EndOfVisitWizard) -> None:
        super().__init__(wizard)
        self.setSubTitle("Waiting for each device to connect to Hik-Partner Pro (power and network on?).")
        self.table = DeviceTable()
        self.retry_button = QPushButton("Wait again")
        for widget in (self.bar, self.note, self.table, self.retry_button, self.error):
            self.layout_.addWidget(widget)
        self.retry_button.clicked.connect(self._begin)

    def initializePage(self) -> None:  # noqa: N802  (Qt API)
        """Start waiting."""
        self._begin()

    def _begin(self) -> None:
        self.start(self._wait, "Waiting for devices")

    async def _wait(self) -> None:
        self.retry_button.setVisible(False)
        try:
            await self.controller.validate_online(self.reporter("Online"))
        finally:
            self.retry_button.setVisible(self.controller.step is Step.ONLINE)
        self.on_progress()

    def on_progress(self) -> None:
        """Show the devices as last listed."""
        self.table.show_devices(list(self.controller.state.devices.values()))


class UpgradeStepPage(ProgressPage):
    """Offer the cloud upgrade for devices with newer firmware; run it with progress."""

    STEP = Step.UPGRADE

    def __init__(self, wizard: EndOfVisitWizard) -> None:
        super().__init__(wizard)
        self.needing: list[str] = []
        self.summary = QLabel("Checking for newer firmware…")
        self.summary.setWordWrap(True)
        self.upgrade_box = QCheckBox("Upgrade them now (each device restarts once)")
        self.upgrade_box.setChecked(True)
        self.panel_username, self.panel_password = QLineEdit(), QLineEdit()
        self.panel_username.setPlaceholderText("First-generation alarm panel: username")
        self.panel_password.setPlaceholderText("First-generation alarm panel: password")
        self.panel_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.go_button = QPushButton("Continue")
        self.results = WordsList()
        for widget in (
            self.summary,
            self.upgrade_box,
            self.panel_username,
            self.panel_password,
            self.go_button,
            self.bar,
            self.note,
            self.results,
            self.error,
        ):
            self.layout_.addWidget(widget)
        self.go_button.clicked.connect(lambda: self.start(self._go, "Upgrading firmware"))

    def initializePage(self) -> None:  # noqa: N802  (Qt API)
        """Ask the cloud which devices have newer firmware."""
        for hidden in (self.upgrade_box, self.go_button, self.panel_username, self.panel_password):
            hidden.setVisible(False)
        self.start(self._check, "Checking firmware")

    async def _check(self) -> None:
        self.needing = await self.controller.devices_needing_upgrade()
        if self.needing:
            self.summary.setText(f"Newer firmware is available for: {', '.join(self.needing)}.")
        else:
            self.summary.setText("Every device already runs the latest firmware.")
            self.controller.skip_upgrade()
        self.upgrade_box.setVisible(bool(self.needing))
        self.go_button.setVisible(bool(self.needing))
        needs_login = self.controller.needs_panel_login(self.needing)
        self.panel_username.setVisible(needs_login)
        self.panel_password.setVisible(needs_login)

    async def _go(self) -> None:
        if not self.upgrade_box.isChecked():
            self.controller.skip_upgrade()
            self.results.add_line("Upgrade skipped by the technician.", None)
            return
        self.go_button.setEnabled(False)
        try:
            login = (self.panel_username.text().strip(), self.panel_password.text())
            upgrades = await self.controller.validate_upgrade(
                self.needing, self.reporter("Upgrading"), panel_login=login
            )
        finally:
            self.go_button.setEnabled(self.controller.step is Step.UPGRADE)
        self.results.clear()
        for serial, progress in upgrades.items():
            self.results.add_line(f"{serial} — {progress.words}", progress.stage is UpgradeStage.FINISHED)


class HealthStepPage(StepPage):
    """Read the site health report before handing over."""

    STEP = Step.HEALTH

    def __init__(self, wizard: EndOfVisitWizard) -> None:
        super().__init__(wizard)
        self.setSubTitle("The cloud's view of every device of the site.")
        self.summary = QLabel()
        self.table = HealthTable()
        self.again = QPushButton("Read again")
        for widget in (self.summary, self.table, self.again, self.error):
            self.layout_.addWidget(widget)
        self.again.clicked.connect(self.initializePage)

    def initializePage(self) -> None:  # noqa: N802  (Qt API)
        """Read the report."""
        self.start(self._read, "Reading the health report")

    async def _read(self) -> None:
        report = await self.controller.validate_health()
        self.table.show_report(report)
        offline = ", ".join(e.serial for e in report.offline)
        self.summary.setText(
            f"Offline: {offline}. Check them before handing over."
            if offline
            else f"All {len(report.entries)} device(s) online."
        )


class HandoverStepPage(StepPage):
    """Hand the site over to the customer's Hik-Connect account."""

    STEP = Step.HANDOVER

    def __init__(self, wizard: EndOfVisitWizard) -> None:
        super().__init__(wizard)
        self.setSubTitle("The customer receives an invitation in the Hik-Connect app.")
        self.account = QLineEdit()
        self.account.setPlaceholderText("customer@example.com or +44…")
        self.account.setAccessibleName("Customer account")
        self.phone = QRadioButton("This is a phone number")
        row = QHBoxLayout()
        row.addWidget(self.account, 1)
        row.addWidget(self.phone)
        self.layout_.addLayout(row)
        self.chooser = HandoverChooser()
        self.button = QPushButton("Hand over")
        self.customers = WordsList()
        for widget in (self.chooser, self.button, self.customers, self.error):
            self.layout_.addWidget(widget)
        self.button.clicked.connect(lambda: self.start(self._hand_over, "Handing over"))

    def initializePage(self) -> None:  # noqa: N802  (Qt API)
        """List the site's devices with the permissions each may share."""
        self.start(self._list_devices, "Reading the site's devices")

    async def _list_devices(self) -> None:
        self.chooser.show_devices(await self.controller.site_devices())

    async def _hand_over(self) -> None:
        customers = await self.controller.validate_handover(
            self.account.text(), is_phone=self.phone.isChecked(), choice=self.chooser.choice()
        )
        self.customers.show_customers(customers)
        self.customers.add_line("Site handed over. Finish closes the wizard.", True)

    def isComplete(self) -> bool:  # noqa: N802  (Qt API)
        """Finish once handed over."""
        return self.controller.step is Step.DONE and not self.busy


class EndOfVisitWizard(QWizard):
    """Site, register, wait online, upgrade, health, hand over — each step recorded in the history."""

    def __init__(
        self,
        context: PanelContext[HikPartnerClient],
        parent: QWidget | None = None,
        controller: EndOfVisitController | None = None,
        preferred_site_id: str = "",
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.work = PanelWork(context, self)
        self.preferred_site_id = preferred_site_id
        self.controller = controller or EndOfVisitController(
            context.client, context.history.record, context.identity.key
        )
        self.setWindowTitle("End of visit — Hik-Partner Pro")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setMinimumSize(760, 560)
        self.pages: list[StepPage] = [
            SiteStepPage(self),
            RegisterStepPage(self),
            OnlineStepPage(self),
            UpgradeStepPage(self),
            HealthStepPage(self),
            HandoverStepPage(self),
        ]
        for page in self.pages:
            self.addPage(page)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  (Qt API)
        """Cancel the wizard's running work."""
        self.work.close()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        """Finish or Cancel: stop the wizard's work too."""
        self.work.close()
        super().done(result)
