"""The job view: one site job over the selected devices, with pre-flight, per-row progress, pause, cancel
(all or the selected rows), retry of failed devices and the pilot's go-ahead. It only renders and forwards:
the work is the Qt-free SiteJob, run as tasks on the app's loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.site.jobs.engine import SiteJob
from app.site.jobs.model import MAX_CONCURRENCY, JobSettings, RowStatus
from app.ui.site_job_rows import JobRowsModel, device_text, preview_text

#: Device, address and progress columns wide enough for "Inxpect MSK-101-POE 20011" and "Step 3/6 · …".
COLUMN_WIDTHS = (230, 130, 260)

JobFactory = Callable[[JobSettings, Callable[[RowStatus], Coroutine[Any, Any, bool]]], SiteJob]
"""make_job(settings, pilot_approval): the job over the selected devices, built when it first runs."""


class SiteJobDialog(QDialog):
    """A non-modal window per job; closing it while devices are worked on asks first and cancels them."""

    def __init__(self, title: str, make_job: JobFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._make_job = make_job
        self.job: SiteJob | None = None
        self._task: asyncio.Task[Any] | None = None
        self._pilot_answer: asyncio.Future[bool] | None = None
        self.setWindowTitle(title)
        self._build_ui(title)
        self._connect_signals()
        self._update_buttons()

    # ---- construction ---------------------------------------------------------------------------
    def _build_ui(self, title: str) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(title))
        settings = QHBoxLayout()
        self.concurrency = _spin(4)
        self.upload_concurrency = _spin(2)
        self.pilot = QCheckBox("Pilot: one device first, then wait for my go-ahead")
        for text, widget in (("Devices at once", self.concurrency), ("Large uploads at once",
                                                                      self.upload_concurrency)):
            settings.addWidget(QLabel(text))
            settings.addWidget(widget)
        settings.addWidget(self.pilot)
        settings.addStretch(1)
        layout.addLayout(settings)
        self.rows = JobRowsModel(self)
        self.table = QTableView()
        self.table.setModel(self.rows)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.setWordWrap(False)
        self.table.setAccessibleName("Devices of the job")
        layout.addWidget(self.table, 1)
        self.preview = _preview_box()
        layout.addWidget(self.preview)
        self.pilot_bar = QWidget()
        pilot_row = QHBoxLayout(self.pilot_bar)
        self.pilot_text = QLabel()
        self.go_ahead = QPushButton("Go ahead with the others")
        self.stop_after_pilot = QPushButton("Stop here")
        pilot_row.addWidget(self.pilot_text, 1)
        pilot_row.addWidget(self.go_ahead)
        pilot_row.addWidget(self.stop_after_pilot)
        self.pilot_bar.hide()
        layout.addWidget(self.pilot_bar)
        self.summary = QLabel("Nothing has been sent to the devices yet.")
        layout.addWidget(self.summary)
        buttons = QHBoxLayout()
        self.preflight_button = QPushButton("Pre-flight check")
        self.start_button = QPushButton("Start")
        self.pause_button = QPushButton("Pause")
        self.cancel_rows_button = QPushButton("Cancel selected")
        self.cancel_all_button = QPushButton("Cancel all")
        self.retry_button = QPushButton("Retry failed")
        self.close_button = QPushButton("Close")
        for button in (self.preflight_button, self.start_button, self.pause_button, self.cancel_rows_button,
                       self.cancel_all_button, self.retry_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.resize(900, 420)

    def _connect_signals(self) -> None:
        self.preflight_button.clicked.connect(lambda: self._start(self._job().preflight()))
        self.start_button.clicked.connect(lambda: self._start(self._job().run()))
        self.retry_button.clicked.connect(lambda: self._start(self._job().retry()))
        self.pause_button.clicked.connect(self._toggle_pause)
        self.cancel_all_button.clicked.connect(lambda: self.job.cancel() if self.job else None)
        self.cancel_rows_button.clicked.connect(self._cancel_selected)
        self.go_ahead.clicked.connect(lambda: self._answer_pilot(True))
        self.stop_after_pilot.clicked.connect(lambda: self._answer_pilot(False))
        self.close_button.clicked.connect(self.close)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_preview())

    # ---- the job --------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """True while a pre-flight, run or retry is under way."""
        return self._task is not None and not self._task.done()

    def _job(self) -> SiteJob:
        if self.job is None:
            settings = JobSettings(self.concurrency.value(), self.upload_concurrency.value(),
                                   pilot=self.pilot.isChecked())
            self.job = self._make_job(settings, self._approve_pilot)
            self.rows.set_job(self.job)
            self.job.subscribe(lambda _: self._update_summary())
            self.job.subscribe(lambda _: self._update_preview())
            for widget in (self.concurrency, self.upload_concurrency, self.pilot):
                widget.setEnabled(False)
        return self.job

    def _start(self, work: Coroutine[Any, Any, Any]) -> None:
        if self.running:
            work.close()
            return
        self._task = asyncio.ensure_future(work)
        self._task.add_done_callback(lambda _: self._update_buttons())
        self._update_buttons()

    def _toggle_pause(self) -> None:
        if self.job is None:
            return
        if self.job.paused:
            self.job.unpause()
        else:
            self.job.pause()
        self._update_buttons()

    def _cancel_selected(self) -> None:
        if self.job is None:
            return
        for index in self.table.selectionModel().selectedRows():
            self.job.cancel(self.rows.key_at(index.row()))

    async def _approve_pilot(self, row: RowStatus) -> bool:
        """Wait for the technician's go-ahead after the pilot device (shown in the pilot bar)."""
        self._pilot_answer = asyncio.get_running_loop().create_future()
        self.pilot_text.setText(f"Pilot {device_text(row)}: {row.state.words}. {row.message} "
                                "Check the device, then go ahead or stop here.")
        self.pilot_bar.show()
        try:
            return await self._pilot_answer
        finally:
            self.pilot_bar.hide()
            self._pilot_answer = None

    def _answer_pilot(self, go: bool) -> None:
        if self._pilot_answer is not None and not self._pilot_answer.done():
            self._pilot_answer.set_result(go)

    def _update_buttons(self) -> None:
        running = self.running
        started = self.job is not None
        self.preflight_button.setEnabled(not running)
        self.start_button.setEnabled(not running)
        self.retry_button.setEnabled(not running and started and bool(self.job and self.job.retry_keys()))
        self.pause_button.setEnabled(running)
        self.pause_button.setText("Continue" if self.job is not None and self.job.paused else "Pause")
        self.cancel_rows_button.setEnabled(running)
        self.cancel_all_button.setEnabled(running)
        self._update_summary()

    def _update_preview(self) -> None:
        """Show what the selected device (else the first with changes) gets, if the job says."""
        if self.job is None:
            return
        selected = self.table.selectionModel().selectedRows()
        if selected:
            text = preview_text(self.job.row(self.rows.key_at(selected[0].row())))
        else:  # nothing selected: the first device with changes, so the preview is seen without a click
            text = next((shown for row in self.job.rows if (shown := preview_text(row))), "")
        self.preview.setPlainText(text)
        self.preview.setVisible(bool(text))

    def _update_summary(self) -> None:
        if self.job is None:
            return
        counts = ", ".join(f"{count} {state.words}" for state, count in self.job.summary.counts.items())
        self.summary.setText(counts)

    # ---- closing --------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  (Qt API)
        """Closing while devices are worked on asks first; yes cancels them (each row says where it stood)."""
        if self.running and self.job is not None:
            answer = QMessageBox.question(
                self, "Stop the job?",
                "Devices are still being worked on. Stop now? Each device stops where it is and its row "
                "says in which state it was left.")
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self._answer_pilot(False)
            self.job.cancel()
        self.rows.detach()
        super().closeEvent(event)


def _preview_box() -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setReadOnly(True)
    box.setAccessibleName("Changes on the selected device")
    box.setMaximumHeight(140)
    box.hide()
    return box


def _spin(value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(1, MAX_CONCURRENCY)
    spin.setValue(value)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    return spin
