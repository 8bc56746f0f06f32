"""Simulated displays per model, the display workflow, configuration restore, the wizard and the plugin."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from app.backend.history import DeviceHistory
from app.core.clock import ManualClock
from app.core.errors import InvalidParameterError
from app.core.models import Credentials, DiscoveryRecord, Endpoint
from app.core.progress import Progress, ProgressReporter
from app.vendors.simulation import RequestLog
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.errors import TwoNInvalidParameterError
from app.vendors.two_n.image import ConversionOptions, FitMode, convert_image, target_for
from app.vendors.two_n.models import SwitchAction
from app.vendors.two_n.plugin import PLUGIN
from app.vendors.two_n.simulator import TwoNSimulator
from app.vendors.two_n.transfers import (
    CONFIG_BACKUP_STAGES,
    CONFIG_RESTORE_STAGES,
    DISPLAY_UPLOAD_STAGES,
    backup_config,
    restore_config,
    upload_display_image,
)
from app.vendors.two_n.wizard import CommissioningController, WizardStep
from tests.unit.two_n.conftest import advance, drive, multipart_parts


def picture(size: tuple[int, int], fmt: str = "JPEG", **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 140, 60)).save(out, fmt, **save)
    return out.getvalue()


@pytest.mark.parametrize(("index", "variant", "size"), [
    (0, "2N IP Verso", (320, 214)), (1, "2N IP Vario", (320, 240)), (2, "2N IP Style", (1280, 800)),
])
async def test_models_have_their_displays(index: int, variant: str, size: tuple[int, int]) -> None:
    sim = PLUGIN.create_simulator(serial_index=index, seed=3, clock=ManualClock())
    assert sim.info.model == variant
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim), base_url="https://d") as http:
        client = TwoNClient(http, Endpoint("d", 443), Credentials(sim.info.username, sim.info.password))
        display, *others = await client.display_caps()
        assert [(d.width, d.height) for d in (display, *others)] == [size] * (1 + len(others))
        target = target_for(variant, (display,))
        image = convert_image(picture((2000, 1500)), target)
        await client.upload_display_image(display.display, image.data, image.content_type)
        shown = await http.get("/sim/display.png")
    with Image.open(io.BytesIO(shown.content)) as screen:
        assert screen.size == size
        centre = screen.convert("RGB").getpixel((size[0] // 2, size[1] // 2))
    assert centre == pytest.approx((30, 140, 60), abs=6)


async def test_display_rejects_progressive_and_wrong_size(client: TwoNClient) -> None:
    with pytest.raises(TwoNInvalidParameterError) as caught:
        await client.upload_display_image("ext1", picture((320, 214), progressive=True), "image/jpeg")
    assert caught.value.param == "blob-image"
    with pytest.raises(TwoNInvalidParameterError):
        await client.upload_display_image("ext1", picture((214, 240)), "image/jpeg")
    with pytest.raises(TwoNInvalidParameterError) as wrong_display:
        await client.upload_display_image("internal", picture((320, 214)), "image/jpeg")
    assert wrong_display.value.param == "display"


async def test_overlay_stays_notification_ends(client: TwoNClient, http: httpx.AsyncClient,
                                               clock: ManualClock) -> None:
    await client.upload_display_image("ext1", picture((320, 214)), "image/jpeg")
    await advance(clock, 3600)
    state = (await http.get("/sim/display.json")).json()
    assert state["showing"]["mode"] == "overlay"
    await client.upload_display_image("ext1", picture((320, 214)), "image/jpeg", duration_ms=5000)
    assert (await http.get("/sim/display.json")).json()["showing"]["mode"] == "notification"
    await advance(clock, 5)
    assert (await http.get("/sim/display.json")).json()["showing"] is None


async def test_vario_shows_notifications_only(clock: ManualClock) -> None:
    sim = TwoNSimulator(serial_index=1, seed=1, clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim), base_url="https://d") as http:
        client = TwoNClient(http, Endpoint("d", 443), Credentials(sim.info.username, sim.info.password))
        await client.upload_display_image("internal", picture((320, 240)), "image/jpeg")
        assert (await http.get("/sim/display.json")).json()["showing"]["mode"] == "notification"


async def test_display_workflow_reports_byte_progress(client: TwoNClient, received: RequestLog) -> None:
    image = convert_image(picture((1000, 800)), target_for("2N IP Verso", await client.display_caps()),
                          ConversionOptions(FitMode.FILL))
    seen: list[Progress] = []
    await upload_display_image(client, "ext1", image, ProgressReporter(DISPLAY_UPLOAD_STAGES, seen.append),
                               duration_ms=None)
    assert "duration" not in received[-1].params()
    assert multipart_parts(received[-1])["blob-image"][2] == image.data
    assert seen[-1].done == seen[-1].total == len(image.data)


async def test_backup_and_restore_round_trip(client: TwoNClient, sim: TwoNSimulator, clock: ManualClock,
                                             tmp_path: Path) -> None:
    target = tmp_path / "backups" / "gate.xml"
    await backup_config(client, target, ProgressReporter(CONFIG_BACKUP_STAGES))
    assert target.read_bytes().startswith(b"<?xml")
    sim.state.settings["Device/DeviceName"] = "Changed on site"
    await restore_config(client, target, ProgressReporter(CONFIG_RESTORE_STAGES))
    await advance(clock, 15)
    assert sim.state.device_name == "2N IP Verso"


async def test_restore_refuses_another_models_backup(client: TwoNClient, tmp_path: Path) -> None:
    other = tmp_path / "style.xml"
    other.write_bytes(b'<?xml version="1.0"?>\n<!--\n  Product name: 2N IP Style\n-->\n'
                      b'<DeviceDatabase Version="4"><Device><DeviceName>x</DeviceName></Device>'
                      b"</DeviceDatabase>")
    with pytest.raises(InvalidParameterError, match="from a 2N IP Style"):
        await restore_config(client, other, ProgressReporter(CONFIG_RESTORE_STAGES))
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<DeviceDatabase><unclosed></DeviceDatabase>")
    with pytest.raises(InvalidParameterError, match="damaged"):
        await restore_config(client, broken, ProgressReporter(CONFIG_RESTORE_STAGES))


async def test_wizard_records_every_step(client: TwoNClient, clock: ManualClock, tmp_path: Path) -> None:
    history = DeviceHistory(tmp_path / "history.sqlite")
    controller = CommissioningController(client, history, "two_n:54-0000-0000", clock)
    old = await controller.validate_firmware(minimum_version="2.40.0.0.0")
    assert not old.passed
    assert controller.step is WizardStep.FIRMWARE
    assert (await controller.validate_firmware(minimum_version="2.30.0.0.0")).passed
    image = convert_image(picture((640, 480)), target_for("2N IP Verso", await client.display_caps()))
    shown = await controller.validate_display("ext1", image, ProgressReporter(DISPLAY_UPLOAD_STAGES),
                                              duration_ms=None)
    assert shown.passed
    door = await drive(clock, controller.test_door(1))
    assert door.detail["activated"] is True
    assert door.detail["released"] is True
    assert controller.validate_door(door, door_opened=True).passed
    backup = await controller.validate_backup(tmp_path / "b.xml", ProgressReporter(CONFIG_BACKUP_STAGES))
    assert backup.passed
    entries = history.entries("two_n:54-0000-0000")
    actions = [(e.action, e.result) for e in entries]
    for expected in [("wizard.firmware", "failed"), ("wizard.firmware", "passed"),
                     ("wizard.display", "passed"), ("wizard.door", "passed"), ("wizard.backup", "passed")]:
        assert expected in actions
    history.close()


async def test_wizard_door_step_fails_when_the_door_did_not_open(client: TwoNClient, clock: ManualClock,
                                                                 tmp_path: Path) -> None:
    history = DeviceHistory(tmp_path / "history.sqlite")
    controller = CommissioningController(client, history, "two_n:x", clock)
    door = await drive(clock, controller.test_door(1))
    result = controller.validate_door(door, door_opened=False)
    assert not result.passed
    assert "lock wiring" in result.summary
    disabled = await controller.test_door(3)
    assert not disabled.passed
    history.close()


async def test_plugin_matches_and_identifies(http: httpx.AsyncClient, endpoint: Endpoint) -> None:
    txt = {"vendor": "2N", "model": "2N IP Verso", "serial": "54-0000-0000"}
    record = DiscoveryRecord("_https._tcp.local.", "2N IP Verso 54-0000-0000", "2n.local.", ("127.0.0.1",),
                             443, txt)
    candidate = PLUGIN.match(record)
    assert candidate is not None
    assert candidate.endpoint == Endpoint("127.0.0.1", 443, "https")
    assert candidate.identity.serial == "54-0000-0000"
    other = DiscoveryRecord("_https._tcp.local.", "Printer", "p.local.", ("127.0.0.1",), 443)
    assert PLUGIN.match(other) is None
    identity = await PLUGIN.identify(http, endpoint)
    assert identity is not None
    assert (identity.vendor, identity.model, identity.serial) == ("two_n", "2N IP Verso", "54-0000-0000")

    async with httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(404))) as other_http:
        assert await PLUGIN.identify(other_http, endpoint) is None


async def test_first_upload_is_slow_then_cached(clock: ManualClock) -> None:
    sim = TwoNSimulator(serial_index=0, seed=1, clock=clock)
    sim.scenarios.enable("slow_display_bus")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim), base_url="https://d") as http:
        client = TwoNClient(http, Endpoint("d", 443), Credentials(sim.info.username, sim.info.password))
        await client.login()
        await drive(clock, client.upload_display_image("ext1", picture((320, 214)), "image/jpeg"))
        assert clock.monotonic() >= 2.0
        await client.upload_display_image("ext1", picture((320, 214)), "image/jpeg")  # cached: immediate
    with pytest.raises(ValueError, match="unknown"):
        sim.scenarios.enable("explode")


async def test_door_test_fails_when_the_switch_never_releases(
    client: TwoNClient, clock: ManualClock, tmp_path: Path
) -> None:
    history = DeviceHistory(tmp_path / "history.sqlite")
    controller = CommissioningController(client, history, "two_n:x", clock)
    control = client.switch_control

    async def trigger_then_something_holds_it(switch: int, action: SwitchAction, **kw: Any) -> None:
        await control(switch, action, **kw)
        await control(switch, SwitchAction.HOLD)

    client.switch_control = trigger_then_something_holds_it  # type: ignore[method-assign]
    door = await drive(clock, controller.test_door(1))
    assert (door.detail["activated"], door.detail["released"]) == (True, False)
    assert not door.passed
    assert door.summary == (
        "Switch 1 activated but did not release: check its mode and whether something holds it on."
    )
    assert not controller.validate_door(door, door_opened=True).passed
    history.close()


async def test_door_test_refuses_a_switch_already_active(
    client: TwoNClient, clock: ManualClock, tmp_path: Path
) -> None:
    history = DeviceHistory(tmp_path / "history.sqlite")
    controller = CommissioningController(client, history, "two_n:x", clock)
    await client.switch_control(1, SwitchAction.HOLD)
    door = await drive(clock, controller.test_door(1))
    assert not door.passed
    assert "already active" in door.summary
    history.close()


async def test_door_test_uses_the_switch_the_technician_chose(
    client: TwoNClient, sim: TwoNSimulator, clock: ManualClock, tmp_path: Path
) -> None:
    history = DeviceHistory(tmp_path / "history.sqlite")
    controller = CommissioningController(client, history, "two_n:x", clock)
    choices = [c.switch for c in await controller.door_switches()]
    assert choices == [c.switch for c in await client.switch_caps() if c.enabled]
    door = await drive(clock, controller.test_door(choices[-1]))
    assert door.passed
    triggered = [r.params() for r in sim.requests.for_path("/api/switch/ctrl")]
    assert {"switch": str(choices[-1]), "action": "trigger"} in triggered
    history.close()
