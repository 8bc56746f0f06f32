"""The job view: pre-flight verdicts, per-row progress, pilot go-ahead, cancel, retry, and the device
list's multi-selection offering only the jobs the selected devices' capabilities allow."""

from __future__ import annotations

import asyncio
from pathlib import Path

import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from app.core.models import DeviceCandidate, DeviceIdentity, Endpoint, VendorId
from app.discovery.identify import Identification
from app.site.jobs.engine import SiteJob
from app.site.jobs.model import JobSettings, RowState, RowStatus
from app.site.jobs.store import JobStore
from app.site.jobs.tasks.firmware import FirmwareTask
from app.ui.dialogs.site_job import SiteJobDialog
from app.ui.main_window import MainWindow
from app.ui.services import AppServices
from app.ui.site_job_action import CHOICES, interrupted_jobs_note, job_target, open_job_view, open_resumed_job
from app.vendors.registry import plugin_for
from tests.gui.conftest import run_async, wait_until
from tests.unit.site.job_fakes import NEW, FakeAccess, FakeDevice, Site


def job_view(qtbot: QtBot, site: Site, package: Path) -> SiteJobDialog:
    def make_job(settings: JobSettings, approve):  # type: ignore[no-untyped-def]
        return SiteJob(FirmwareTask(package, version=NEW), site.targets, FakeAccess(site), settings=settings,
                       pilot_approval=approve)

    dialog = SiteJobDialog("Update firmware on 3 devices", make_job)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def column(dialog: SiteJobDialog, col: int) -> list[str]:
    return [dialog.rows.index(row, col).data() for row in range(dialog.rows.rowCount())]


def package_in(tmp_path: Path) -> Path:
    path = tmp_path / "fw.bin"
    path.write_text(NEW)
    return path


def test_preflight_shows_each_verdict_then_start_shows_each_result(
    qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path,
) -> None:
    site = Site().add(FakeDevice("1"), FakeDevice("2", firmware=NEW), FakeDevice("3", update="reset"))
    dialog = job_view(qtbot, site, package_in(tmp_path))
    dialog.preflight_button.click()
    run_async(qloop, wait_until(lambda: not dialog.running and dialog.job is not None))
    ready = "to do: Runs 1.0; will install fw.bin."
    assert column(dialog, 3) == [ready, "nothing to do: Already runs 2.0.", ready]
    assert not dialog.concurrency.isEnabled()
    assert all(device.updates == 0 for device in site.devices.values())

    dialog.start_button.click()
    run_async(qloop, wait_until(lambda: not dialog.running))
    results = column(dialog, 3)
    assert results[0] == "done: Now runs 2.0 (was 1.0)."
    assert results[2].startswith("failed: The device stopped answering during the upload.")
    assert column(dialog, 2) == ["done", "nothing to do", "failed"]
    assert dialog.retry_button.isEnabled()
    assert "1 done" in dialog.summary.text()
    assert "1 failed" in dialog.summary.text()

    site.by_serial("3").update = "ok"
    dialog.retry_button.click()
    run_async(qloop, wait_until(lambda: not dialog.running))
    assert column(dialog, 2) == ["done", "nothing to do", "done"]
    assert site.by_serial("1").updates == 1


def test_pilot_waits_for_the_go_ahead(qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path) -> None:
    site = Site().add(FakeDevice("1"), FakeDevice("2"), FakeDevice("3"))
    dialog = job_view(qtbot, site, package_in(tmp_path))
    dialog.pilot.setChecked(True)
    dialog.start_button.click()
    run_async(qloop, wait_until(dialog.pilot_bar.isVisible))
    assert [device.updates for device in site.devices.values()] == [1, 0, 0]
    assert "Pilot" in dialog.pilot_text.text()
    assert "done" in dialog.pilot_text.text()
    dialog.go_ahead.click()
    run_async(qloop, wait_until(lambda: not dialog.running))
    assert column(dialog, 2) == ["done"] * 3
    assert not dialog.pilot_bar.isVisible()


def test_cancel_selected_rows_and_pause(qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path) -> None:
    hold = asyncio.Event()
    site = Site().add(*(FakeDevice(str(n), hold=hold) for n in range(3)))
    dialog = job_view(qtbot, site, package_in(tmp_path))
    dialog.upload_concurrency.setValue(3)
    dialog.start_button.click()
    run_async(qloop, wait_until(lambda: site.uploading == 3))
    assert column(dialog, 2) == ["Step 3/5 · Uploading · 45 %"] * 3
    dialog.table.selectRow(1)
    dialog.cancel_rows_button.click()
    job = dialog.job
    assert job is not None
    run_async(qloop, wait_until(lambda: job.rows[1].state is RowState.CANCELLED))
    dialog.pause_button.click()
    assert dialog.pause_button.text() == "Continue"
    dialog.pause_button.click()
    hold.set()
    run_async(qloop, wait_until(lambda: not dialog.running))
    assert column(dialog, 2)[0] == "done"
    assert column(dialog, 3)[1].startswith("cancelled: Cancelled during step 3/5 (Uploading).")


def test_the_list_selects_many_devices_and_offers_what_their_capabilities_allow(
    qtbot: QtBot, window: MainWindow,
) -> None:
    for serial, vendor in (("54-0000-0001", "two_n"), ("54-0000-0002", "two_n"), ("20001", "inxpect")):
        identity = DeviceIdentity(VendorId(vendor), "model", serial)
        candidate = DeviceCandidate(Endpoint("127.0.0.1", 40000 + int(serial[-1])), identity, identified=True)
        window.services.inventory.observe(Identification(candidate, plugin_for(VendorId(vendor))),
                                          source=f"test:{serial}")
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    window.table.selectAll()
    entries = window.selected_entries()
    assert sorted(entry.candidate.identity.serial for entry in entries) == ["20001", "54-0000-0001",
                                                                             "54-0000-0002"]
    window.site_job_menu.aboutToShow.emit()
    offered = {action.text(): action.isEnabled() for action in window.site_job_menu.actions()}
    assert offered == dict.fromkeys(("Back up configurations…", "Copy configuration from one device…",
                                     "Update firmware…", "Set first passwords…", "Set the time"), True)
    window.table.clearSelection()
    keys = [window.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(3)]
    window.table.selectRow(next(row for row, key in enumerate(keys) if str(key).startswith("inxpect")))
    window.site_job_menu.aboutToShow.emit()
    tips = {action.text(): action.toolTip() for action in window.site_job_menu.actions()}
    assert tips["Back up configurations…"] == "1 of the 1 selected devices can do this."
    assert tips["Set the time"] == "0 of the 1 selected devices can do this."
    assert [choice.text for choice in CHOICES] == list(offered)
    task = next(choice for choice in CHOICES if choice.text == "Set the time").ask(window)
    assert task is not None
    dialog = open_job_view(window, task, [job_target(entry) for entry in entries], "Set the time")
    assert dialog.isVisible()
    assert dialog.rows.rowCount() == 0


def test_every_window_shortcut_is_unique(window: MainWindow) -> None:
    shortcuts = [action.shortcut().toString() for action in window.findChildren(QAction)
                 if not action.shortcut().isEmpty()]
    assert len(shortcuts) == len(set(shortcuts)), sorted(shortcuts)
    assert window.site_job_action.shortcut().toString() == "Ctrl+B"


def test_a_restart_announces_an_interrupted_job_and_offers_to_resume_it(
    qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path,
) -> None:
    site = Site().add(FakeDevice("1"), FakeDevice("2"), FakeDevice("3"))
    store = JobStore()
    rows = [RowStatus(site.by_serial("1").target, RowState.DONE, message="Now runs 2.0."),
            RowStatus(site.by_serial("2").target, RowState.RUNNING, step="Uploading", step_index=2,
                      step_count=5),
            RowStatus(site.by_serial("3").target)]
    task = FirmwareTask(package_in(tmp_path), version=NEW)
    job_id = store.create(task.kind, task.params(), JobSettings(), rows)
    store.close()

    services = AppServices.create()
    restarted = MainWindow(services)
    qtbot.addWidget(restarted)
    [stored] = restarted.interrupted_jobs
    assert stored.job_id == job_id
    assert [row.state for row in stored.rows] == [RowState.DONE, RowState.INTERRUPTED, RowState.PENDING]
    note = interrupted_jobs_note(stored)
    assert "1 devices finished, 1 were interrupted, 1 not started" in note
    assert "during step 3/5 (Uploading)" in note
    resume = [action.text() for action in restarted.site_job_menu.actions()][-1]
    assert resume.startswith("Resume the firmware job of")
    dialog = open_resumed_job(restarted, stored)
    assert dialog is not None
    assert dialog.windowTitle() == "Resume: firmware on 3 devices"
    restarted.close()


def test_select_all_of_this_model_selects_every_shown_device_of_the_current_rows_model(
    qtbot: QtBot, window: MainWindow,
) -> None:
    devices = (("54-0000-0001", "two_n", "2N IP Verso"), ("54-0000-0002", "two_n", "2N IP Verso"),
               ("08-0000-0003", "two_n", "2N IP Vario"), ("20001", "inxpect", "MSK-101-POE"))
    for number, (serial, vendor, model) in enumerate(devices):
        identity = DeviceIdentity(VendorId(vendor), model, serial)
        candidate = DeviceCandidate(Endpoint("127.0.0.1", 41000 + number), identity, identified=True)
        window.services.inventory.observe(Identification(candidate, plugin_for(VendorId(vendor))),
                                          source=f"test:{serial}")
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)
    row = next(row for row in range(4) if window.proxy.index(row, 1).data() == "2N IP Verso")
    window.table.setCurrentIndex(window.proxy.index(row, 0))
    window.select_model_action.trigger()
    assert sorted(entry.candidate.identity.serial for entry in window.selected_entries()) == [
        "54-0000-0001", "54-0000-0002"]
