"""The forgotten-password recovery from the login dialog: power cycle watched with a countdown, the reset sent
in the window, then the factory password asked for; Cancel stops the watch."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx
import qasync
from pytestqt.qtbot import QtBot

from app.core.clock import ManualClock
from app.core.models import Credentials
from app.ui.dialogs.credentials import CredentialDialog
from app.vendors.base import RecoversForgottenPassword
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.password_recovery import RecoveryPhase, as_password_recovery
from app.vendors.inxpect.plugin import PLUGIN
from app.vendors.inxpect.simulator import InxpectSimulator
from app.vendors.inxpect.simulator.factory import DEFAULT_PASSWORD
from tests.gui.conftest import run_async
from tests.gui.inxpect.conftest import ENDPOINT, PASSWORD

SHOTS = os.environ.get("COMMISSIONER_SHOTS")


class Sensor:
    """A commissioned sensor that has been running a minute, and a client that knows no password."""

    def __init__(self) -> None:
        self.clock = ManualClock()
        self.sim = InxpectSimulator(device_id=20001, seed=5, clock=self.clock, password=PASSWORD)
        self.clock.advance(60)
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.sim), base_url=ENDPOINT.base_url)
        self.client = InxpectClient(self.http, ENDPOINT, Credentials("", ""))

    def dialog(self, qtbot: QtBot) -> CredentialDialog:
        dialog = CredentialDialog("MSK-101-POE 20001", recover=as_password_recovery(self.client, self.clock))
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    async def tick(self, seconds: float) -> None:
        """Move the sensor's (and the watch's) time on in small steps, letting the watch try in between."""
        for _ in range(round(seconds / 0.25)):
            self.clock.advance(0.25)
            await asyncio.sleep(0.002)

    def run(self, qloop: qasync.QEventLoop, seconds: float) -> None:
        run_async(qloop, self.tick(seconds))


def test_the_plugin_offers_the_recovery_to_the_login_dialog() -> None:
    assert isinstance(PLUGIN, RecoversForgottenPassword)


def test_recovery_watches_the_power_cycle_then_asks_for_the_factory_password(
    qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    sensor = Sensor()
    dialog = sensor.dialog(qtbot)
    assert dialog.forgot.isVisible()
    recovery = dialog.start_recovery()
    assert recovery is not None
    sensor.run(qloop, 1)
    assert recovery.step.text() == RecoveryPhase.POWER_CYCLE.value
    left_before = recovery.countdown.value()
    sensor.sim.scenarios.enable("power_cycle")
    sensor.run(qloop, 2)
    assert recovery.step.text() == RecoveryPhase.SENSOR_OFF.value
    assert recovery.countdown.value() < left_before
    if SHOTS:
        recovery.resize(1366 // 2, 300)
        recovery.grab().save(str(Path(SHOTS) / "inxpect-recovery-watching.png"))
    sensor.run(qloop, 6)
    assert recovery.succeeded
    assert recovery.step.text() == RecoveryPhase.DONE.value
    assert sensor.sim.password_is_default
    recovery.reject()
    qtbot.waitUntil(lambda: "back to its factory password" in dialog.intro.text())
    factory = InxpectClient(sensor.http, ENDPOINT, Credentials("", DEFAULT_PASSWORD))
    run_async(qloop, factory.login())
    assert factory.needs_first_password()
    run_async(qloop, sensor.http.aclose())


def test_cancel_stops_the_watch_and_resets_nothing(qtbot: QtBot, qloop: qasync.QEventLoop) -> None:
    sensor = Sensor()
    dialog = sensor.dialog(qtbot)
    recovery = dialog.start_recovery()
    assert recovery is not None
    sensor.run(qloop, 2)
    recovery.reject()
    sent = len(sensor.sim.requests.for_path("/comboardReset"))
    sensor.sim.power_cycle()
    sensor.run(qloop, 8)
    assert len(sensor.sim.requests.for_path("/comboardReset")) == sent
    assert not sensor.sim.password_is_default
    assert not recovery.succeeded
    run_async(qloop, sensor.http.aclose())
