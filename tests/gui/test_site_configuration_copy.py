"""Configuration copy in the job view: the pre-flight shows the selected device's changes setting by
setting, nothing is written before Start, and the source is chosen among the selected devices."""

from __future__ import annotations

import qasync
from pytestqt.qtbot import QtBot

from app.site.jobs.engine import SiteJob
from app.site.jobs.model import JobSettings, RowState
from app.site.jobs.store import JobStore, stored_target
from app.site.jobs.tasks.configuration import ConfigurationCopyTask, source_reader
from app.ui.dialogs.configuration_copy import ConfigurationCopyDialog
from app.ui.dialogs.site_job import SiteJobDialog
from app.ui.main_window import MainWindow
from app.ui.site_job_action import resumed_task, window_access
from tests.gui.conftest import run_async, wait_until
from tests.unit.site.job_fakes import FakeAccess, FakeDevice, Site


def copy_site() -> Site:
    return Site().add(FakeDevice("1", settings={"Name": "north", "Volume": "8", "Mode": "night"}),
                      FakeDevice("2", settings={"Name": "south", "Volume": "5"}))


def test_preflight_previews_the_selected_devices_changes_then_start_copies(
    qtbot: QtBot, qloop: qasync.QEventLoop,
) -> None:
    site = copy_site()
    access = FakeAccess(site)
    source = site.by_serial("1").target

    def make_job(settings: JobSettings, approve):  # type: ignore[no-untyped-def]
        task = ConfigurationCopyTask(source, source_reader(access, source))
        return SiteJob(task, site.targets, access, settings=settings, pilot_approval=approve)

    dialog = SiteJobDialog("Copy configuration", make_job)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.preflight_button.click()
    run_async(qloop, wait_until(lambda: not dialog.running and dialog.job is not None))
    assert "Volume: 5 → 8" in dialog.preview.toPlainText()  # the first device with changes, unselected
    dialog.table.selectRow(1)
    assert dialog.preview.isVisible()
    text = dialog.preview.toPlainText()
    assert "Will change on" in text
    assert "Volume: 5 → 8" in text
    assert "Mode: (not set) → night" in text
    assert "Name" not in text
    assert site.by_serial("2").writes == []

    dialog.start_button.click()
    run_async(qloop, wait_until(lambda: not dialog.running))
    assert site.by_serial("2").settings == {"Name": "south", "Volume": "8", "Mode": "night"}
    assert dialog.preview.toPlainText().startswith("Changed on")
    dialog.table.selectRow(0)
    assert dialog.preview.isHidden()  # the source itself: skipped, nothing to show


def test_the_source_is_one_of_the_selected_devices(qtbot: QtBot) -> None:
    site = copy_site()
    dialog = ConfigurationCopyDialog(site.targets)
    qtbot.addWidget(dialog)
    assert dialog.source.count() == 2
    dialog.source.setCurrentIndex(1)
    assert dialog.chosen() == site.by_serial("2").target
    assert not dialog.include_identity.isChecked()


def test_an_interrupted_copy_can_be_resumed_from_its_stored_source(window: MainWindow) -> None:
    site = copy_site()
    source = site.by_serial("1").target
    task = ConfigurationCopyTask(source, source_reader(FakeAccess(site), source), include_identity=True)
    store = JobStore()
    job = SiteJob(task, site.targets, FakeAccess(site), store=store)
    stored = store.load(job.job_id)
    store.close()
    resumed = resumed_task(stored, window_access(window))
    assert isinstance(resumed, ConfigurationCopyTask)
    assert resumed.source == stored_target(source.public())
    assert resumed.include_identity
    assert stored.rows[0].state is RowState.PENDING
