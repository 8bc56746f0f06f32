"""Every vendor panel, opened on a device whose model and name are markup, shows them literally; device
and cloud text fed to the panels' markup labels (firmware, busy refusals, alarms, sites) stays text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import qasync
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.backend.history import DeviceHistory
from app.core.clock import ManualClock
from app.core.models import DeviceIdentity, Endpoint
from app.ui.panel_context import PanelContext
from app.ui.panels.audiocodes.panel import AudioCodesPanel
from app.ui.panels.axis.panel import AxisPanel
from app.ui.panels.hikvision.panel import HikvisionPanel
from app.ui.panels.inxpect.panel import InxpectPanel
from app.ui.panels.two_n.panel import TwoNPanel
from app.ui.tasks import TaskRunner
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.simulator import HikPartnerSimulator
from tests.gui import test_audiocodes_panel, test_axis_panel, test_two_n_panel
from tests.gui.conftest import panel_services, run_async, show_panel, wait_until
from tests.gui.inxpect import conftest as inxpect
from tests.gui.plain_text_check import HOSTILE, markup_problems


def with_hostile_identity(context: PanelContext) -> PanelContext:
    """`context` for a device whose model and name are markup."""
    return replace(context, identity=replace(context.identity, model=HOSTILE, name=HOSTILE))


async def settled(tasks: TaskRunner) -> None:
    """Until the panel's loading operations have ended."""
    await wait_until(lambda: not tasks.running)


def shut(qloop: qasync.QEventLoop, panel: QWidget, harness: Any) -> None:
    """Close the panel, end its work, then close its client and history."""
    panel.close()
    harness.tasks.cancel_all()
    run_async(qloop, settled(harness.tasks))
    run_async(qloop, harness.http.aclose())
    harness.history.close()


def test_the_2n_panel(qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path) -> None:
    harness = test_two_n_panel.Harness(tmp_path)
    panel = show_panel(qtbot, TwoNPanel(with_hostile_identity(harness.context)), 1400, 900)
    run_async(qloop, wait_until(lambda: "…" not in panel.firmware_tab.version.text()))
    panel.firmware_tab.show_version(HOSTILE)
    assert markup_problems(panel) == []
    shut(qloop, panel, harness)


def test_the_audiocodes_panel(qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path) -> None:
    harness = test_audiocodes_panel.Harness(tmp_path)
    panel = show_panel(qtbot, AudioCodesPanel(with_hostile_identity(harness.context)), 1100, 720)
    run_async(qloop, settled(harness.tasks))
    panel.busy_bar.offer(HOSTILE, f"The device said: {HOSTILE}", lambda: None)
    assert markup_problems(panel) == []
    shut(qloop, panel, harness)


def test_the_axis_panel(qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path) -> None:
    harness = test_axis_panel.Harness(tmp_path)
    panel = show_panel(qtbot, AxisPanel(with_hostile_identity(harness.context)), 1200, 800)
    run_async(qloop, settled(harness.tasks))
    assert markup_problems(panel) == []
    shut(qloop, panel, harness)


def test_the_inxpect_panel(qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path) -> None:
    harness = inxpect.Harness(tmp_path)
    run_async(qloop, harness.client.login())
    panel = show_panel(qtbot, InxpectPanel(with_hostile_identity(harness.context)), 1200, 800)
    run_async(qloop, wait_until(lambda: "firmware …" not in panel.header.text()))
    assert markup_problems(panel) == []
    shut(qloop, panel, harness)


def test_the_hikvision_panel_with_a_cloud_site_named_in_markup(
    qtbot: QtBot, qloop: qasync.QEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(HikvisionPanel, "POLL_SECONDS", 0.02)
    clock = ManualClock()
    sim = HikPartnerSimulator(seed=3, clock=clock, calls_per_second=10_000)
    history = DeviceHistory(":memory:")
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=sim))
    client = HikPartnerClient(http, "https://127.0.0.1:8443", sim.app_key, sim.secret_key, clock=clock)
    identity = DeviceIdentity("hikvision", HOSTILE, serial="cloud@127.0.0.1:8443")
    services = panel_services(identity, Endpoint("127.0.0.1", 8443), client, history)
    panel = show_panel(qtbot, HikvisionPanel(services.context), 1200, 760)

    async def scenario() -> None:
        await wait_until(lambda: "region" in panel.account_label.text())
        panel.new_site.name.setText(HOSTILE)
        panel.new_site.city.setText(HOSTILE)
        panel.new_site.create_button.click()
        await wait_until(lambda: panel.site is not None and panel.site.name == HOSTILE)

    run_async(qloop, scenario())
    assert markup_problems(panel) == []
    panel.close()
    services.tasks.cancel_all()
    run_async(qloop, settled(services.tasks))
    run_async(qloop, http.aclose())
    history.close()


def test_a_2n_backup_named_after_a_hostile_model_stays_in_the_backups_folder(
    qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path, data_dir: Path
) -> None:
    harness = test_two_n_panel.Harness(tmp_path)
    identity = replace(harness.context.identity, model="../../../../tmp/evil", serial="..\\..\\CON")
    panel = show_panel(qtbot, TwoNPanel(replace(harness.context, identity=identity)), 1400, 900)
    target = panel.config_tab.default_backup_path()
    assert target.parent == data_dir / "backups"
    assert target.name.startswith("tmp_evil-CON-")
    shut(qloop, panel, harness)
