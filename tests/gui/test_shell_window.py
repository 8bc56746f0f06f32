"""The main window against a real simulated Axis camera on 127.0.0.1: list, trust prompt, login, panel."""

from __future__ import annotations

import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.backend.trust import fetch_certificate
from app.core.clock import ManualClock
from app.core.models import Credentials, DeviceState
from app.discovery.inventory import DeviceEntry
from app.sim.certs import make_self_signed
from app.sim.server import RunningDevice, serve_device
from app.ui.demo_banner import DemoBanner
from app.ui.dialogs.certificate import CertificateDialog
from app.ui.dialogs.credentials import CredentialDialog
from app.ui.main_window import MainWindow
from app.ui.panels.axis.panel import AxisPanel
from app.vendors.base import SimulatedDevice
from app.vendors.registry import plugin_for
from tests.gui.conftest import DialogWatcher, add_by_address, run_async, wait_until


def axis_simulator() -> SimulatedDevice:
    """A simulated Axis camera."""
    return plugin_for("axis").create_simulator(serial_index=7, seed=7, clock=ManualClock())



async def add_device(window: MainWindow, running: RunningDevice) -> DeviceEntry:
    """Manual add by address, then wait until the list shows it as its only row."""
    entry = await add_by_address(window, running.endpoint)
    await wait_until(lambda: window.model.rowCount() == 1)
    return entry


def fingerprint_shown(dialog: CertificateDialog) -> str:
    return dialog.fingerprint.text().replace("\n", ":")


def test_window_opens_within_the_screen(window: MainWindow) -> None:
    available = window.screen().availableGeometry()
    assert window.isVisible()
    assert window.windowTitle() == "Commissioner"
    assert window.frameGeometry().width() <= available.width()
    assert window.frameGeometry().height() <= available.height()
    assert window.empty_hint.isVisible()
    assert window.count_label.text() == "0 devices"


def test_device_appears_trust_prompt_login_and_panel_opens(
    window: MainWindow, qloop: qasync.QEventLoop
) -> None:
    sim = axis_simulator()
    watcher = DialogWatcher(window)

    async def scenario() -> None:
        async with serve_device(sim) as running:
            entry = await add_device(window, running)
            assert window.model.row(entry.key).state is DeviceState.CERTIFICATE_UNTRUSTED  # type: ignore[union-attr]
            assert window.count_label.text().startswith("1 device")
            task = window.open_device(entry.key)
            assert task is not None
            await wait_until(lambda: watcher.visible(CertificateDialog) is not None)
            prompt = watcher.visible(CertificateDialog)
            assert not prompt.changed
            assert fingerprint_shown(prompt) == running.fingerprint
            sent_before_trust = len(sim.requests)
            prompt.trust_button.click()
            await wait_until(lambda: watcher.visible(CredentialDialog) is not None)
            assert len(sim.requests) == sent_before_trust
            login = watcher.visible(CredentialDialog)
            login.username.setText(sim.info.username)
            login.password.setText(sim.info.password)
            login.buttons.accepted.emit()
            opened = await task
            assert opened is not None
            assert window.services.trust.pinned(entry.key) == running.fingerprint
            assert isinstance(window.workspace.panel(entry.key), AxisPanel)
            assert window.workspace.tabText(window.workspace.currentIndex()).startswith("AXIS")
            remembered = window.services.credentials.device_credentials(entry.key)
            assert remembered == Credentials(sim.info.username, sim.info.password)
            await wait_until(lambda: window.model.row(entry.key).state is DeviceState.ONLINE)  # type: ignore[union-attr]
            assert any(r.path.startswith("/axis-cgi/") for r in sim.requests)
            panel = window.workspace.panel(entry.key)
            assert isinstance(panel, AxisPanel)
            changed = Credentials(sim.info.username, "N3w-Passw0rd")
            assert panel.context.remember_credentials is not None
            panel.context.remember_credentials(changed)  # what a panel does after a password change
            assert window.services.credentials.device_credentials(entry.key) == changed
            window.workspace.close_panel(entry.key)

    run_async(qloop, scenario())


def test_changed_certificate_blocks_and_keep_blocking_sends_nothing(
    window: MainWindow, qloop: qasync.QEventLoop
) -> None:
    sim = axis_simulator()
    watcher = DialogWatcher(window)

    async def scenario() -> None:
        async with serve_device(sim) as running:
            entry = await add_device(window, running)
            window.services.trust.trust(entry.key, await fetch_certificate(running.endpoint))
            old = running.fingerprint
            impostor = make_self_signed("impostor", organization="axis", hosts=("127.0.0.1",))
            running.reload_certificate(impostor)
            sent_before = len(sim.requests)
            task = window.open_device(entry.key)
            assert task is not None
            await wait_until(lambda: watcher.visible(CertificateDialog) is not None)
            warning = watcher.visible(CertificateDialog)
            assert warning.changed
            assert warning.old_fingerprint.text().replace("\n", ":") == old
            assert fingerprint_shown(warning) == running.fingerprint
            assert warning.reject_button.isDefault()
            warning.trust_button.setFocus()
            QTest.keyClick(warning, Qt.Key.Key_Return)  # Enter means "Keep blocking", even from "trust"
            assert await task is None
            assert len(sim.requests) == sent_before
            assert window.services.trust.pinned(entry.key) == old
            assert window.workspace.panel(entry.key) is None
            await wait_until(
                lambda: window.model.row(entry.key).state is DeviceState.CERTIFICATE_CHANGED  # type: ignore[union-attr]
            )
            history = [(e.action, e.result) for e in window.services.history.entries(entry.key, 10)]
            assert ("Certificate", "kept blocking") in history

    run_async(qloop, scenario())


def test_reprobe_marks_a_vanished_device_offline_and_back(
    window: MainWindow, qloop: qasync.QEventLoop
) -> None:
    sim = axis_simulator()

    async def scenario() -> None:
        async with serve_device(sim) as running:
            entry = await add_device(window, running)
            port = running.endpoint.port
            certificate = running.certificate
        task = window.reprobe_devices()
        assert task is not None
        await task
        await wait_until(lambda: window.model.row(entry.key).state is DeviceState.OFFLINE)  # type: ignore[union-attr]
        async with serve_device(sim, port=port, certificate=certificate):
            task = window.reprobe_devices()
            assert task is not None
            await task
            await wait_until(
                lambda: window.model.row(entry.key).state is DeviceState.CERTIFICATE_UNTRUSTED  # type: ignore[union-attr]
            )
        assert window.model.rowCount() == 1

    assert window.reprobe_timer.interval() == 30_000
    run_async(qloop, scenario())


def test_demo_banner_names_each_device_once_and_shows_only_the_credentials_it_has(qtbot: QtBot) -> None:
    devices = [
        {"vendor": "two_n", "model": "2N IP Vario", "username": "admin", "password": "2n-1",
         "service_type": "_http._tcp.local."},
        {"vendor": "inxpect", "model": "MSK-101-POE", "username": "", "password": "msk101poe",
         "service_type": "_http._tcp.local."},
        {"vendor": "audiocodes", "model": "Mediant 800", "username": "Admin", "password": "Admin",
         "host": "127.0.0.1", "port": 4443, "license_key": "MTAx.demo-key"},
    ]
    banner = DemoBanner(devices)
    qtbot.addWidget(banner)
    texts = [label.text() for label in banner.findChildren(QLabel)]
    assert "2N IP Vario" in texts
    assert "Inxpect MSK-101-POE" in texts
    assert "AudioCodes Mediant 800" in texts
    assert "password <b>msk101poe</b>" in texts
    assert "user <b>admin</b>, password <b>2n-1</b>" in texts
    added: list[str] = []
    banner.add_requested.connect(added.append)
    add = next(b for b in banner.findChildren(QPushButton) if b.text() == "Add")
    add.click()
    assert added == ["127.0.0.1:4443"]
    copy = next(b for b in banner.findChildren(QPushButton) if b.text() == "Copy license key")
    copy.click()
    assert QGuiApplication.clipboard().text() == "MTAx.demo-key"
    banner.show()
    banner.toggle.click()
    assert banner.details.isHidden()
    assert banner.toggle.text() == "Show demo credentials"


def test_notes_come_and_go_below_the_panels_so_the_tabs_never_move(
    window: MainWindow, qtbot: QtBot
) -> None:
    tabs_at = window.workspace.mapTo(window, window.workspace.rect().topLeft())
    window.notify("info", "Password changed and stored for this device.")
    qtbot.waitUntil(window.notifications.isVisible)
    assert window.workspace.mapTo(window, window.workspace.rect().topLeft()) == tabs_at
    assert window.notifications.geometry().top() >= window.workspace.geometry().bottom()
