"""The Inxpect panel's harness: a simulated sensor on a ManualClock, a logged-in client, the context."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import qasync
from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.core.clock import ManualClock
from app.core.models import Credentials, DeviceIdentity, Endpoint
from app.ui.panels.inxpect import firmware_tab
from app.ui.panels.inxpect.panel import InxpectPanel
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.simulator import InxpectSimulator
from app.vendors.inxpect.simulator.factory import DEFAULT_PASSWORD
from tests.gui.conftest import panel_services, run_async, show_panel

ENDPOINT = Endpoint("127.0.0.1", 443)
PASSWORD = "site-secret-42"


class Harness:
    """A simulated sensor, a logged-in client and the panel's context."""

    def __init__(self, tmp_path: Path, password: str | None = PASSWORD) -> None:
        self.clock = ManualClock()
        self.sim = InxpectSimulator(device_id=20001, seed=5, clock=self.clock, password=password)
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.sim), base_url=ENDPOINT.base_url)
        self.client = InxpectClient(self.http, ENDPOINT, Credentials("", password or DEFAULT_PASSWORD))
        self.history = DeviceHistory(tmp_path / "history.sqlite")
        identity = DeviceIdentity("inxpect", "MSK-101-POE", serial="20001", name="msk101poe-20001")
        services = panel_services(identity, ENDPOINT, self.client, self.history, runner_records_history=True)
        self.context, self.tasks, self.notes = services.context, services.tasks, services.notes

    async def tick(self, seconds: float, step: float = 0.02) -> None:
        """Move the sensor's time on in small steps, letting the panel poll in between."""
        for _ in range(round(seconds / step)):
            self.clock.advance(step)
            await asyncio.sleep(0.002)


@pytest.fixture
def harness(tmp_path: Path, qloop: qasync.QEventLoop) -> Iterator[Harness]:
    """A logged-in harness; its tasks cancelled and its client closed afterwards."""
    made = Harness(tmp_path)
    run_async(qloop, made.client.login())
    yield made
    made.tasks.cancel_all()
    run_async(qloop, made.http.aclose())
    made.history.close()


@pytest.fixture(autouse=True)
def firmware_questions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Flashing asks first: tests answer Yes and keep each question (a test wanting No patches again)."""
    asked: list[str] = []
    monkeypatch.setattr(firmware_tab, "confirm", lambda parent, title, text: asked.append(text) or True)
    return asked


def open_panel(qtbot: QtBot, harness: Harness) -> InxpectPanel:
    """The panel on the harness's sensor, shown at 1200 x 800."""
    return show_panel(qtbot, InxpectPanel(harness.context), 1200, 800)
