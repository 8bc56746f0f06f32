"""The commissioning wizard's pages; the logic lives in the Qt-free CommissioningController."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.core.clock import Clock, SystemClock
from app.core.file_names import saved_file
from app.core.paths import data_dir
from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.ui.panels.two_n.common import status_label
from app.ui.panels.two_n.display_tab import DisplayTab
from app.vendors.two_n.call_models import CallState
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.models import SwitchCaps
from app.vendors.two_n.transfers import CONFIG_BACKUP_STAGES, DISPLAY_UPLOAD_STAGES
from app.vendors.two_n.wizard import CommissioningController, StepResult


class StepPage(QWizardPage):
    """A page that is complete once its controller step passed."""

    def __init__(self, wizard: CommissioningWizard, title: str, text: str) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(title)
        self.setSubTitle(text)
        self.passed = False
        self.on_enter: Callable[[], None] | None = None
        self.layout_ = QVBoxLayout(self)
        self.result = status_label()
        self.run_button = QPushButton("Run")
        self.layout_.addWidget(self.run_button)

    def finish_layout(self) -> None:
        """Put the result line last."""
        self.layout_.addWidget(self.result)
        self.layout_.addStretch(1)

    def show_result(self, result: StepResult) -> None:
        """Show a step's outcome and unlock Next when it passed."""
        mark = "✔" if result.passed else "✘"
        self.result.setText(f"{mark} {result.summary}")
        self.passed = result.passed
        self.completeChanged.emit()

    def initializePage(self) -> None:  # noqa: N802  (Qt API)
        """Run the page's `on_enter` (a read it needs) each time the wizard arrives at it."""
        if self.on_enter is not None:
            self.on_enter()

    def isComplete(self) -> bool:  # noqa: N802  (Qt API)
        """Next is enabled only after the step passed."""
        return self.passed

    def start(self, step: Callable[[], Awaitable[None]], name: str) -> None:
        """Run page work as the panel's background work."""
        self.result.setText("Working…")
        self.owner.work.op(name, lambda _: step()).in_background().failure_in(self.result).run()


class CommissioningWizard(QWizard):
    """Check firmware, set the display image, test the door, check SIP registration, place a test call,
    back up the configuration."""

    def __init__(
        self, work: PanelWork, client: TwoNClient, display_tab: DisplayTab, parent: QWidget | None = None,
        *, clock: Clock | None = None,
    ) -> None:
        super().__init__(parent)
        self.work = work
        self.display_tab = display_tab
        identity = work.context.identity
        self.controller = CommissioningController(client, work.context.history, identity.key,
                                                  clock or SystemClock())
        self.setWindowTitle(f"Commission {identity.model} {identity.serial}")
        for page in (self._firmware_page(), self._display_page(), self._door_page(),
                     self._registration_page(), self._call_page(), self._backup_page()):
            self.addPage(page)
        self.resize(640, 420)

    def _firmware_page(self) -> StepPage:
        page = StepPage(self, "1. Firmware", "Check the running firmware against the site's minimum version.")
        self.firmware_minimum = minimum = QLineEdit()
        minimum.setPlaceholderText("Minimum version, e.g. 2.37.0.0.0 (empty: any)")
        minimum.setAccessibleName("Minimum firmware version")
        page.layout_.insertWidget(0, minimum)
        page.run_button.setText("Check firmware")

        async def check() -> None:
            page.show_result(await self.controller.validate_firmware(minimum.text().strip()))

        page.run_button.clicked.connect(lambda: page.start(check, "Firmware check"))
        page.finish_layout()
        return page

    def _display_page(self) -> StepPage:
        page = StepPage(self, "2. Display image",
                        "Uses the picture prepared on the Display tab (choose it there or here).")
        choose = QPushButton("Choose picture…")
        choose.clicked.connect(self.display_tab.choose_picture)
        self.display_skip = skip = QCheckBox("This site has no display image (leave the display as it is)")
        row = QHBoxLayout()
        row.addWidget(choose)
        row.addWidget(skip)
        page.layout_.insertLayout(0, row)
        page.run_button.setText("Upload to display")

        async def upload() -> None:
            target = self.display_tab.target
            image = None if skip.isChecked() else self.display_tab.converted
            if target is None or (image is None and not skip.isChecked()):
                page.result.setText("Choose a picture first (it is converted on the Display tab).")
                return
            reporter = ProgressReporter(DISPLAY_UPLOAD_STAGES)
            page.show_result(await self.controller.validate_display(target.display, image, reporter))

        page.run_button.clicked.connect(lambda: page.start(upload, "Display step"))
        page.finish_layout()
        return page

    def _door_page(self) -> StepPage:
        page = StepPage(self, "3. Door test", "Trigger the door's switch and confirm the door unlocked.")
        page.run_button.setText("Trigger door")
        self.door_switch = QComboBox()
        self.door_switch.setAccessibleName("Door switch")
        self.door_switch.addItem("Switch 1", 1)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel("Door switch:"))
        chooser.addWidget(self.door_switch, 1)
        page.layout_.insertLayout(0, chooser)
        page.on_enter = self._read_door_switches
        answer = QHBoxLayout()
        opened, not_opened = QPushButton("The door opened"), QPushButton("The door did NOT open")
        self.door_opened_button, self.door_not_opened_button = opened, not_opened
        for button in (opened, not_opened):
            button.setEnabled(False)
            answer.addWidget(button)
        page.layout_.addLayout(answer)
        tested: list[StepResult] = []

        async def trigger() -> None:
            opened.setEnabled(False)
            not_opened.setEnabled(False)
            result = await self.controller.test_door(self.door_switch.currentData())
            tested[:] = [result]
            if not result.detail.get("activated"):
                page.show_result(result)  # nothing moved at the door: there is nothing to ask
                return
            page.result.setText(f"{result.summary} Did the door open?")
            opened.setEnabled(result.passed)
            not_opened.setEnabled(True)

        def confirm(door_opened: bool) -> None:
            if tested:
                page.show_result(self.controller.validate_door(tested[0], door_opened=door_opened))
                opened.setEnabled(False)
                not_opened.setEnabled(False)

        page.run_button.clicked.connect(lambda: page.start(trigger, "Door test"))
        opened.clicked.connect(lambda: confirm(True))
        not_opened.clicked.connect(lambda: confirm(False))
        page.finish_layout()
        return page

    def _read_door_switches(self) -> None:
        read = self.work.op("Reading the switches", lambda _: self.controller.door_switches())
        read.in_background().success(self._show_door_switches).run()

    def _show_door_switches(self, switches: tuple[SwitchCaps, ...]) -> None:
        """Offer every enabled switch, keeping the technician's choice when it is still there."""
        chosen = self.door_switch.currentData()
        self.door_switch.clear()
        for caps in switches:
            held = f", {caps.switch_on_duration} s" if caps.switch_on_duration else ""
            self.door_switch.addItem(f"Switch {caps.switch} ({caps.mode.value}{held})", caps.switch)
        index = self.door_switch.findData(chosen)
        self.door_switch.setCurrentIndex(max(index, 0))

    def _registration_page(self) -> StepPage:
        page = StepPage(self, "4. SIP registration", "Check that every SIP account that should register is "
                        "registered, so calls to the intercom's numbers reach it.")
        page.run_button.setText("Check registration")

        async def check() -> None:
            page.show_result(await self.controller.validate_registration())

        page.run_button.clicked.connect(lambda: page.start(check, "Registration check"))
        page.finish_layout()
        return page

    def _call_page(self) -> StepPage:
        page = StepPage(self, "5. Test call", "Call a number from the intercom; the step passes when "
                        "the call connects, and then hangs up.")
        self.call_number = QLineEdit()
        self.call_number.setPlaceholderText("number or sip:user@host")
        self.call_number.setAccessibleName("Number to call")
        page.layout_.insertWidget(0, self.call_number)
        page.run_button.setText("Place test call")
        self.call_state = QLabel("")

        def show_state(state: CallState) -> None:
            self.call_state.setText(f"Call state: {state.value}")

        async def call() -> None:
            number = self.call_number.text()
            page.show_result(await self.controller.validate_call(number, on_state=show_state))

        page.run_button.clicked.connect(lambda: page.start(call, "Test call step"))
        page.layout_.addWidget(self.call_state)
        page.finish_layout()
        return page

    def _backup_page(self) -> StepPage:
        page = StepPage(self, "6. Configuration backup", "Save the commissioned configuration.")
        page.run_button.setText("Save backup")
        identity = self.work.context.identity
        parts = (identity.model, identity.serial, "commissioned")
        self.backup_target = target = saved_file(data_dir() / "backups", *parts, suffix=".xml")

        async def backup() -> None:
            reporter = ProgressReporter(CONFIG_BACKUP_STAGES)
            page.show_result(await self.controller.validate_backup(target, reporter))

        page.run_button.clicked.connect(lambda: page.start(backup, "Backup step"))
        page.finish_layout()
        return page
