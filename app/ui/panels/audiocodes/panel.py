"""AudioCodesPanel: a Mediant SBC/gateway's status, license, TLS certificates, alarms and maintenance."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from app.core.errors import DeviceBusyError
from app.ui.panel_context import PanelContext
from app.ui.panel_work import PanelOp, PanelWork
from app.ui.panels.audiocodes.alarms_tab import AlarmsTab
from app.ui.panels.audiocodes.certificate_wizard import CertificateWizard
from app.ui.panels.audiocodes.certificates_tab import CertificatesTab
from app.ui.panels.audiocodes.common import BusyBar, LevelGate
from app.ui.panels.audiocodes.device_tab import DeviceTab
from app.ui.panels.audiocodes.kpi_tab import KpiTab
from app.ui.panels.audiocodes.license_tab import LicenseTab
from app.ui.plain_text import escaped, rich
from app.vendors.audiocodes.certificate_wizard import CertificateWizardController
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.models import DeviceStatus
from app.vendors.audiocodes.panel_reads import SessionOverview, read_session_overview
from app.vendors.audiocodes.permissions import UserLevel


def _scrollable(page: QWidget) -> QScrollArea:
    """The page in a frameless scroll area, so a 1366x768 laptop screen never squashes its buttons."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


class AudioCodesPanel(QWidget):
    """Tabs for the device, its license, TLS certificates and alarms; actions gated by the user's level."""

    def __init__(self, context: PanelContext[AudioCodesClient], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.client: AudioCodesClient = context.client
        self.work = PanelWork(context, self)
        self.levels = LevelGate(self)
        self.wizard: CertificateWizard | None = None
        self._build_ui()
        self._connect_signals()
        self.load()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        identity = self.context.identity
        self.title = rich(QLabel(f"<h2>AudioCodes {escaped(identity.model)}</h2>"))
        self.level_banner = rich(QLabel())
        self.level_banner.setWordWrap(True)
        self.level_banner.setObjectName("audiocodesLevelBanner")
        self.busy_bar = BusyBar(self)
        self.tabs = QTabWidget()
        shared = (self.work, self.client, self.levels)
        self.device_tab = DeviceTab(*shared)
        self.license_tab = LicenseTab(*shared)
        self.certificates_tab = CertificatesTab(*shared)
        self.alarms_tab = AlarmsTab(*shared)
        self.kpi_tab = KpiTab(*shared)
        for tab, label in (
            (self.device_tab, "Device"),
            (self.license_tab, "License"),
            (self.certificates_tab, "TLS certificates"),
            (self.alarms_tab, "Alarms"),
            (self.kpi_tab, "Acceptance (KPIs)"),
        ):
            self.tabs.addTab(_scrollable(tab), label)
        for widget in (self.title, self.level_banner, self.busy_bar):
            layout.addWidget(widget)
        layout.addWidget(self.tabs, 1)

    def _connect_signals(self) -> None:
        self.certificates_tab.wizard_button.clicked.connect(self.open_certificate_wizard)
        self.device_tab.status_shown.connect(self._show_title)
        self.work.on_outcome(succeeded=self._after_work, failed=self._offer_retry)

    def load(self) -> None:
        """Learn the user's level and status, then fill every tab the level allows."""
        read = self.work.op("Read the device", lambda _: read_session_overview(self.client))
        read.read_only().success(self._loaded).run()

    def _show_title(self, status: DeviceStatus) -> None:
        self.title.setText(
            f"<h2>AudioCodes {escaped(status.product_type)}</h2>Serial {escaped(status.serial_number)} · "
            f"software {escaped(status.version)} · {escaped(self.context.endpoint.host)}"
        )

    def _loaded(self, overview: SessionOverview) -> None:
        level, status = overview.level, overview.status
        self.levels.set_level(level)
        if level is UserLevel.SECURITY_ADMINISTRATOR:
            self.level_banner.setText(f"Logged in as <b>{level.label}</b>: every action is available.")
        else:
            self.level_banner.setText(
                f"Logged in as <b>{level.label}</b>: actions that need a higher level are greyed out; "
                "hover over one to see which level it needs."
            )
            self.level_banner.setStyleSheet("background: #eef3fb; padding: 4px;")
        self.device_tab.show_status(status)
        self.license_tab.refresh()
        self.certificates_tab.refresh()
        self.alarms_tab.load()
        self.kpi_tab.refresh()

    def _after_work(self, op: PanelOp[object]) -> None:
        if op.title in ("Install the TLS certificate", "Install the license key", "Install the license file"):
            self.certificates_tab.refresh()
            self.device_tab.refresh()

    def _offer_retry(self, op: PanelOp[object], error: Exception) -> None:
        """A 409 (busy, e.g. HA synchronisation): the busy bar says why and offers to run `op` again."""
        if isinstance(error, DeviceBusyError):
            self.busy_bar.offer(op.title, error.detail or "", lambda: _start(op))

    def open_certificate_wizard(self) -> None:
        """Open the certificate wizard (not modal: the task area stays usable)."""
        from app.backend.trust import TrustStore, fetch_certificate

        status = self.client.last_status
        key = self.context.identity.key or (f"audiocodes:{status.serial_number}" if status else "")
        controller = CertificateWizardController(
            self.client,
            device_key=key,
            endpoint=self.context.endpoint,
            fetch_certificate=fetch_certificate,
            pins=TrustStore(),
            history=self.context.history,
        )
        self.wizard = CertificateWizard(controller, self.work, self, demo=self.context.demo)
        self.wizard.finished.connect(lambda _: self.certificates_tab.refresh())
        self.wizard.show()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  (Qt override)
        """Cancel this panel's device work and close the wizard."""
        self.work.close()
        if self.wizard is not None:
            self.wizard.close()
        super().closeEvent(event)


def _start(op: PanelOp[object]) -> None:
    """Run `op` again (a retry); its task is owned by the panel."""
    op.run()
