"""The AudioCodes panel against an in-process simulated Mediant: level gating, busy retry, license, alarms."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import qasync
from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.core.clock import ManualClock
from app.core.models import Credentials, DeviceIdentity, Endpoint
from app.ui.panels.audiocodes.panel import AudioCodesPanel
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.simulator import AudioCodesSimulator
from app.vendors.audiocodes.simulator.licensing import mint_license_key
from tests.gui.conftest import panel_services, run_async, show_panel, wait_until

ENDPOINT = Endpoint("127.0.0.1", 443)


class Harness:
    """A simulated Mediant, a client logged in as `username`, the panel's context and the requests sent."""

    def __init__(self, tmp_path: Path, username: str = "Admin") -> None:
        self.clock = ManualClock()
        self.sim = AudioCodesSimulator(serial_index=2, seed=5, clock=self.clock)
        self.sent = self.sim.requests
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.sim), base_url=ENDPOINT.base_url)
        password = self.sim.users[username][0]
        self.client = AudioCodesClient(self.http, ENDPOINT, Credentials(username, password), clock=self.clock)
        self.history = DeviceHistory(tmp_path / "history.sqlite")
        identity = DeviceIdentity("audiocodes", "Mediant", serial=self.sim.state.serial)
        services = panel_services(identity, ENDPOINT, self.client, self.history)
        self.context, self.tasks, self.notes = services.context, services.tasks, services.notes

    def paths(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.sent]


def make_harness(tmp_path: Path, qloop: qasync.QEventLoop, username: str = "Admin") -> Iterator[Harness]:
    made = Harness(tmp_path, username)
    yield made
    made.tasks.cancel_all()
    run_async(qloop, wait_until(lambda: not made.tasks.running))
    run_async(qloop, made.http.aclose())
    made.history.close()


@pytest.fixture
def harness(tmp_path: Path, qloop: qasync.QEventLoop) -> Iterator[Harness]:
    yield from make_harness(tmp_path, qloop)


@pytest.fixture
def monitor(tmp_path: Path, qloop: qasync.QEventLoop) -> Iterator[Harness]:
    yield from make_harness(tmp_path, qloop, "monitor")


def open_panel(qtbot: QtBot, harness: Harness) -> AudioCodesPanel:
    return show_panel(qtbot, AudioCodesPanel(harness.context), 1100, 720)


def test_security_administrator_sees_everything_loaded(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    reported: list[str] = []
    harness.context = dataclasses.replace(harness.context, firmware_read=reported.append)
    panel = open_panel(qtbot, harness)

    async def scenario() -> None:
        await wait_until(
            lambda: panel.alarms_tab.table.rowCount() > 0 and panel.certificates_tab.table.rowCount() == 3
        )
        await wait_until(lambda: panel.license_tab.features.topLevelItemCount() > 0)

    run_async(qloop, scenario())
    assert panel.device_tab.fields["Serial number"].text() == harness.sim.state.serial
    assert reported[-1] == panel.device_tab.fields["Software"].text()  # for the device list
    assert panel.license_tab.serial_label.text() == harness.sim.state.serial
    assert "every action is available" in panel.level_banner.text()
    assert panel.device_tab.save_button.isEnabled()
    assert not panel.device_tab.hitless_button.isVisibleTo(panel.device_tab)  # standalone: no hitless path
    assert panel.certificates_tab.wizard_button.isEnabled()
    assert "GET /api/v1/files/tls" in harness.paths()
    assert panel.alarms_tab.table.item(0, 2).text() == harness.sim.state.alarm_list("active")[0].description


def test_monitor_gets_actions_disabled_with_the_reason(
    qtbot: QtBot, qloop: qasync.QEventLoop, monitor: Harness
) -> None:
    panel = open_panel(qtbot, monitor)

    run_async(qloop, wait_until(lambda: panel.alarms_tab.table.rowCount() > 0))

    assert "Monitor" in panel.level_banner.text()
    for button in (
        panel.device_tab.save_button,
        panel.license_tab.install_key_button,
        panel.certificates_tab.wizard_button,
        panel.device_tab.backup_button,
    ):
        assert not button.isEnabled()
    assert panel.license_tab.install_key_button.toolTip() == (
        "Install a license needs a Security Administrator user; you are logged in as Monitor."
    )
    assert panel.device_tab.save_button.toolTip().startswith("Save the configuration needs an Administrator")
    assert not any(p.startswith(("GET /api/v1/license", "GET /api/v1/files/tls/")) for p in monitor.paths())


def test_busy_device_offers_retry_that_succeeds(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = open_panel(qtbot, harness)
    run_async(qloop, wait_until(panel.device_tab.save_button.isEnabled))
    harness.sim.begin_ha_sync(60)

    panel.device_tab.save_button.click()
    run_async(qloop, wait_until(panel.busy_bar.isVisible))
    assert "HA synchronization" in panel.busy_bar.label.text()

    harness.clock.advance(61)
    saves = harness.paths().count("POST /api/v1/actions/saveConfiguration")
    panel.busy_bar.retry_button.click()
    run_async(
        qloop,
        wait_until(
            lambda: ("info", "Configuration saved to the device's non-volatile memory.") in harness.notes
        ),
    )
    assert harness.paths().count("POST /api/v1/actions/saveConfiguration") == saves + 1
    assert not panel.busy_bar.isVisible()


def test_license_for_another_serial_is_refused_without_sending(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = open_panel(qtbot, harness)
    tab = panel.license_tab
    run_async(qloop, wait_until(lambda: tab.serial_label.text() == harness.sim.state.serial))

    tab.key_edit.setText(mint_license_key("277522263687112"))
    tab.serial_edit.setText("277522263687112")
    tab.install_key_button.click()
    assert "Nothing was sent" in tab.message.text()
    assert "PUT /api/v1/license" not in harness.paths()

    tab.key_edit.setText(mint_license_key(harness.sim.state.serial))
    tab.serial_edit.setText(harness.sim.state.serial)
    tab.install_key_button.click()
    run_async(qloop, wait_until(lambda: "License installed" in tab.message.text()))
    assert "PUT /api/v1/license" in harness.paths()
    groups = lambda: [tab.features.topLevelItem(i).text(0) for i in range(tab.features.topLevelItemCount())]  # noqa: E731
    run_async(qloop, wait_until(lambda: "Control Protocols (6)" in groups()))


def test_active_alarms_are_read_again_only_when_the_device_says_they_changed(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    harness.sim.state.raise_alarm()
    panel = open_panel(qtbot, harness)
    tab = panel.alarms_tab
    run_async(qloop, wait_until(lambda: tab.table.rowCount() > 0 and tab.last_change is not None))
    rows = tab.table.rowCount()
    assert tab.last_change_label.text().startswith("Active alarms last changed ")
    page_reads = lambda: harness.paths().count("GET /api/v1/alarms/active")  # noqa: E731
    before = page_reads()

    tab.check_for_changes()  # nothing moved on the device
    run_async(qloop, wait_until(lambda: tab._watch is not None and tab._watch.done()))
    assert harness.paths()[-1] == "GET /api/v1/alarms/active/lastChange"
    assert page_reads() == before

    harness.clock.advance(5)
    harness.sim.state.raise_alarm()
    tab.check_for_changes()
    run_async(qloop, wait_until(lambda: tab.table.rowCount() == rows + 1))
    assert page_reads() == before + 1


def test_alarm_pages_follow_the_cursors(qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness) -> None:
    while len(harness.sim.state.alarm_list("active")) < 25:
        harness.sim.state.raise_alarm()
    panel = open_panel(qtbot, harness)
    tab = panel.alarms_tab
    run_async(qloop, wait_until(lambda: tab.table.rowCount() == 20))
    assert tab.next_button.isEnabled()
    assert not tab.previous_button.isEnabled()

    tab.next_button.click()
    run_async(qloop, wait_until(lambda: tab.table.rowCount() == 5))
    assert [r.params().get("after") for r in harness.sent.for_path("/api/v1/alarms/active")][-1] == "20"
    assert tab.previous_button.isEnabled()
    tab.table.selectRow(0)
    assert harness.sim.state.alarm_list("active")[20].description in tab.detail.text()


def test_open_web_interface_uses_a_one_time_token(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    panel = open_panel(qtbot, harness)
    run_async(qloop, wait_until(panel.device_tab.web_button.isEnabled))

    panel.device_tab.web_button.click()
    run_async(qloop, wait_until(lambda: bool(opened)))

    token = harness.sim.state.auth_tokens and next(iter(harness.sim.state.auth_tokens))
    assert opened == [f"https://127.0.0.1:443/index.html?mode=web&authToken={token}"]
    assert "POST /api/v1/actions/authToken" in harness.paths()


def test_configuration_backup_and_save(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, tmp_path: Path
) -> None:
    panel = open_panel(qtbot, harness)
    run_async(qloop, wait_until(panel.device_tab.backup_button.isEnabled))
    target = tmp_path / "backup.ini"

    panel.device_tab.backup_ini(target)
    run_async(qloop, wait_until(lambda: any("Configuration saved to" in text for _, text in harness.notes)))

    assert f";Serial Number: {harness.sim.state.serial}".encode() in target.read_bytes()
    assert "GET /api/v1/files/ini" in harness.paths()
    harness.sim.state.save_needed = True
    panel.device_tab.refresh()
    run_async(qloop, wait_until(lambda: panel.device_tab.fields["Unsaved changes"].text().startswith("Yes")))
    panel.device_tab.save_button.click()
    run_async(qloop, wait_until(lambda: panel.device_tab.fields["Unsaved changes"].text() == "No"))
    assert not harness.sim.state.save_needed


def test_closing_the_panel_cancels_its_work_and_starts_nothing_new(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    panel = open_panel(qtbot, harness)
    assert harness.tasks.running  # the initial read is under way
    panel.close()
    run_async(qloop, wait_until(lambda: not harness.tasks.running))
    sent = len(harness.sent)
    panel.license_tab.refresh()
    panel.alarms_tab.load()
    assert not harness.tasks.running
    assert len(harness.sent) == sent


def test_ha_pair_is_shown_warned_and_backed_up_before_a_software_update(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from app.vendors.audiocodes.safe_maintenance import backup_folder

    harness.sim.scenarios.enable("ha_pair")
    harness.sim.scenarios.enable("calls_in_progress")
    panel = open_panel(qtbot, harness)
    tab = panel.device_tab
    run_async(qloop, wait_until(lambda: tab.fields["High availability"].text().startswith("HA pair")))
    assert "both units" in tab.fields["High availability"].text()
    assert tab.hitless_button.isVisibleTo(tab)  # the document's hitless procedure, for HA pairs only

    tab.restart_button.click()
    dialog = tab.restart_dialog
    assert "restarts BOTH units" in dialog.warning.text()
    dialog.when.setCurrentIndex(1)
    dialog.accept()
    run_async(qloop, wait_until(lambda: "POST /api/v1/actions/reset" in harness.paths()))
    reset = next(r for r in harness.sent if r.path == "/api/v1/actions/reset")
    assert reset.json()["gracefulTimeout"] == 1
    harness.tasks.cancel_all()
    run_async(qloop, wait_until(lambda: not harness.tasks.running))
    harness.sim.scenarios.disable("calls_in_progress")
    harness.sim.state.down_from = harness.sim.state.down_until = None  # the restart was called off

    load = tmp_path / "M800_SIP_7.40A.500.785.cmp"
    load.write_bytes(b"\x00CMP" * 64)
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(load), ""))

    def answer(_parent: object, _title: str, text: str, *_: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    tab.software_button.click()
    assert "restarts BOTH units" in asked[0]
    assert "backed up first" in asked[0]

    async def let_time_pass() -> None:
        while not any("now runs" in text for _, text in harness.notes):
            harness.clock.advance(5)
            await asyncio.sleep(0.002)

    run_async(qloop, let_time_pass(), timeout=20)
    [backup] = list(backup_folder().iterdir())
    note = next(text for _, text in harness.notes if "now runs" in text)
    assert str(backup) in note
    paths = harness.paths()
    assert paths.index("GET /api/v1/files/ini") < paths.index("PUT /api/v1/files/software")
    assert "software 7.40A.500.785" in panel.title.text()  # the header follows the version read back


def test_the_acceptance_tab_shows_calls_registrations_and_alarms(
    qtbot: QtBot, qloop: qasync.QEventLoop, harness: Harness
) -> None:
    harness.sim.scenarios.enable("calls_in_progress")
    panel = open_panel(qtbot, harness)
    tab = panel.kpi_tab
    run_async(qloop, wait_until(lambda: tab.table.rowCount() > 0))

    active = len(harness.sim.state.alarm_list("active"))
    assert tab.summary.text() == f"14 call(s) up now · 114 registered user(s) · {active} active alarm(s)"
    areas = {tab.table.item(r, 0).text() for r in range(tab.table.rowCount())}
    assert areas == {"Calls", "Registrations", "Alarms"}
    assert "GET /api/v1/kpi/current/sbc/otherStats/global" in harness.paths()
