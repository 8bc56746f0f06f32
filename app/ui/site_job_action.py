"""The toolbar's "Site job": one kind of work on every selected device, offered by what their clients can
do (capabilities, never vendor names), run by the Qt-free SiteJob in a SiteJobDialog."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QMenu

from app.discovery.inventory import DeviceEntry
from app.site.jobs.access import ConnectionAccess
from app.site.jobs.engine import SiteJob
from app.site.jobs.model import JobKind, JobSettings, JobTarget, RowState, RowStatus
from app.site.jobs.store import JobStore, StoredJob, stored_target
from app.site.jobs.tasks.backup import BackupTask
from app.site.jobs.tasks.clock import TimeTask
from app.site.jobs.tasks.configuration import ConfigurationCopyTask, source_reader
from app.site.jobs.tasks.firmware import FirmwareTask
from app.site.jobs.tasks.password import FirstPasswordTask
from app.site.jobs.work import DeviceAccess, JobTask
from app.ui.dialogs.configuration_copy import ConfigurationCopyDialog
from app.ui.dialogs.firmware_packages import FirmwarePackagesDialog
from app.ui.dialogs.first_password import FirstPasswordDialog
from app.ui.dialogs.site_job import SiteJobDialog
from app.vendors.base import Capability
from app.vendors.registry import plugin_for

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

AskTask = Callable[["MainWindow"], JobTask | None]


@dataclass(frozen=True, slots=True)
class JobChoice:
    """One entry of the Site job menu: its text, the capability it needs, how its parameters are asked."""

    text: str
    capability: Capability
    ask: AskTask


def _ask_backup(window: MainWindow) -> JobTask | None:
    folder = QFileDialog.getExistingDirectory(window, "Back up the configurations into")
    return BackupTask(Path(folder)) if folder else None


def _ask_firmware(window: MainWindow) -> JobTask | None:
    capable = capable_entries(window.selected_entries(), Capability.UPDATE_FIRMWARE)
    models = [entry.candidate.identity.model or "unknown model" for entry in capable]
    dialog = FirmwarePackagesDialog(models, window)
    if dialog.exec() != FirmwarePackagesDialog.DialogCode.Accepted or not dialog.packages():
        return None
    return FirmwareTask(packages=dialog.packages())


def _ask_configuration_copy(window: MainWindow) -> JobTask | None:
    capable = capable_entries(window.selected_entries(), Capability.COPY_CONFIGURATION)
    dialog = ConfigurationCopyDialog([job_target(entry) for entry in capable], window)
    if not capable or dialog.exec() != ConfigurationCopyDialog.DialogCode.Accepted:
        return None
    source = dialog.chosen()
    access = window_access(window)
    return ConfigurationCopyTask(source, source_reader(access, source),
                                 include_identity=dialog.include_identity.isChecked())


def _ask_password(window: MainWindow) -> JobTask | None:
    capable = capable_entries(window.selected_entries(), Capability.SET_FIRST_PASSWORD)
    dialog = FirstPasswordDialog([job_target(entry) for entry in capable], window)
    if not capable or dialog.exec() != FirstPasswordDialog.DialogCode.Accepted:
        return None
    return FirstPasswordTask(dialog.password_list())


CHOICES = (
    JobChoice("Back up configurations…", Capability.BACK_UP_CONFIGURATION, _ask_backup),
    JobChoice("Copy configuration from one device…", Capability.COPY_CONFIGURATION, _ask_configuration_copy),
    JobChoice("Update firmware…", Capability.UPDATE_FIRMWARE, _ask_firmware),
    JobChoice("Set first passwords…", Capability.SET_FIRST_PASSWORD, _ask_password),
    JobChoice("Set the time", Capability.SET_TIME, lambda window: TimeTask()),
)


def job_target(entry: DeviceEntry) -> JobTarget:
    """A device list row as a job's device (credentials come from the keyring or the technician)."""
    candidate = entry.candidate
    identity, endpoint = candidate.identity, candidate.endpoint
    return JobTarget(identity.vendor, endpoint.host, endpoint.port, endpoint.scheme, serial=identity.serial,
                     model=identity.model, mac=identity.mac)


def capable_entries(entries: Sequence[DeviceEntry], capability: Capability) -> list[DeviceEntry]:
    """The `entries` of a vendor whose client has `capability`."""
    return [entry for entry in entries
            if capability.supported_by(plugin_for(entry.candidate.identity.vendor).client_type)]


def able(entries: Sequence[DeviceEntry], capability: Capability) -> int:
    """How many of `entries` are of a vendor whose client has `capability`."""
    return len(capable_entries(entries, capability))


def build_site_job_menu(window: MainWindow) -> QMenu:
    """The menu of jobs; each entry is enabled when at least one selected device can do it."""
    menu = QMenu("Site job", window)

    def refresh() -> None:
        entries = window.selected_entries()
        for action, choice in zip(menu.actions()[: len(CHOICES)], CHOICES, strict=True):
            count = able(entries, choice.capability)
            action.setEnabled(count > 0)
            action.setToolTip(f"{count} of the {len(entries)} selected devices can do this.")

    for choice in CHOICES:
        menu.addAction(choice.text).triggered.connect(lambda _=False, c=choice: show_site_job(window, c))
    menu.aboutToShow.connect(refresh)
    resumable = [stored for stored in window.interrupted_jobs
                 if resumed_task(stored, window_access(window)) is not None]
    if resumable:
        menu.addSeparator()
    for stored in resumable:
        text = f"Resume the {stored.kind.value} job of {stored.created:%Y-%m-%d %H:%M} UTC…"
        menu.addAction(text).triggered.connect(lambda _=False, s=stored: open_resumed_job(window, s))
    return menu


def interrupted_jobs_note(stored: StoredJob) -> str:
    """What the restart says of a job a crash left unfinished: devices finished, interrupted, not started."""
    done = len(stored.rows_in(RowState.DONE, RowState.SKIPPED, RowState.CANNOT))
    interrupted = stored.rows_in(RowState.INTERRUPTED)
    waiting = len(stored.rows_in(RowState.PENDING))
    where = "; ".join(f"{row.target.host}:{row.target.port} {row.message}" for row in interrupted)
    when = f"{stored.created:%Y-%m-%d %H:%M} UTC"
    return (f"The {stored.kind.value} job of {when} did not finish: {done} devices finished, "
            f"{len(interrupted)} were interrupted, {waiting} not started. {where} "
            "Site job can resume it.")


def recover_interrupted_jobs(window: MainWindow) -> list[StoredJob]:
    """Jobs the last run left unfinished, each announced; their running rows are now interrupted."""
    store = JobStore()
    try:
        jobs = store.recover()
    finally:
        store.close()
    for stored in jobs:
        window.notify("warning", interrupted_jobs_note(stored))
    return jobs


def resumed_task(stored: StoredJob, access: DeviceAccess) -> JobTask | None:
    """The task of a stored job from its parameters (None for first passwords: those are never stored)."""
    params = stored.params
    if stored.kind is JobKind.CONFIGURATION_COPY:
        source = stored_target(params["source"])
        return ConfigurationCopyTask(source, source_reader(access, source),
                                     include_identity=bool(params.get("include_identity")))
    if stored.kind is JobKind.FIRMWARE:
        return FirmwareTask.from_params(params)
    if stored.kind is JobKind.BACKUP:
        return BackupTask(Path(params["folder"]))
    if stored.kind is JobKind.TIME:
        return TimeTask()
    return None


def window_access(window: MainWindow) -> ConnectionAccess:
    """Opens job devices through the window's stores, asking the technician where needed."""
    services = window.services
    return ConnectionAccess(services.trust, services.credentials, prompts_for=lambda _: window.prompts,
                            history=services.history)


def open_resumed_job(window: MainWindow, stored: StoredJob) -> SiteJobDialog | None:
    """The job view of an interrupted job: its finished rows stay, the rest runs on Start."""
    access = window_access(window)
    task = resumed_task(stored, access)
    if task is None:
        return None
    services = window.services

    def make_job(settings: JobSettings,
                 approve: Callable[[RowStatus], Coroutine[Any, Any, bool]]) -> SiteJob:
        return SiteJob.resume(stored, task, access, store=JobStore(), history=services.history)

    dialog = SiteJobDialog(f"Resume: {stored.kind.value} on {len(stored.rows)} devices", make_job, window)
    dialog.show()
    window.dialog_opened.emit(dialog)
    return dialog


def show_site_job(window: MainWindow, choice: JobChoice) -> SiteJobDialog | None:
    """Ask the job's parameters, then open its job view over the selected devices."""
    entries = window.selected_entries()
    task = choice.ask(window) if entries else None
    if task is None:
        return None
    return open_job_view(window, task, [job_target(entry) for entry in entries],
                         f"{choice.text.rstrip('…')} on {len(entries)} devices")


def open_job_view(window: MainWindow, task: JobTask, targets: list[JobTarget], title: str) -> SiteJobDialog:
    """The job view for `task` on `targets`, asking through the window's prompts, kept in the job store."""
    services = window.services
    access = window_access(window)

    def make_job(settings: JobSettings,
                 approve: Callable[[RowStatus], Coroutine[Any, Any, bool]]) -> SiteJob:
        return SiteJob(task, targets, access, settings=settings, store=JobStore(),
                       history=services.history, pilot_approval=approve)

    dialog = SiteJobDialog(title, make_job, window)
    dialog.show()
    window.dialog_opened.emit(dialog)
    return dialog
