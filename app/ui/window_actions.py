"""The toolbar's flows: add/scan devices, the cloud account and settings (imported on first use)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from app.backend.credentials import labelled_site_list
from app.core.errors import AppError
from app.core.progress import Operation, ProgressReporter
from app.site.cloud import open_cloud, remember_secret, remembered_secret
from app.site.connection import OPEN_STAGES
from app.site.naming import cloud_key
from app.site.opened import OpenedDevice
from app.ui.dialogs import ask
from app.ui.dialogs.add_device import AddDeviceDialog
from app.ui.dialogs.cloud_account import CloudAccount, CloudAccountDialog
from app.ui.dialogs.passphrase import PassphraseDialog
from app.ui.dialogs.settings import InterfaceChoice, SettingsDialog, SettingsResult
from app.ui.services import open_encrypted_store
from app.vendors.hikvision.regions import TokenHost

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def show_add_dialog(window: MainWindow, address: str = "", *, scan: bool = False) -> AddDeviceDialog:
    """Open the add-device dialog; what it finds lands in the inventory and so in the list."""
    discovery = window.services.discovery

    async def add_address(text: str) -> str:
        if discovery is None:
            raise AppError("Discovery is not running.")
        entry = await discovery.manual_add(text)
        identity = entry.candidate.identity
        return f"Added {identity.model or identity.vendor} ({identity.serial or 'no serial'}) at {text}."

    async def scan_range(text: str, reporter: ProgressReporter) -> int:
        if discovery is None:
            raise AppError("Discovery is not running.")

        def progress(done: int, total: int) -> None:
            reporter.set(done, total)

        result = await discovery.scan(text, progress=progress)
        if result.unrecognised:
            log.info("Scan of %s: %d open port(s) not recognised", text, len(result.unrecognised))
        return len(result.devices)

    dialog = AddDeviceDialog(add_address, scan_range, address=address, scan=scan, parent=window)
    window.dialog_opened.emit(dialog)
    dialog.open()
    return dialog


def show_cloud_dialog(
    window: MainWindow,
    *,
    url: str = "",
    api_key: str = "",
    secret: str = "",
    extra_presets: Sequence[TokenHost] = (),
) -> None:
    """Ask for the cloud account (offering `extra_presets` beside the regions), then log in and open the
    Hik-Partner Pro panel as a task."""
    settings = window.services.settings
    url = url or settings.cloud_url
    api_key = api_key or settings.cloud_api_key
    secret = secret or remembered_secret(window.services.credentials, url)
    dialog = CloudAccountDialog(url, api_key, secret, parent=window, extra_presets=extra_presets)
    window.dialog_opened.emit(dialog)

    async def flow() -> None:
        if await ask(dialog) == CloudAccountDialog.DialogCode.Accepted:
            connect_cloud(window, dialog.account())

    window.tasks.spawn(flow(), owner=window, name="Cloud account")


def connect_cloud(window: MainWindow, account: CloudAccount) -> None:
    """Log in to the cloud as a task; on success remember the account and open its panel."""
    key = cloud_key(account.url)
    if window.workspace.focus_panel(key):
        return

    async def run(reporter: ProgressReporter) -> OpenedDevice | None:
        return await open_cloud(window.connector, account.url, account.credentials, reporter)

    title = "Connect to Hik-Partner Pro"
    operation: Operation[OpenedDevice | None] = Operation(title, OPEN_STAGES, run, key)
    task = window.tasks.run(operation, owner=window)

    def done(_: Any) -> None:
        if task.cancelled() or task.exception() is not None or task.result() is None:
            return
        _remember_cloud(window, account)
        device = task.result()
        assert device is not None
        window.workspace.show_panel(device)

    task.add_done_callback(done)


def _remember_cloud(window: MainWindow, account: CloudAccount) -> None:
    settings = window.services.settings
    settings.cloud_url = account.url
    settings.cloud_api_key = account.credentials.username
    settings.save()
    if account.remember:
        remember_secret(window.services.credentials, account.url, account.credentials)


async def unlock_credential_file(window: MainWindow) -> bool:
    """No OS keyring: ask for the encrypted file's passphrase; True once passwords are saved in it.

    Declining keeps passwords for this session only, and the window says so.
    """
    loop = asyncio.get_running_loop()

    async def unlock(passphrase: str) -> None:
        store = await loop.run_in_executor(None, open_encrypted_store, passphrase)
        window.use_credentials(store)

    store = window.services.credentials
    create = not store.encrypted_file.exists()
    dialog = PassphraseDialog(
        unlock, create=create, set_aside=lambda: str(store.set_aside_encrypted_file()), parent=window
    )
    window.dialog_opened.emit(dialog)
    if await ask(dialog) == PassphraseDialog.DialogCode.Accepted:
        window.notify("info", "Passwords are saved in a file encrypted with your passphrase (no OS keyring).")
        return True
    window.notify("warning", "This computer has no keyring and no passphrase was chosen: passwords you "
                             "enter are kept for this session only.")
    return False


def show_settings(window: MainWindow) -> SettingsDialog:
    """Open the settings dialog; saving applies interfaces, the site list and the CA bundle."""
    from app.discovery.interfaces import ipv4_interfaces

    services = window.services
    choices = [InterfaceChoice(item.label, item.address) for item in ipv4_interfaces(include_loopback=True)]
    site = [entry.credentials for entry in services.credentials.site_credentials()]
    dialog = SettingsDialog(
        choices, services.settings.interfaces, site, services.trust.ca_bundle, parent=window
    )
    dialog.accepted.connect(lambda: _apply_settings(window, dialog.result_values()))
    window.dialog_opened.emit(dialog)
    dialog.open()
    return dialog


def _apply_settings(window: MainWindow, result: SettingsResult) -> None:
    services = window.services
    try:
        services.trust.set_ca_bundle(result.ca_bundle)
        services.credentials.set_site_credentials(labelled_site_list(result.site_credentials))
    except AppError as err:
        window.notify("error", str(err))
        return
    changed = result.interfaces != services.settings.interfaces
    services.settings.interfaces = result.interfaces
    services.settings.save()
    if changed and services.discovery is not None:
        window.restart_discovery(result.interfaces)
    window.notify("info", "Settings saved.")

