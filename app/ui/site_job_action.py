"""The toolbar's "Site job": one kind of work on every selected device, offered by what their clients can
do (capabilities, never vendor names), run by the Qt-free SiteJob in a SiteJobDialog."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMenu

from app.discovery.inventory import DeviceEntry
from app.site.jobs.access import ConnectionAccess
from app.site.jobs.engine import SiteJob
from app.site.jobs.model import JobSettings, JobTarget, RowStatus
from app.site.jobs.store import JobStore
from app.site.jobs.tasks.backup import BackupTask
from app.site.jobs.tasks.clock import TimeTask
from app.site.jobs.tasks.firmware import FirmwareTask
from app.site.jobs.tasks.password import FirstPasswordTask
from app.site.jobs.work import JobTask
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
    path, _ = QFileDialog.getOpenFileName(window, "Firmware file for the selected devices")
    if not path:
        return None
    version, ok = QInputDialog.getText(window, "Firmware version",
                                       "Version this file installs (devices already on it are skipped; "
                                       "leave empty if unknown):")
    return FirmwareTask(Path(path), version=version.strip() if ok else "")


def _ask_password(window: MainWindow) -> JobTask | None:
    password, ok = QInputDialog.getText(window, "First password",
                                        "New password for every device still on its factory password:",
                                        QLineEdit.EchoMode.Password)
    if not ok or not password:
        return None
    return FirstPasswordTask(lambda session: password)


CHOICES = (
    JobChoice("Back up configurations…", Capability.BACK_UP_CONFIGURATION, _ask_backup),
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


def able(entries: Sequence[DeviceEntry], capability: Capability) -> int:
    """How many of `entries` are of a vendor whose client has `capability`."""
    return sum(1 for entry in entries
               if capability.supported_by(plugin_for(entry.candidate.identity.vendor).client_type))


def build_site_job_menu(window: MainWindow) -> QMenu:
    """The menu of jobs; each entry is enabled when at least one selected device can do it."""
    menu = QMenu("Site job", window)

    def refresh() -> None:
        entries = window.selected_entries()
        for action, choice in zip(menu.actions(), CHOICES, strict=True):
            count = able(entries, choice.capability)
            action.setEnabled(count > 0)
            action.setToolTip(f"{count} of the {len(entries)} selected devices can do this.")

    for choice in CHOICES:
        menu.addAction(choice.text).triggered.connect(lambda _=False, c=choice: show_site_job(window, c))
    menu.aboutToShow.connect(refresh)
    return menu


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
    access = ConnectionAccess(services.trust, services.credentials, prompts_for=lambda _: window.prompts,
                              history=services.history)

    def make_job(settings: JobSettings,
                 approve: Callable[[RowStatus], Coroutine[Any, Any, bool]]) -> SiteJob:
        return SiteJob(task, targets, access, settings=settings, store=JobStore(),
                       history=services.history, pilot_approval=approve)

    dialog = SiteJobDialog(title, make_job, window)
    dialog.show()
    window.dialog_opened.emit(dialog)
    return dialog
