"""The Hik-Partner Pro panel and end-of-visit wizard against the simulated cloud (qasync, ManualClock)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QPushButton, QWidget

from app.backend import evidence
from app.backend.history import DeviceHistory
from app.core.clock import ManualClock
from app.core.models import DeviceIdentity, Endpoint
from app.ui.panel_context import PanelContext
from app.ui.panels.hikvision.panel import HikvisionPanel
from app.ui.panels.hikvision.wizard_pages import EndOfVisitWizard, SiteStepPage
from app.ui.tasks import TaskRunner
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.models import DeviceToAdd
from app.vendors.hikvision.simulator import HikPartnerSimulator
from app.vendors.hikvision.wizard import Step
from tests.gui.conftest import run_async, wait_until

SCREENS = Path(os.environ.get("HIKVISION_SCREENS", ""))
IDENTITY = DeviceIdentity(vendor="hikvision", model="Hik-Partner Pro cloud", serial="cloud@127.0.0.1:8443")


def snap(widget: QWidget, name: str) -> None:
    """Save a screenshot when HIKVISION_SCREENS names a folder (used to review the layout)."""
    if SCREENS.parts:
        widget.grab().save(str(SCREENS / f"hikvision_{name}.png"))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim(clock: ManualClock) -> HikPartnerSimulator:
    return HikPartnerSimulator(seed=3, clock=clock, calls_per_second=10_000)  # the UI polls in real time


@pytest.fixture
def notes() -> list[tuple[str, str]]:
    return []


@pytest.fixture
def context(
    notes: list[tuple[str, str]], sim: HikPartnerSimulator, clock: ManualClock, qloop: object
) -> Iterator[PanelContext]:
    history = DeviceHistory(":memory:")
    runner = TaskRunner(lambda level, text: notes.append((level, text)), history)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=sim))
    client = HikPartnerClient(http, "https://127.0.0.1:8443", sim.app_key, sim.secret_key, clock=clock)
    yield PanelContext(
        IDENTITY,
        Endpoint("127.0.0.1", 8443),
        client,
        runner,
        history,
        lambda level, text: notes.append((level, text)),
    )
    runner.cancel_all()
    run_async(qloop, http.aclose())  # type: ignore[arg-type]
    history.close()


@asynccontextmanager
async def running_clock(clock: ManualClock) -> AsyncIterator[None]:
    """Let simulated time pass (one simulated second per loop turn) while the UI works."""

    async def tick() -> None:
        while True:
            clock.advance(1.0)
            await asyncio.sleep(0.005)

    task = asyncio.ensure_future(tick())
    try:
        yield
    finally:
        task.cancel()


def test_panel_site_register_online_upgrade_health_handover(
    qtbot: object,
    qloop: object,
    context: PanelContext,
    sim: HikPartnerSimulator,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    notes: list[tuple[str, str]],
) -> None:
    monkeypatch.setattr(HikvisionPanel, "POLL_SECONDS", 0.02)
    panel = HikvisionPanel(context)
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    panel.resize(1200, 760)
    panel.show()
    devices = sim.info.extra["devices"]

    async def scenario() -> None:
        await wait_until(lambda: "region <b>Europe</b>" in panel.account_label.text())
        panel.new_site.name.setText("Mill Lane 4")
        panel.new_site.city.setText("Leeds")
        panel.new_site.create_button.click()
        await wait_until(lambda: panel.site is not None and panel.site.name == "Mill Lane 4")
        assert panel.tabs.isEnabled()

        panel.labels.setPlainText(
            f"{devices[0]['serial']} {devices[0]['validateCode']}\n"
            f"{devices[3]['serial']};{devices[3]['validateCode'].lower()}\n"
            f"{devices[1]['serial']}, WRONGX"
        )
        panel.tabs.setCurrentIndex(1)
        panel.register_button.click()
        await wait_until(lambda: panel.outcomes.count() == 3)
        lines = [panel.outcomes.item(i).text() for i in range(3)]
        assert lines[0].startswith(f"✓ {devices[0]['serial']} — added as")
        assert lines[2].startswith(f"✗ {devices[1]['serial']} — The verification code is wrong")
        snap(panel, "panel_register")

        async with running_clock(clock):
            await wait_until(
                lambda: (
                    [panel.table.item(r, 4).text() for r in range(panel.table.rowCount())]
                    == ["● online", "● online"]
                )
            )
            await wait_until(
                lambda: any(
                    "deviceonline" in panel.alarms.item(i).text() for i in range(panel.alarms.count())
                )
            )
            panel.tabs.setCurrentIndex(0)
            panel.table.selectRow(0)
            panel.upgrade_button.click()
            await wait_until(lambda: panel.table.item(0, 6).text() == "upgrade finished", timeout=20)
            await wait_until(lambda: panel.table.item(0, 5).text() == "V2.2.62 build 240410")
        snap(panel, "panel_devices")

        panel.tabs.setCurrentIndex(2)
        panel.health_button.click()
        await wait_until(lambda: panel.health.rowCount() == 2)
        assert panel.health.item(0, 3).text() == "online"
        snap(panel, "panel_health")

        panel.tabs.setCurrentIndex(4)
        panel.customer.setText("owner@customer.example")
        panel.handover_button.click()
        await wait_until(lambda: panel.customers.count() == 1)
        assert "waiting for the customer to accept" in panel.customers.item(0).text()
        snap(panel, "panel_handover")
        async with running_clock(clock):  # the customer accepts in the Hik-Connect app
            await wait_until(lambda: panel.customers.item(0).text().endswith("accepted"))
            await wait_until(lambda: "handed over" in panel.picker.list.item(0).text())
            serial = devices[0]["serial"]
            await wait_until(lambda: _newest_state(context, serial).get("handover") == "accepted")
        panel.tabs.setCurrentIndex(3)
        snap(panel, "panel_alarms")

    run_async(qloop, scenario(), timeout=40)  # type: ignore[arg-type]
    watch = panel._watch
    panel.close()
    run_async(qloop, wait_until(lambda: watch is not None and watch.done()))  # type: ignore[arg-type]
    assert watch is not None
    assert watch.cancelled()
    assert [n for n in notes if n[0] == "error"] == []
    history = context.history.entries(f"hikvision:{devices[0]['serial']}")
    assert [(e.action, e.result) for e in history if e.action != evidence.CLOUD_DEVICE_STATE][:2] == [
        ("Cloud firmware upgrade", "done"),
        ("Register to site Mill Lane 4", "done"),
    ]
    state = _newest_state(context, devices[0]["serial"])  # what the report says of the device
    assert state["site"] == "Mill Lane 4"
    assert state["model"]
    assert state["firmware"]


def _newest_state(context: PanelContext, serial: str) -> dict[str, object]:
    entries = context.history.entries(f"hikvision:{serial}")
    return next((dict(e.detail) for e in entries if e.action == evidence.CLOUD_DEVICE_STATE), {})


def test_wizard_walks_the_end_of_visit(
    qtbot: object,
    qloop: object,
    context: PanelContext,
    sim: HikPartnerSimulator,
    clock: ManualClock,
) -> None:
    wizard = EndOfVisitWizard(context)
    qtbot.addWidget(wizard)  # type: ignore[attr-defined]
    wizard.controller._poll_interval = 1.0
    wizard.show()
    site_page, register_page, online_page, upgrade_page, health_page, handover_page = wizard.pages
    devices = sim.info.extra["devices"]

    async def scenario() -> None:
        site_page.form.name.setText("Harbour Road 9")
        snap(wizard, "wizard_site")
        site_page.form.create_button.click()
        await wait_until(lambda: wizard.currentPage() is register_page)
        register_page.labels.setPlainText(
            "\n".join(f"{d['serial']}\t{d['validateCode']}" for d in devices[:2])
        )
        snap(wizard, "wizard_register")
        register_page.register_button.click()
        async with running_clock(clock):
            await wait_until(lambda: wizard.currentPage() is online_page)
            await wait_until(online_page.isComplete, timeout=20)
            snap(wizard, "wizard_online")
            wizard.next()
            await wait_until(upgrade_page.go_button.isVisible)
            assert devices[0]["serial"] in upgrade_page.summary.text()
            upgrade_page.go_button.click()
            await wait_until(upgrade_page.isComplete, timeout=30)
        assert "upgrade finished" in upgrade_page.results.item(0).text()
        snap(wizard, "wizard_upgrade")
        wizard.next()
        await wait_until(health_page.isComplete)
        assert health_page.summary.text() == "All 2 device(s) online."
        snap(wizard, "wizard_health")
        wizard.next()
        await wait_until(lambda: handover_page.chooser.topLevelItemCount() == 2)
        second = handover_page.chooser.device_item(devices[1]["serial"])
        assert second is not None
        second.setCheckState(0, Qt.CheckState.Unchecked)  # the technician keeps this one back
        handover_page.account.setText("owner@customer.example")
        handover_page.button.click()
        await wait_until(handover_page.isComplete)
        snap(wizard, "wizard_handover")
        assert wizard.controller.step is Step.DONE
        shared = next(r for r in sim.requests if r.path.endswith("v2/site/handover/share")).json()
        assert [i["deviceSerial"] for i in shared["userSharePermission"]] == [devices[0]["serial"]]

    run_async(qloop, scenario(), timeout=40)  # type: ignore[arg-type]
    wizard.close()
    actions = [e.action for e in context.history.entries(IDENTITY.key)]
    assert actions[0] == "Hand over Harbour Road 9"
    assert "Health report of Harbour Road 9" in actions


def test_relay_details_rename_and_remove_a_device(
    qtbot: object,
    qloop: object,
    context: PanelContext,
    sim: HikPartnerSimulator,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(HikvisionPanel, "POLL_SECONDS", 0.02)
    first = sim.info.extra["devices"][0]
    client = context.client

    async def prepare() -> None:
        site = await client.add_site("Corner shop", 48)
        await client.add_devices(site.id, [DeviceToAdd(first["serial"], first["validateCode"])])

    run_async(qloop, prepare())  # type: ignore[arg-type]
    panel = HikvisionPanel(context)
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    panel.show()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Front door", True))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)

    async def scenario() -> None:
        await wait_until(lambda: panel.picker.list.count() == 1)
        panel.picker.list.setCurrentRow(0)
        await wait_until(lambda: panel.table.rowCount() == 1)
        panel.table.selectRow(0)
        clock.advance(6)  # the door station reports in
        await wait_until(lambda: panel.table.item(0, 4).text() == "● online")
        panel.devices_tab.relay_button.click()
        details = panel.devices_tab.details
        await wait_until(lambda: "switched on (active), then off (inactive)" in details.text())
        panel.devices_tab.details_button.click()
        await wait_until(lambda: "DS-KD8003-IME1" in details.text())
        snap(panel, "panel_isapi")
        panel.rename_button.click()
        await wait_until(lambda: panel.table.item(0, 0).text() == "Front door")
        panel.table.selectRow(0)
        panel.remove_button.click()
        await wait_until(lambda: panel.table.rowCount() == 0)
        panel.wizard_button.click()  # the wizard starts on the site the panel shows
        wizard = panel._wizard
        assert isinstance(wizard, EndOfVisitWizard)
        site_page = wizard.pages[0]
        assert isinstance(site_page, SiteStepPage)
        await wait_until(lambda: site_page.picker.current is not None)
        assert site_page.picker.current is not None
        assert site_page.picker.current.name == "Corner shop"

    run_async(qloop, scenario())  # type: ignore[arg-type]
    panel.close()
    [rename] = [s for s in sim.requests if s.path.endswith("device/update")]
    assert rename.json()["deviceName"] == "Front door"
    deletes = [s.json() for s in sim.requests if s.path.endswith("device/delete")]
    assert deletes == [{"id": rename.json()["deviceId"]}]
    entries = context.history.entries(f"hikvision:{first['serial']}")
    actions = [e.action for e in entries if e.action != evidence.CLOUD_DEVICE_STATE]
    assert actions == ["Removed from account", "Renamed", "Door relay test"]
    names = [e.detail["name"] for e in entries if e.action == evidence.CLOUD_DEVICE_STATE]
    assert names[0] == "Front door"  # the rename shows in the device's state the report reads


def test_panel_hands_over_chosen_permissions_and_asks_a_first_generation_panel_for_its_login(
    qtbot: object,
    qloop: object,
    context: PanelContext,
    sim: HikPartnerSimulator,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(HikvisionPanel, "POLL_SECONDS", 0.02)
    client: HikPartnerClient = context.client  # type: ignore[assignment]
    devices = sim.info.extra["devices"]
    door, camera, panel_1st, switch = (devices[i]["serial"] for i in (0, 2, 6, 7))

    async def prepare() -> None:
        site = await client.add_site("Quay Street 9", 48)
        wanted = [
            DeviceToAdd(d["serial"], d["validateCode"])
            for d in (devices[0], devices[2], devices[6], devices[7])
        ]
        await client.add_devices(site.id, wanted)

    run_async(qloop, prepare())  # type: ignore[arg-type]
    panel = HikvisionPanel(context)
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    panel.show()

    async def scenario() -> None:
        await wait_until(lambda: panel.picker.list.count() == 1)
        panel.choose_site(panel.picker.list.item(0).data(Qt.ItemDataRole.UserRole))
        chooser = panel.handover_chooser
        await wait_until(lambda: chooser.topLevelItemCount() == 4)
        switch_row = chooser.device_item(switch)
        assert switch_row is not None
        assert switch_row.isDisabled()
        assert "nothing can be shared" in switch_row.text(0)
        assert chooser.permission_item(camera, 4) is None  # a camera has no door to open
        playback = chooser.permission_item(camera, 1)
        assert playback is not None
        playback.setCheckState(0, Qt.CheckState.Unchecked)
        door_row = chooser.device_item(door)
        assert door_row is not None
        door_row.setCheckState(0, Qt.CheckState.Unchecked)
        panel.customer.setText("owner@customer.example")
        panel.handover_button.click()
        await wait_until(lambda: panel.customers.count() == 1)
        body = next(r for r in sim.requests if r.path.endswith("v2/site/handover/share")).json()
        shared = {i["deviceSerial"]: i for i in body["userSharePermission"]}
        assert set(shared) == {camera, panel_1st}
        assert [p["permission"] for p in shared[camera]["otherPermissionDetails"]] == [0, 2, 3, 5]

        assert panel.devices_tab.panel_login.isVisibleTo(panel.devices_tab)
        panel.tabs.setCurrentIndex(0)
        await wait_until(lambda: panel.table.rowCount() == 4)
        panel.table.selectRow(next(r for r in range(4) if panel.table.item(r, 1).text() == panel_1st))
        panel.upgrade_button.click()
        assert "username and password" in panel.status.text()
        assert not [r for r in sim.requests if r.path.endswith("device/upgrade")]
        username, password = sim.info.extra["panelLogin"].split("/")
        panel.devices_tab.panel_username.setText(username)
        panel.devices_tab.panel_password.setText(password)
        panel.upgrade_button.click()
        await wait_until(lambda: any(r.path.endswith("device/upgrade") for r in sim.requests))
        upgrade = next(r for r in sim.requests if r.path.endswith("device/upgrade")).json()
        assert upgrade == {"deviceSerial": panel_1st, "username": username, "password": password}

    run_async(qloop, scenario(), timeout=30)  # type: ignore[arg-type]
    panel.close()


def test_panel_edits_a_site_cancels_its_hand_over_and_deletes_it(
    qtbot: object,
    qloop: object,
    context: PanelContext,
    sim: HikPartnerSimulator,
    monkeypatch: pytest.MonkeyPatch,
    notes: list[tuple[str, str]],
) -> None:
    monkeypatch.setattr(HikvisionPanel, "POLL_SECONDS", 0.02)
    client: HikPartnerClient = context.client  # type: ignore[assignment]
    first = sim.info.extra["devices"][0]

    async def prepare() -> None:
        site = await client.add_site("Old Name", 48)
        await client.add_devices(site.id, [DeviceToAdd(first["serial"], first["validateCode"])])
        await client.hand_over(site.id, "owner@customer.example", await client.site_devices(site.id))

    run_async(qloop, prepare())  # type: ignore[arg-type]
    asked: list[str] = []

    def yes(_parent: object, _title: str, text: str, *_: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    panel = HikvisionPanel(context)
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    panel.show()

    async def scenario() -> None:
        await wait_until(lambda: panel.picker.list.count() == 1)
        panel.choose_site(panel.picker.list.item(0).data(Qt.ItemDataRole.UserRole))
        panel.site_actions.edit_button.click()
        dialog = panel.site_actions.dialog
        assert dialog is not None
        dialog.name.setText("Quay Street 9")
        dialog.city.setText("Bristol")
        dialog.accept()
        await wait_until(
            lambda: panel.picker.list.count() == 1 and "Quay Street 9" in panel.picker.list.item(0).text()
        )
        site = await client.find_site("Quay Street 9")
        assert site is not None
        assert site.city == "Bristol"

        panel.tabs.setCurrentIndex(4)
        cancel = next(b for b in panel.findChildren(QPushButton) if b.text() == "Cancel the hand-over…")
        cancel.click()
        await wait_until(lambda: any(r.path.endswith("site/customer/cancle") for r in sim.requests))
        assert await client.customers(site.id) == ()
        assert "lose access" in asked[0]

        panel.site_actions.delete_button.click()
        assert "Every device of the site is removed" in asked[1]
        await wait_until(lambda: panel.picker.list.count() == 0)
        assert panel.site is None
        assert await client.find_site("Quay Street 9") is None
        await asyncio.sleep(0.1)  # the deleted site's device watch was stopped, not left failing

    run_async(qloop, scenario(), timeout=30)  # type: ignore[arg-type]
    panel.close()
    assert [n for n in notes if n[0] == "error"] == []
