"""Device calls: add with per-device failures, list, channels, rename, delete, PIN, ISAPI, upgrades."""

from __future__ import annotations

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.errors import (
    DeviceUnreachableError,
    InvalidParameterError,
    RateLimitedError,
)
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.errors import HikIsapiError
from app.vendors.hikvision.isapi import pulse_relay, read_device_details
from app.vendors.hikvision.models import DeviceToAdd, OnlineStatus
from app.vendors.hikvision.reports import UpgradeStage
from app.vendors.hikvision.simulator import AREA_PREFIX, HikPartnerSimulator

from .conftest import TOKEN_HOST, area_calls, site_with_devices


async def test_add_reports_each_device_even_when_the_envelope_says_success(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    site = await client.add_site("Mill Lane 4", 133)
    good = sim.info.extra["devices"][0]
    taken, unplugged = sim.info.extra["troubleDevices"]
    wanted = [
        DeviceToAdd(good["serial"], good["validateCode"]),
        DeviceToAdd(sim.info.extra["devices"][1]["serial"], "WRONGX"),
        DeviceToAdd(taken["serial"], taken["validateCode"]),
        DeviceToAdd(unplugged["serial"], unplugged["validateCode"]),
    ]
    outcomes = await client.add_devices(site.id, wanted)
    [seen] = area_calls(sim, "v2/device/add")
    assert seen.path == f"{AREA_PREFIX}/api/hpcgw/v2/device/add"
    assert seen.json() == {
        "siteId": site.id,
        "deviceList": [{"deviceSerial": d.serial, "validateCode": d.verification_code} for d in wanted],
    }
    assert [o.added for o in outcomes] == [True, False, False, False]
    assert [o.code for o in outcomes] == ["", "EVZ20010", "EVZ20013", "EVZ20023"]
    assert outcomes[0].message.startswith("added as “Door station")
    assert "verification code is wrong" in outcomes[1].message
    assert "Another account already has this device" in outcomes[2].message
    assert "offline" in outcomes[3].message


async def test_adding_twice_is_recognised_as_already_yours(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    site, wanted = await site_with_devices(client, sim, 1)
    [again] = await client.add_devices(site.id, wanted)
    assert not again.added
    assert again.already_yours
    assert again.code == "EVZ20017"


async def test_device_list_comes_online_after_a_delay(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    site, wanted = await site_with_devices(client, sim, 3)
    page = await client.list_devices(site_id=site.id)
    assert area_calls(sim, "device/list")[-1].json() == {"page": 1, "pageSize": 20, "siteId": site.id}
    assert page.total == 3
    assert [d.serial for d in page.rows] == [w.serial for w in wanted]  # the example's leading space trimmed
    assert {d.online for d in page.rows} == {OnlineStatus.OFFLINE}
    clock.advance(6)
    door = await client.find_device(wanted[0].serial)
    assert area_calls(sim, "device/list")[-1].json() == {
        "page": 1,
        "pageSize": 20,
        "deviceSerial": wanted[0].serial,
    }
    assert door is not None
    assert door.online is OnlineStatus.ONLINE
    assert (door.model, door.kind, door.site_id, door.firmware) == (
        "DS-KD8003-IME1",
        "intercom",
        site.id,
        "V2.2.54 build 230615",
    )


async def test_rename_channels_and_delete(client: HikPartnerClient, sim: HikPartnerSimulator) -> None:
    _site, wanted = await site_with_devices(client, sim, 5)
    nvr = await client.find_device(wanted[4].serial)
    assert nvr is not None
    await client.rename_device(nvr.id, "Recorder (loft)")
    assert area_calls(sim, "device/update")[0].json() == {"deviceId": nvr.id, "deviceName": "Recorder (loft)"}
    channels = await client.cameras(nvr.serial)
    assert area_calls(sim, "camera/list")[0].json() == {"deviceSerial": nvr.serial}
    assert len(channels) == 8
    assert channels[0].name == "Recorder (loft) channel 1"
    await client.delete_device(nvr.id)
    assert area_calls(sim, "device/delete")[0].json() == {"id": nvr.id}
    assert await client.find_device(nvr.serial) is None


async def test_pin_code_is_cached_and_limited_per_day(
    client: HikPartnerClient, sim: HikPartnerSimulator, http: httpx.AsyncClient
) -> None:
    _site, wanted = await site_with_devices(client, sim, 6)
    panel = wanted[5].serial
    pin = await client.pin_code(panel)
    assert len(pin) == 6
    assert await client.pin_code(panel) == pin
    assert len(area_calls(sim, "pincode/query")) == 1
    sim.state.world[panel].pin_queries = [0.0] * 100
    other = HikPartnerClient(http, TOKEN_HOST, sim.app_key, sim.secret_key, clock=sim.clock)
    with pytest.raises(RateLimitedError) as caught:
        await other.pin_code(panel)
    assert caught.value.code == "LAP500007"
    assert len(area_calls(sim, "pincode/query")) == 2  # the daily limit is not retried


async def test_isapi_pass_through_headers_body_and_result(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    _site, wanted = await site_with_devices(client, sim, 1)
    clock.advance(6)
    serial = wanted[0].serial
    body = "<DeviceInfo><deviceName>Front door</deviceName></DeviceInfo>"
    await client.isapi("PUT", "/ISAPI/System/deviceInfo", serial, body=body, user_level=1)
    seen = area_calls(sim, "/ISAPI/System/deviceInfo")[0]
    assert seen.method == "PUT"
    assert seen.path == f"{AREA_PREFIX}/api/hpcgw/v1/device/transparent/ISAPI/System/deviceInfo"
    assert seen.headers["x-devserial"] == serial
    assert seen.headers["x-userlevel"] == "1"
    assert seen.headers["content-type"] == "application/xml"
    assert seen.body.decode() == body
    result = await client.isapi("GET", "ISAPI/System/deviceInfo", serial)
    assert "<deviceName>Front door</deviceName>" in result.body
    assert result.status == 200


async def test_isapi_errors_arrive_in_headers(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    _site, wanted = await site_with_devices(client, sim, 1)
    with pytest.raises(DeviceUnreachableError) as offline:
        await client.isapi("GET", "/ISAPI/System/time", wanted[0].serial)
    assert offline.value.code == "EVZ20007"
    clock.advance(6)
    with pytest.raises(HikIsapiError) as refused:
        await client.isapi("GET", "/ISAPI/Unknown/thing", wanted[0].serial)
    assert refused.value.code == "0x40000001"
    assert "notSupport" in refused.value.message


async def test_upgrade_progresses_to_done(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    _site, wanted = await site_with_devices(client, sim, 1)
    serial = wanted[0].serial
    clock.advance(6)
    assert await client.upgrade_available(serial)
    assert area_calls(sim, "upgrade/state")[0].json() == {"deviceSerial": serial}
    await client.start_upgrade(serial)
    assert area_calls(sim, "device/upgrade")[0].json() == {"deviceSerial": serial}
    stages = []
    while not (progress := await client.upgrade_progress(serial)).ended:
        stages.append(progress.stage)
        clock.advance(1)
    assert progress.stage is UpgradeStage.FINISHED
    assert progress.percent == 100
    assert {UpgradeStage.DOWNLOADING, UpgradeStage.WRITING, UpgradeStage.REBOOTING} <= set(stages)
    device = await client.find_device(serial)
    assert device is not None
    assert device.firmware == "V2.2.62 build 240410"
    assert not await client.upgrade_available(serial)


async def test_upgrade_that_fails_reports_statue_8(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    _site, wanted = await site_with_devices(client, sim, 4)
    serial = wanted[3].serial  # the camera whose firmware package does not match
    clock.advance(6)
    await client.start_upgrade(serial)
    clock.advance(20)
    progress = await client.upgrade_progress(serial)
    assert progress.stage is UpgradeStage.FAILED
    assert progress.error == "0x00500007"
    assert progress.words == "upgrade failed: upgradePackageMismatch"
    device = await client.find_device(serial)
    assert device is not None
    assert device.firmware == "V5.7.3 build 220112"


async def test_alarm_panel_upgrade_uses_the_pin_code(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    _site, wanted = await site_with_devices(client, sim, 6)
    clock.advance(6)
    serial = wanted[5].serial
    with pytest.raises(InvalidParameterError) as caught:  # AX PRO panels need their PIN (§3.28)
        await client.start_upgrade(serial)
    assert caught.value.code == "EVZ60042"
    panel = await client.find_device(serial)
    assert panel is not None
    assert panel.category == 3
    await client.start_device_upgrade(panel)
    [query] = area_calls(sim, "pincode/query")
    assert query.json() == {"deviceSerial": serial}
    pin = sim.state.world[serial].pin
    assert area_calls(sim, "device/upgrade")[-1].json() == {"deviceSerial": serial, "pinCode": pin}
    clock.advance(40)
    assert (await client.upgrade_progress(serial)).stage is UpgradeStage.FINISHED


async def test_device_details_and_relay_test_through_the_cloud(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    _site, wanted = await site_with_devices(client, sim, 1)
    clock.advance(6)
    serial = wanted[0].serial
    details = await read_device_details(client, serial)
    assert (details.model, details.firmware) == ("DS-KD8003-IME1", "V2.2.54 build 230615")
    assert details.name.startswith("Door station")
    assert details.local_time == "2026-01-01T01:00:06+01:00"  # CST-1:00:00, the factory zone
    assert await pulse_relay(client, serial) == ("active", "inactive")
    triggers = area_calls(sim, "/ISAPI/System/IO/outputs/1/trigger")
    assert [t.method for t in triggers] == ["PUT", "PUT"]
    assert "<outputState>high</outputState>" in triggers[0].body.decode()
    assert "<outputState>low</outputState>" in triggers[1].body.decode()
