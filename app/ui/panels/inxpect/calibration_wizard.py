"""The calibration wizard: pages render CalibrationController's steps and forward the technician's clicks."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.backend.evidence import CALIBRATION_SAVED, WALK_TEST
from app.core.paths import data_dir
from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.ui.panels.inxpect.live_view import LiveTargetsView
from app.vendors.inxpect.calibration import CalibrationController, CalibrationStep
from app.vendors.inxpect.calibration_export import CalibrationRecord, export_calibration, export_path
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.live import CalibrationQuality, Target
from app.vendors.inxpect.live_feed import LiveFeed

WALK_POLL_SECONDS: Final = 0.1
SCENE_RECHECK_SECONDS: Final = 1.0
EXPORT_FILTER: Final = "JSON (*.json);;CSV for a spreadsheet (*.csv)"


class PreconditionsPage(QWizardPage):
    """A static scene and the calibration object ready, confirmed by the technician and checked live."""

    def __init__(self, wizard: CalibrationWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("1. Before calibrating")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The sensor learns how big the calibration object looks in this place. Nothing else may "
            "move in the field while it learns: people out, doors shut, no vehicles, no pets."
        )
        intro.setWordWrap(True)
        self.static_box = QCheckBox("The area is clear and static")
        self.object_box = QCheckBox("I hold the calibration object, ready to walk it through the whole area")
        self.check_button = QPushButton("Check the scene now")
        self.check_label = QLabel("Not checked yet.")
        self.check_label.setWordWrap(True)
        self.scene_static = False
        for widget in (intro, self.static_box, self.object_box, self.check_button, self.check_label):
            layout.addWidget(widget)
        self.static_box.toggled.connect(self.completeChanged)
        self.object_box.toggled.connect(self.completeChanged)
        self.check_button.clicked.connect(self._check)

    def initializePage(self) -> None:  # noqa: N802  (Qt API)
        """Every attempt (also a retry) checks the scene again."""
        self.scene_static = False
        self.check_label.setText("Not checked yet.")

    def _check(self) -> None:
        self.owner.tasks.append(self.owner.work.op("Checking the scene", self._run_check).read_only().run())

    async def _run_check(self, reporter: ProgressReporter) -> None:
        """Check, and keep checking every second while something moves, until the area is clear."""
        self.check_button.setEnabled(False)
        try:
            while True:
                result = await self.owner.controller.validate_preconditions()
                self.scene_static = result.static
                waiting = "" if result.static else " Waiting for the area to clear…"
                self.check_label.setText(("✓ " if result.static else "⚠ ") + result.message + waiting)
                self.completeChanged.emit()
                if result.static:
                    return
                await asyncio.sleep(SCENE_RECHECK_SECONDS)
        finally:
            self.check_button.setEnabled(True)

    def isComplete(self) -> bool:  # noqa: N802  (Qt API)
        """Both boxes ticked and the live check found a static scene."""
        return self.static_box.isChecked() and self.object_box.isChecked() and self.scene_static


class CalibratingPage(QWizardPage):
    """Start, live feedback of the object's distance and size while it is walked, stop."""

    def __init__(self, wizard: CalibrationWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("2. Calibrate")
        layout = QVBoxLayout(self)
        hint = QLabel(
            "Press Start, then walk the calibration object slowly from near the sensor to the far end "
            "of the area and back. Watch it on the plot; its size should stay steady. Then press Stop."
        )
        hint.setWordWrap(True)
        kinds = QHBoxLayout()
        self.standard = QRadioButton("Standard calibration (operation 1)")
        self.zone_based = QRadioButton("Zone-based calibration (operation 2)")
        self.standard.setChecked(True)
        kinds.addWidget(self.standard)
        kinds.addWidget(self.zone_based)
        kinds.addStretch(1)
        # The document (§3.6) names zone-based calibration without saying how it differs; say only that.
        self.kind_note = QLabel("The vendor's REST document names zone-based calibration without describing "
                                "it: use it where the sensor's installation manual asks for it.")
        self.kind_note.setWordWrap(True)
        buttons = QHBoxLayout()
        self.start_button = QPushButton("Start calibration")
        self.stop_button = QPushButton("Stop calibration")
        self.stop_button.setEnabled(False)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        self.feedback = QLabel("Object: —")
        self.view = LiveTargetsView()
        if wizard.field_of_view is not None:  # the real field from the start; no alarm areas yet
            self.view.set_geometry(*wizard.field_of_view, 0, 0)
        # The object walked through the field raises alarms while calibrating; they mean nothing here.
        self.view.alarm_banner.setVisible(False)
        layout.addWidget(hint)
        layout.addLayout(kinds)
        layout.addWidget(self.kind_note)
        layout.addLayout(buttons)
        layout.addWidget(self.feedback)
        layout.addWidget(self.view, 1)
        work = wizard.work
        self.start_button.clicked.connect(lambda: work.op("Starting calibration", self._start).run())
        self.stop_button.clicked.connect(lambda: work.op("Stopping calibration", self._stop).run())

    async def _start(self, reporter: ProgressReporter) -> None:
        await self.owner.controller.validate_start(zone_based=self.zone_based.isChecked())
        for kind in (self.standard, self.zone_based):
            kind.setEnabled(False)
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.owner.start_feed(self.view)
        self.view.on_drawn = lambda frames, _t: self._show_object(frames[-1].frame.targets)

    def _show_object(self, targets: tuple[Target, ...]) -> None:
        if targets:
            target = max(targets, key=lambda t: t.rcs)
            self.feedback.setText(f"Object: {target.distance / 1000:.1f} m, size {target.rcs}")

    async def _stop(self, reporter: ProgressReporter) -> None:
        await self.owner.controller.validate_stop()
        self.owner.stop_feed()
        self.stop_button.setEnabled(False)
        self.start_button.setEnabled(True)
        for kind in (self.standard, self.zone_based):
            kind.setEnabled(True)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        """Complete once the calibration has stopped."""
        return self.owner.controller.result is not None


class ResultPage(QWizardPage):
    """The stop code explained; save a good or poor result, or go back and calibrate again."""

    def __init__(self, wizard: CalibrationWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("3. Result")
        layout = QVBoxLayout(self)
        self.explanation = QLabel()
        self.explanation.setObjectName("inxpectCalibrationResult")
        self.explanation.setWordWrap(True)
        self.details = QLabel()
        self.save_button = QPushButton("Save calibration on the sensor")
        self.retry_button = QPushButton("Calibrate again")
        self.export_button = QPushButton("Export calibration data for support…")
        self.export_note = QLabel("The result and the raw peaks, as JSON or CSV, for Inxpect support.")
        self.export_note.setWordWrap(True)
        widgets = (self.explanation, self.details, self.save_button, self.retry_button, self.export_button,
                   self.export_note)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        self.save_button.clicked.connect(lambda: self.owner.work.op("Saving calibration", self._save).run())
        self.retry_button.clicked.connect(self._retry)
        self.export_button.clicked.connect(self.choose_export)

    def choose_export(self) -> None:
        """Ask where to save the support data (.json or .csv), then export it."""
        identity = self.owner.work.context.identity
        default = export_path(data_dir() / "support", identity, datetime.now(UTC), ".json")
        path, _ = QFileDialog.getSaveFileName(self, "Export calibration data", str(default), EXPORT_FILTER)
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> asyncio.Task[CalibrationRecord]:
        """Read /calibrationData and write it with the stop code to `path` (.json or .csv)."""
        controller = self.owner.controller
        result = controller.result
        assert result is not None
        if path.suffix.lower() not in (".json", ".csv"):
            path = path.with_suffix(".json")
        path.parent.mkdir(parents=True, exist_ok=True)
        identity = self.owner.work.context.identity
        zone_based = controller.zone_based
        op = self.owner.work.op("Exporting calibration data", lambda _: export_calibration(
            self.owner.client, identity, result, path, zone_based=zone_based)).read_only()
        shown = lambda record: self.export_note.setText(  # noqa: E731
            f"Saved {len(record.data.peaks)} peaks with the result to {path}.")
        return op.success(shown).failure_in(self.export_note).run()

    def initializePage(self) -> None:  # noqa: N802
        """Show the result of the calibration that just stopped."""
        controller = self.owner.controller
        result = controller.result
        if result is None:
            return
        self.explanation.setText(result.explanation)
        colour = {CalibrationQuality.GOOD: "#1b5e20", CalibrationQuality.POOR: "#8a6d00"}.get(
            result.quality, "#b71c1c"
        )
        self.explanation.setStyleSheet(f"color:{colour};font-weight:bold;")
        data = controller.data
        self.details.setText(
            f"Computed coefficient {data.value}, mean square error {data.mse}." if data else ""
        )
        self.save_button.setVisible(result.can_save)
        self.save_button.setEnabled(True)

    async def _save(self, reporter: ProgressReporter) -> None:
        coefficient = await self.owner.controller.validate_save()
        kind = "zone-based" if self.owner.controller.zone_based else "standard"
        self.owner.record(CALIBRATION_SAVED, "done", {"coefficient": coefficient, "kind": kind})
        self.explanation.setText("✓ Calibration saved. Next: a walk test confirms the alarm distance.")
        self.details.setText(f"The sensor now uses calibration coefficient {coefficient}.")
        self.owner.calibration_saved.emit(coefficient)
        self.save_button.setEnabled(False)
        self.completeChanged.emit()

    def _retry(self) -> None:
        self.owner.controller.retry()
        self.owner.restart()

    def isComplete(self) -> bool:  # noqa: N802
        """Complete once saved."""
        return self.owner.controller.step in (CalibrationStep.WALK_TEST, CalibrationStep.DONE)


class WalkTestPage(QWizardPage):
    """Walk in from beyond the alarm distance; the farthest alarm-area alarm must match the configuration."""

    def __init__(self, wizard: CalibrationWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("4. Walk test")
        layout = QVBoxLayout(self)
        self.instructions = QLabel()
        self.instructions.setWordWrap(True)
        self.result_label = QLabel("Waiting for an alarm…")
        self.result_label.setObjectName("inxpectWalkTestResult")
        self.result_label.setWordWrap(True)
        self.view = LiveTargetsView()
        layout.addWidget(self.instructions)
        layout.addWidget(self.result_label)
        layout.addWidget(self.view, 1)
        self._task: asyncio.Task[None] | None = None

    def initializePage(self) -> None:  # noqa: N802
        """Start watching alarms."""
        self.instructions.setText(
            "Walk towards the sensor from beyond the end of the alarm area. The alarm must "
            "start where the alarm area is configured to end."
        )
        configuration = self.owner.controller.configuration
        if configuration is not None and self.owner.field_of_view is not None:
            self.view.set_geometry(
                *self.owner.field_of_view, configuration.alarm_distance, configuration.pre_alarm_distance
            )
        self.owner.start_feed(self.view)
        self._task = self.owner.work.op("Calibration walk test", self._watch).in_background().run()
        self.owner.tasks.append(self._task)

    async def _watch(self, reporter: ProgressReporter) -> None:
        while self.owner.controller.step is not CalibrationStep.DONE:
            result = await self.owner.controller.validate_walk_test()
            if result is not None:
                self.result_label.setText(("✓ " if result.passed else "… ") + result.message)
                if result.passed:
                    self.owner.record(WALK_TEST, "passed", {
                        "alarm_at_m": result.alarm_at_mm / 1000, "area_ends_m": result.configured_mm / 1000,
                    })
            await asyncio.sleep(WALK_POLL_SECONDS)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        """Complete once the walk test passed."""
        return self.owner.controller.step is CalibrationStep.DONE


class CalibrationWizard(QWizard):
    """Non-modal wizard over a CalibrationController; closing it stops its live feed and polling."""

    #: The coefficient the sensor stored (its configuration changed behind any open form).
    calibration_saved = Signal(int)

    def __init__(
        self,
        work: PanelWork,
        client: InxpectClient,
        poll_live: Callable[[LiveFeed], Awaitable[None]],
        parent: QWidget | None = None,
        field_of_view: tuple[int, int, int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self._poll_live = poll_live
        self.field_of_view = field_of_view
        self.controller = CalibrationController(client)
        self.tasks: list[asyncio.Task[None]] = []
        self._feed_task: asyncio.Task[None] | None = None
        self.setWindowTitle("Calibrate the MSK-101-POE")
        self.preconditions = PreconditionsPage(self)
        self.calibrating = CalibratingPage(self)
        self.result_page = ResultPage(self)
        self.walk_test = WalkTestPage(self)
        for page in (self.preconditions, self.calibrating, self.result_page, self.walk_test):
            self.addPage(page)
        self.resize(900, 640)
        self.finished.connect(lambda _code: self.stop_all())

    def record(self, action: str, result: str, detail: dict[str, object]) -> None:
        """Keep an outcome of the calibration in the sensor's history (the report and checklist read it)."""
        context = self.work.context
        context.history.record(context.identity.key, action, result, detail)

    def start_feed(self, view: LiveTargetsView) -> None:
        """Poll detections for the live feedback while calibrating."""
        feed = LiveFeed(self.client)
        view.attach(feed)
        poll = self.work.op("Calibration live feedback", lambda _: self._poll_live(feed)).in_background()
        self._feed_task = poll.run()
        self.tasks.append(self._feed_task)

    def stop_feed(self) -> None:
        """Stop the live feedback."""
        if self._feed_task is not None:
            self._feed_task.cancel()
            self._feed_task = None
        self.calibrating.view.detach()
        self.walk_test.view.detach()

    def stop_all(self) -> None:
        """Cancel everything the wizard started; a calibration still running on the sensor is stopped."""
        self.stop_feed()
        for task in self.tasks:
            task.cancel()
        self.tasks.clear()
        if self.controller.abandon():
            self.work.op("Stopping the unfinished calibration", self._stop_abandoned).run()

    async def _stop_abandoned(self, reporter: ProgressReporter) -> None:
        await self.controller.validate_abandon()
        self.work.context.notify(
            "warning",
            "The calibration wizard was closed while calibrating: the calibration was stopped on the "
            "sensor and nothing was saved.",
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Stop polling when the wizard window closes."""
        self.stop_all()
        super().closeEvent(event)
