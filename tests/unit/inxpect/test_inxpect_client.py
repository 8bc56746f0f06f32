"""InxpectClient against the simulator: each endpoint's request and decoded answer."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.models import Credentials
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.errors import (
    InxpectDefaultPasswordError,
    InxpectLoginError,
    InxpectRejectedValueError,
)
from app.vendors.inxpect.live import AlarmType, CalibrationQuality
from app.vendors.inxpect.models import NetFlag, sensitivity_raw
from app.vendors.inxpect.simulator import InxpectSimulator
from app.vendors.inxpect.simulator.factory import DEFAULT_PASSWORD
from tests.unit.inxpect.conftest import ENDPOINT, NEW_PASSWORD, last_request


async def test_login_sends_password_and_uses_bearer_token(
    client: InxpectClient, sim: InxpectSimulator
) -> None:
    method, _, body = last_request(sim, "/login")
    assert method == "PUT"
    assert json.loads(body) == {"password": NEW_PASSWORD}
    info = await client.read_info()
    _, headers, _ = last_request(sim, "/sensorInfo")
    assert headers["authorization"].removeprefix("Bearer ") in sim.tokens
    assert (info.sensor.family, info.sensor.model, info.sensor.fw_version) == (5, 1, 1100)
    assert info.comboard.device_id == 20001
    assert (info.sensor.min_distance, info.sensor.max_distance) == (500, 20000)
    assert not client.password_is_default


async def test_wrong_password_raises_login_error(http: httpx.AsyncClient) -> None:
    client = InxpectClient(http, ENDPOINT, Credentials("", "wrong-password"))
    with pytest.raises(InxpectLoginError) as caught:
        await client.login()
    assert caught.value.code == 1


async def test_403_logs_in_again_and_repeats_once(client: InxpectClient, sim: InxpectSimulator) -> None:
    sim.scenarios.enable("token_expiry")
    position = await client.read_position()
    assert [r.path for r in sim.requests][-3:] == ["/sensorPositionStatus", "/login", "/sensorPositionStatus"]
    assert position.rotation == 0
    assert -16 <= position.elevation <= -14


async def test_token_lifetime_expiry_is_recovered(
    client: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    clock.advance(1000)
    name = await client.read_name()
    assert name == "msk101poe-20001"
    assert [r.path for r in sim.requests][-3:] == ["/comBoardName", "/login", "/comBoardName"]


async def test_default_password_login_succeeds_then_forces_change(clock: ManualClock) -> None:
    sim = InxpectSimulator(device_id=20002, seed=1, clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim), base_url=ENDPOINT.base_url) as http:
        client = InxpectClient(http, ENDPOINT, Credentials("", DEFAULT_PASSWORD))
        await client.login()
        assert client.password_is_default
        sent_before = len(sim.requests)
        with pytest.raises(InxpectDefaultPasswordError):
            await client.read_configuration()
        assert len(sim.requests) == sent_before  # refused locally, nothing sent
        await client.change_password(NEW_PASSWORD)
        method, _, body = last_request(sim, "/changePassword")
        assert method == "PUT"
        assert json.loads(body) == {"oldPassword": DEFAULT_PASSWORD, "newPassword": NEW_PASSWORD}
        assert not client.password_is_default
        assert sim.password == NEW_PASSWORD
        assert (await client.read_configuration()).alarm_distance == 8000


async def test_device_refuses_everything_while_password_is_default(clock: ManualClock) -> None:
    sim = InxpectSimulator(device_id=20003, seed=1, clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim), base_url=ENDPOINT.base_url) as http:
        login = await http.put("/login", json={"password": DEFAULT_PASSWORD})
        assert login.json()["errorCode"] == 100
        token = login.json()["token"]
        answer = await http.get("/sensorInfo", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 403


async def test_configuration_put_sends_only_changed_fields(
    client: InxpectClient, sim: InxpectSimulator
) -> None:
    current = await client.read_configuration()
    assert current.sensitivity_percent == 75
    edited = current.with_changes(alarm_distance=6000, alarm_sensitivity=sensitivity_raw(60))
    stored = await client.save_configuration(current, edited)
    method, _, _body = last_request(sim, "/sensorConfiguration")
    puts = [r for r in sim.requests if r.path == "/sensorConfiguration" and r.method == "PUT"]
    assert json.loads(puts[-1].body) == {
        "configuration": {"alarmDistance": 6000, "alarmSensitivity": 60 | 0x80}
    }
    assert method == "GET"  # read back after saving
    assert stored.alarm_distance == 6000
    assert stored.sensitivity_percent == 60
    assert stored.configurations_count == current.configurations_count + 1


async def test_configuration_refusal_carries_vendor_code(client: InxpectClient) -> None:
    current = await client.read_configuration()
    with pytest.raises(InxpectRejectedValueError) as caught:
        await client.save_configuration(current, current.with_changes(pre_alarm_distance=1000))
    assert caught.value.code == 1
    with pytest.raises(ValueError, match="read-only"):
        await client.write_configuration({"version": 4})


async def test_installations_and_mounting_fit(client: InxpectClient) -> None:
    installations = await client.read_installations()
    first = installations[0]
    assert (first.min_distance_cm, first.max_distance_cm, first.min_height_cm) == (250, 1600, 175)
    assert first.fits(2000, -15, 0)
    assert not first.fits(2000, -15, 90)
    assert not first.fits(2000, -40, 0)


async def test_detections_count_frames_and_report_targets(client: InxpectClient, clock: ManualClock) -> None:
    clock.advance(2.0)
    first = await client.read_detections()
    clock.advance(0.05)
    second = await client.read_detections()
    assert first.fps >= 100
    assert first.acq_idx == 200
    assert second.acq_idx == 205
    person = next(t for t in second.targets if t.id == 1)
    assert 2400 <= person.distance <= 11600
    assert 1500 <= person.rcs <= 2300


async def test_no_target_returns_latest_with_growing_elapsed_time(
    client: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    clock.advance(1.0)
    seen = await client.read_detections()
    sim.use_scene("empty")
    clock.advance(3.0)
    later = await client.read_detections()
    assert later.acq_idx == seen.acq_idx
    assert later.targets == seen.targets
    assert later.elapsed_time == 3000


async def test_alarms_in_words(client: InxpectClient, sim: InxpectSimulator, clock: ManualClock) -> None:
    sim.scenarios.enable("head_fault")
    sim.move_sensor(-40, 0)
    clock.advance(0.5)
    status = await client.read_alarms()
    kinds = {(a.type, a.cause) for a in status.alarms}
    assert (AlarmType.FAULT, 103) in kinds
    assert (AlarmType.TAMPER, 2) in kinds
    words = [a.description for a in status.alarms]
    assert "Fault: radar head hardware fault" in words
    assert "Tamper: the sensor has been moved" in words


async def test_event_log(client: InxpectClient, sim: InxpectSimulator, clock: ManualClock) -> None:
    clock.advance(20)
    events = await client.read_event_log()
    _, headers, _ = last_request(sim, "/eventLog")
    assert "authorization" in headers
    presence = [e for e in events if e.type is AlarmType.TARGET]
    assert presence
    assert presence[0].min_distance is not None
    assert presence[0].max_distance is not None
    assert presence[0].min_distance <= presence[0].max_distance


async def test_calibration_good_then_saved(
    client: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    sim.use_scene("calibration")
    await client.start_calibration()
    assert json.loads(last_request(sim, "/calibrationStatus")[2]) == {"operation": 1}
    clock.advance(15)
    result = await client.stop_calibration()
    assert json.loads(last_request(sim, "/calibrationStatus")[2]) == {"operation": 0}
    assert result.quality is CalibrationQuality.GOOD
    data = await client.read_calibration_data()
    assert 900 <= data.value <= 1100
    await client.save_calibration()
    assert (await client.read_configuration()).calibration_coefficient == data.value


async def test_calibration_poor_when_others_move(
    client: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    sim.use_scene("crowd")
    await client.start_calibration()
    clock.advance(15)
    result = await client.stop_calibration()
    assert result.code == 223
    assert result.can_save
    assert "usable but poor" in result.explanation


async def test_calibration_fails_with_nothing_walked(
    client: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    sim.use_scene("empty")
    await client.start_calibration()
    clock.advance(15)
    result = await client.stop_calibration()
    assert result.quality is CalibrationQuality.FAILED
    assert not result.can_save


async def test_calibration_data_lost_at_reboot(
    client: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    sim.use_scene("calibration")
    await client.start_calibration()
    clock.advance(15)
    await client.stop_calibration()
    assert (await client.read_calibration_data()).value > 0
    sim.scenarios.enable("reboot")
    assert (await client.read_calibration_data()).value == 0


async def test_net_settings_put_never_sends_current_fields(
    client: InxpectClient, sim: InxpectSimulator
) -> None:
    settings = await client.read_net_settings()
    assert settings.net_configuration == NetFlag.DHCP | NetFlag.NAME_RESOLUTION | NetFlag.AUTO_IP
    assert settings.cur_host_address == "127.0.0.1"
    from dataclasses import replace

    static = replace(settings, net_configuration=NetFlag.NAME_RESOLUTION, static_address="192.168.10.20")
    await client.write_net_settings(static)
    sent = json.loads(last_request(sim, "/netSettings")[2])
    assert sent == {
        "netConfiguration": 2,
        "staticAddress": "192.168.10.20",
        "subnet": "255.255.255.0",
        "gateway": "192.168.0.1",
    }
    assert (await client.read_net_settings()).net_configuration == NetFlag.NAME_RESOLUTION


async def test_new_network_settings_restart_the_network_and_move_the_sensor(
    client: InxpectClient, sim: InxpectSimulator
) -> None:
    from dataclasses import replace

    moved = asyncio.Event()
    sim.on_address_changed = moved.set
    settings = await client.read_net_settings()
    await client.write_net_settings(settings)  # the same settings again: nothing restarts
    await client.write_net_settings(replace(settings, net_configuration=NetFlag.DHCP))
    assert not moved.is_set()  # answered first; the network restarts a moment later
    await asyncio.wait_for(moved.wait(), timeout=5)
    assert sim.info.advert is None  # name resolution off: no mDNS announcement at the new address


async def test_name_change(client: InxpectClient, sim: InxpectSimulator) -> None:
    await client.write_name("gate-north")
    assert json.loads(last_request(sim, "/comBoardName")[2]) == {"name": "gate-north"}
    assert await client.read_name() == "gate-north"


async def test_update_token_replaces_session(client: InxpectClient, sim: InxpectSimulator) -> None:
    old = set(sim.tokens)
    await client.update_token()
    assert last_request(sim, "/updateToken")[0] == "GET"
    assert set(sim.tokens).isdisjoint(old)
    assert (await client.read_name()).startswith("msk101poe")
    assert [r.path for r in sim.requests][-1] == "/comBoardName"


async def test_sensor_reset_keeps_network(client: InxpectClient) -> None:
    current = await client.read_configuration()
    await client.save_configuration(current, current.with_changes(alarm_distance=5000))
    await client.write_name("kept-name")
    await client.reset_sensor()
    assert (await client.read_configuration()).alarm_distance == 8000
    assert await client.read_name() == "kept-name"


async def test_comboard_reset_without_login_only_in_first_20_s(
    http: httpx.AsyncClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    await sim.start()
    client = InxpectClient(http, ENDPOINT, Credentials("", NEW_PASSWORD))
    clock.advance(25)
    with pytest.raises(InxpectLoginError):
        await client.reset_comboard_without_login()
    sim.scenarios.enable("reboot")
    clock.advance(5)
    await client.reset_comboard_without_login()
    assert "authorization" not in last_request(sim, "/comboardReset")[1]
    assert sim.password == DEFAULT_PASSWORD
    assert sim.password_is_default


async def test_logout_ends_session(client: InxpectClient, sim: InxpectSimulator) -> None:
    await client.aclose()
    assert last_request(sim, "/logout")[0] == "PUT"
    assert not sim.tokens


async def test_identity(client: InxpectClient) -> None:
    identity = await client.read_identity()
    assert identity.key == "inxpect:20001"
    assert identity.firmware == "1.100 (board 1.207)"


async def test_simulator_refuses_current_fields_and_read_only_config(
    client: InxpectClient, sim: InxpectSimulator
) -> None:
    net = await client._call(
        "PUT", "/netSettings", json={"netConfiguration": 2, "curHostAddress": "10.0.0.9"}
    )
    assert net == {"errorCode": 1}
    config = await client._call(
        "PUT",
        "/sensorConfiguration",
        json={"configuration": {"alarmDistance": 5000, "configurationsCount": 9}},
    )
    assert config == {"errorCode": 2}
    assert sim.config.alarm_distance == 8000
    assert sim.net["netConfiguration"] == 7
