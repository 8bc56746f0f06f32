"""No OS keyring: the app says so and keeps passwords in a passphrase-encrypted file, never in clear."""

from __future__ import annotations

from pathlib import Path

import pytest
import qasync
from pytestqt.qtbot import QtBot

from app.backend import credentials as credentials_module
from app.backend import vault as vault_module
from app.core.models import Credentials
from app.ui.dialogs.passphrase import PassphraseDialog
from app.ui.main_window import MainWindow
from app.ui.services import AppServices
from app.ui.window_actions import unlock_credential_file
from tests.gui.conftest import run_async, wait_until

PASSPHRASE = "blue-ladder-42"
DEVICE = "two_n:54-0000-0001"
SECRET = Credentials("admin", "S1te-Secret!")


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """A headless Linux laptop: no usable keyring."""
    monkeypatch.setattr(vault_module, "keyring_available", lambda: False)
    monkeypatch.setattr(credentials_module, "keyring_available", lambda: False)


def open_window(qtbot: QtBot) -> MainWindow:
    window = MainWindow(AppServices.create())
    qtbot.addWidget(window)
    window.show()
    return window


async def shown_dialog(window: MainWindow, dialogs: list[PassphraseDialog]) -> PassphraseDialog:
    window.dialog_opened.connect(dialogs.append)
    await wait_until(lambda: bool(dialogs) and dialogs[-1].isVisible())
    return dialogs[-1]


def test_first_start_creates_the_encrypted_file_after_two_matching_entries(
    qtbot: QtBot, qloop: qasync.QEventLoop, data_dir: Path
) -> None:
    window = open_window(qtbot)
    assert window.services.needs_passphrase
    dialogs: list[PassphraseDialog] = []

    async def scenario() -> bool:
        flow = window.tasks.spawn(unlock_credential_file(window), owner=window)
        dialog = await shown_dialog(window, dialogs)
        assert dialog.creating
        dialog.passphrase.setText("short")
        dialog.repeat.setText("short")
        assert not dialog.ok_button.isEnabled()
        assert dialog.problem.text() == "At least 8 characters."
        dialog.passphrase.setText(PASSPHRASE)
        dialog.repeat.setText(PASSPHRASE + "x")
        assert not dialog.ok_button.isEnabled()
        assert dialog.problem.text() == "The two entries differ."
        dialog.repeat.setText(PASSPHRASE)
        assert dialog.ok_button.isEnabled()
        dialog.ok_button.click()
        return await flow

    assert run_async(qloop, scenario()) is True
    store = window.services.credentials
    assert not store.uses_keyring
    assert not window.services.needs_passphrase
    assert window.connector.credentials is store
    assert window.services.credentials_kept == "in the passphrase-encrypted file"
    store.save_device_credentials(DEVICE, SECRET)
    stored = (data_dir / "credentials.enc").read_bytes()
    assert SECRET.password.encode() not in stored
    assert b"ciphertext" in stored
    assert all(SECRET.password not in path.read_text() for path in data_dir.glob("*.json"))
    assert window.notifications.messages[-1][0] == "info"


def test_next_start_unlocks_refusing_a_wrong_passphrase(
    qtbot: QtBot, qloop: qasync.QEventLoop
) -> None:
    credentials_module.CredentialStore(passphrase=PASSPHRASE).save_device_credentials(DEVICE, SECRET)
    window = open_window(qtbot)
    assert window.services.credentials.device_credentials(DEVICE) is None  # locked: nothing readable yet
    dialogs: list[PassphraseDialog] = []

    async def scenario() -> bool:
        flow = window.tasks.spawn(unlock_credential_file(window), owner=window)
        dialog = await shown_dialog(window, dialogs)
        assert not dialog.creating
        assert not dialog.repeat.isVisible()
        dialog.passphrase.setText("not-the-passphrase")
        dialog.ok_button.click()
        await wait_until(lambda: "does not open" in dialog.problem.text())
        assert dialog.isVisible()
        assert dialog.passphrase.text() == ""
        dialog.passphrase.setText(PASSPHRASE)
        dialog.ok_button.click()
        return await flow

    assert run_async(qloop, scenario()) is True
    assert window.services.credentials.device_credentials(DEVICE) == SECRET


def test_a_forgotten_passphrase_sets_the_old_file_aside_and_starts_a_new_one(
    qtbot: QtBot, qloop: qasync.QEventLoop, data_dir: Path
) -> None:
    credentials_module.CredentialStore(passphrase=PASSPHRASE).save_device_credentials(DEVICE, SECRET)
    old_bytes = (data_dir / "credentials.enc").read_bytes()
    window = open_window(qtbot)
    dialogs: list[PassphraseDialog] = []

    async def scenario() -> bool:
        flow = window.tasks.spawn(unlock_credential_file(window), owner=window)
        dialog = await shown_dialog(window, dialogs)
        assert dialog.start_over_button.isVisible()
        dialog.start_over_button.click()
        assert dialog.creating
        assert dialog.repeat.isVisible()
        assert not dialog.start_over_button.isVisible()
        assert "forgotten" in dialog.problem.text()
        dialog.passphrase.setText("new-passphrase-7")
        dialog.repeat.setText("new-passphrase-7")
        dialog.ok_button.click()
        return await flow

    assert run_async(qloop, scenario()) is True
    kept = list(data_dir.glob("credentials.forgotten-*.enc"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == old_bytes  # set aside whole, not deleted
    store = window.services.credentials
    assert store.device_credentials(DEVICE) is None  # the old passwords are not in the new file
    store.save_device_credentials(DEVICE, SECRET)
    reopened = credentials_module.CredentialStore(passphrase="new-passphrase-7")
    assert reopened.device_credentials(DEVICE) == SECRET


def test_declining_the_passphrase_says_passwords_last_this_session_only(
    qtbot: QtBot, qloop: qasync.QEventLoop, data_dir: Path
) -> None:
    window = open_window(qtbot)
    dialogs: list[PassphraseDialog] = []

    async def scenario() -> bool:
        flow = window.tasks.spawn(unlock_credential_file(window), owner=window)
        dialog = await shown_dialog(window, dialogs)
        dialog.buttons.rejected.emit()
        return await flow

    assert run_async(qloop, scenario()) is False
    level, text = window.notifications.messages[-1]
    assert level == "warning"
    assert "kept for this session only" in text
    assert window.services.credentials_kept == "for this session only"
    window.services.credentials.save_device_credentials(DEVICE, SECRET)
    assert window.services.credentials.device_credentials(DEVICE) == SECRET
    assert not (data_dir / "credentials.enc").exists()
    assert all(SECRET.password not in path.read_text() for path in data_dir.glob("*.json"))


def test_login_dialog_accepts_a_password_without_a_user_name(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from app.ui.dialogs.credentials import CredentialDialog

    dialog = CredentialDialog("MSK-101-POE (20000)", kept="in the system keyring")
    qtbot.addWidget(dialog)
    log_in = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not log_in.isEnabled()
    qtbot.keyClicks(dialog.password, "msk101poe")
    assert log_in.isEnabled()
    assert dialog.answer().credentials == Credentials("", "msk101poe")
