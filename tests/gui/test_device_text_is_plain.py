"""Device and cloud text is data: every prompt, label, tooltip, list and panel shows markup literally."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget, QWizard, QWizardPage
from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.core.certificates import CertificateDetails
from app.core.models import DeviceCandidate, DeviceIdentity, Endpoint
from app.core.progress import Operation, ProgressReporter
from app.discovery.identify import Identification
from app.sim.certs import make_self_signed
from app.ui import tasks as tasks_module
from app.ui.dialogs.certificate import CertificateDialog
from app.ui.dialogs.cleartext import CleartextDialog
from app.ui.dialogs.credentials import CredentialDialog
from app.ui.history_view import HistoryView
from app.ui.main_window import MainWindow
from app.ui.notifications import NotificationBar
from app.ui.panels.identity import IdentityPanel
from tests.gui.conftest import panel_services, run_async, wait_until
from tests.gui.plain_text_check import HOSTILE, literal, markup_problems, shown, tooltip_shown

HOSTILE_IDENTITY = DeviceIdentity(
    "axis", HOSTILE, serial="ACCC8E0000FF", firmware=HOSTILE, mac="ac:cc:8e:00:00:ff", name=HOSTILE
)


def hostile_certificate() -> CertificateDetails:
    return CertificateDetails.from_der(make_self_signed(HOSTILE, organization=HOSTILE).cert_der)


def shown_on_screen(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.mark.parametrize("changed", [False, True], ids=["first contact", "changed certificate"])
def test_the_certificate_prompt_shows_device_text_literally(qtbot: QtBot, changed: bool) -> None:
    dialog = CertificateDialog(
        HOSTILE, hostile_certificate(), trusted_fingerprint="AB:" * 31 + "AB" if changed else None
    )
    shown_on_screen(qtbot, dialog)
    assert markup_problems(dialog) == []
    headline = shown(dialog.headline.text(), dialog.headline.textFormat())
    assert HOSTILE in headline  # the model name as typed: no hidden "CHANGED", no green "safe to go"
    assert ("has CHANGED" in headline) is changed


def test_the_login_prompt_shows_device_text_literally(qtbot: QtBot) -> None:
    dialog = shown_on_screen(qtbot, CredentialDialog(HOSTILE, reason=f"The device said: {HOSTILE}"))
    assert markup_problems(dialog) == []
    assert dialog.windowTitle() == f"Log in to {HOSTILE}"


def test_the_cleartext_prompt_shows_device_text_literally(qtbot: QtBot) -> None:
    dialog = shown_on_screen(qtbot, CleartextDialog(HOSTILE, Endpoint("127.0.0.1", 80, scheme="http")))
    assert markup_problems(dialog) == []


def test_notifications_show_device_errors_literally(qtbot: QtBot) -> None:
    bar = shown_on_screen(qtbot, NotificationBar())
    bar.notify("error", f"Login failed: the device answered {HOSTILE}")
    assert markup_problems(bar) == []


def test_the_history_view_shows_recorded_device_text_literally(qtbot: QtBot, tmp_path: Path) -> None:
    history = DeviceHistory(tmp_path / "history.sqlite3")
    history.record("axis:X", HOSTILE, "failed", {"message": HOSTILE})
    view = shown_on_screen(qtbot, HistoryView(history))
    view.show_device("axis:X", HOSTILE)  # type: ignore[attr-defined]
    assert markup_problems(view) == []
    history.close()


def test_tooltips_show_their_text_literally_also_when_reused() -> None:
    assert literal(tooltip_shown(HOSTILE))
    assert literal(tooltip_shown(f"again {HOSTILE}"))


def test_a_wizard_header_shows_device_text_literally(qtbot: QtBot) -> None:
    wizard = QWizard()
    wizard.setWizardStyle(QWizard.WizardStyle.ClassicStyle)  # a style that shows the header
    page = QWizardPage()
    page.setTitle(HOSTILE)
    page.setSubTitle(f"Backup of {HOSTILE} saved.")
    wizard.addPage(page)
    shown_on_screen(qtbot, wizard)
    assert markup_problems(wizard) == []
    assert any(HOSTILE in label for label in _label_texts(wizard))


def _label_texts(root: QWidget) -> list[str]:
    from PySide6.QtWidgets import QLabel

    return [label.text() for label in root.findChildren(QLabel) if label.isVisible()]


def test_message_boxes_and_input_dialogs_show_device_text_literally(qtbot: QtBot) -> None:
    seen: list[list[str]] = []

    def inspect_and_close() -> None:
        modal = QApplication.activeModalWidget()
        assert modal is not None
        seen.append(markup_problems(modal) + [f"text: {t}" for t in _label_texts(modal) if HOSTILE in t])
        modal.close()

    QTimer.singleShot(0, inspect_and_close)
    QMessageBox.question(None, "Restart intercom", f"Restart {HOSTILE} now?")
    QTimer.singleShot(0, inspect_and_close)
    QInputDialog.getText(None, "Rename device", f"New name for {HOSTILE}:")
    assert seen == [[f"text: Restart {HOSTILE} now?"], [f"text: New name for {HOSTILE}:"]]


def test_the_device_list_shows_device_text_literally(window: MainWindow, qloop: qasync.QEventLoop) -> None:
    candidate = DeviceCandidate(Endpoint("127.0.0.1", 8443), HOSTILE_IDENTITY, identified=False)
    window.services.inventory.observe(
        Identification(candidate, None, reason=f"probe refused: {HOSTILE}"), source="mdns:hostile"
    )
    run_async(qloop, wait_until(lambda: window.model.row(HOSTILE_IDENTITY.key) is not None))
    assert markup_problems(window) == []


def test_a_panel_header_shows_device_text_literally(
    qtbot: QtBot, tmp_path: Path, qloop: qasync.QEventLoop
) -> None:
    history = DeviceHistory(tmp_path / "history.sqlite3")
    services = panel_services(HOSTILE_IDENTITY, Endpoint("127.0.0.1", 443), None, history)
    panel = shown_on_screen(qtbot, IdentityPanel(services.context))
    assert markup_problems(panel) == []
    assert any(HOSTILE in shown(t, Qt.TextFormat.RichText) for t in _label_texts(panel))
    history.close()


def hostile(identity: DeviceIdentity) -> DeviceIdentity:
    """`identity` with a model and name that are markup."""
    return replace(identity, model=HOSTILE, name=HOSTILE)


def test_a_running_operation_shows_device_text_literally(
    window: MainWindow, qloop: qasync.QEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks_module, "SHOW_DELAY_MS", 0)
    title = f"Open {HOSTILE} at 127.0.0.1:443"
    release = asyncio.Event()

    async def work(reporter: ProgressReporter) -> None:
        reporter.stage("Logging in", message=f"the device answered {HOSTILE}")
        await release.wait()

    async def scenario() -> None:
        task = window.tasks.run(Operation(title, ("Logging in",), work), owner=window)
        await wait_until(lambda: "answered" in stage_shown(window, title))
        assert markup_problems(window.task_area) == []
        release.set()
        await task

    run_async(qloop, scenario())


def stage_shown(window: MainWindow, title: str) -> str:
    """The stage line of the running operation `title`, or ""."""
    row = window.task_area.row_for(title)
    return row.stage_label.text() if row is not None else ""


@pytest.mark.parametrize("changed", [False, True], ids=["first contact", "changed certificate"])
def test_enter_in_the_certificate_prompt_does_not_trust(qtbot: QtBot, changed: bool) -> None:
    dialog = CertificateDialog(
        HOSTILE, hostile_certificate(), trusted_fingerprint="AB:" * 31 + "AB" if changed else None
    )
    shown_on_screen(qtbot, dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.result() == CertificateDialog.DialogCode.Rejected
