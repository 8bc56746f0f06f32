"""What the guide requires per device: upgrade credentials by panel generation (§3.28), hand-over
permissions by category (§3.11), and event subscription of the site's devices (§3.33)."""

from __future__ import annotations

import asyncio

import pytest

from app.core.clock import ManualClock
from app.core.errors import InvalidParameterError
from app.vendors.hikvision.client import HikPartnerClient, UpgradeCredentials, upgrade_credentials
from app.vendors.hikvision.events import follow_events
from app.vendors.hikvision.handover import HandoverChoice
from app.vendors.hikvision.reports import UpgradeStage
from app.vendors.hikvision.simulator import HikPartnerSimulator

from .conftest import area_calls, site_with_devices, with_time

SWITCH, PANEL_1ST_GEN, AX_PRO = 7, 6, 5  # positions in the simulator's registerable devices


async def _device(client: HikPartnerClient, sim: HikPartnerSimulator, index: int):  # type: ignore[no-untyped-def]
    device = await client.find_device(sim.info.extra["devices"][index]["serial"])
    assert device is not None
    return device


async def test_a_first_generation_panel_is_upgraded_with_username_and_password(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    await site_with_devices(client, sim, 8)
    clock.advance(6)
    panel = await _device(client, sim, PANEL_1ST_GEN)
    assert upgrade_credentials(panel) is UpgradeCredentials.USERNAME_PASSWORD
    assert upgrade_credentials(await _device(client, sim, AX_PRO)) is UpgradeCredentials.PIN

    with pytest.raises(InvalidParameterError, match="username and password"):
        await client.start_device_upgrade(panel)
    assert area_calls(sim, "device/upgrade") == []
    assert area_calls(sim, "pincode/query") == []

    username, password = sim.info.extra["panelLogin"].split("/")
    await client.start_device_upgrade(panel, username=username, password=password)

    assert area_calls(sim, "device/upgrade")[-1].json() == {
        "deviceSerial": panel.serial,
        "username": username,
        "password": password,
    }
    clock.advance(40)
    assert (await client.upgrade_progress(panel.serial)).stage is UpgradeStage.FINISHED


async def test_hand_over_shares_per_category_and_never_a_switch(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    site, _ = await site_with_devices(client, sim, 8)
    devices = await client.site_devices(site.id)

    await client.hand_over(site.id, "owner@customer.example", devices)

    items = {
        i["deviceSerial"]: i
        for i in area_calls(sim, "v2/site/handover/share")[0].json()["userSharePermission"]
    }
    serial = [d["serial"] for d in sim.info.extra["devices"]]
    assert serial[SWITCH] not in items
    camera = [p["permission"] for p in items[serial[2]]["otherPermissionDetails"]]
    assert camera == [0, 1, 2, 3, 5]  # encoding device: PTZ, not door opening
    assert items[serial[AX_PRO]]["ax2PermissionDetails"]["ax2Permission"] == [0, 1, 6]
    assert "ax2PermissionDetails" not in items[serial[PANEL_1ST_GEN]]  # not an AX Pro
    assert [p["permission"] for p in items[serial[PANEL_1ST_GEN]]["otherPermissionDetails"]] == [3]


async def test_hand_over_only_the_chosen_devices_and_permissions(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    site, _ = await site_with_devices(client, sim, 8)
    devices = await client.site_devices(site.id)
    serial = [d["serial"] for d in sim.info.extra["devices"]]

    with pytest.raises(InvalidParameterError, match="cannot share"):
        await client.hand_over(
            site.id, "o@c.example", devices, choice=HandoverChoice({serial[SWITCH]: (0, 1)})
        )
    with pytest.raises(InvalidParameterError, match="cannot share"):
        await client.hand_over(site.id, "o@c.example", devices, choice=HandoverChoice({serial[2]: (4,)}))
    assert area_calls(sim, "v2/site/handover/share") == []

    choice = HandoverChoice({serial[0]: (0, 4), serial[AX_PRO]: (0, 1, 7)})
    await client.hand_over(site.id, "o@c.example", devices, choice=choice)

    body = area_calls(sim, "v2/site/handover/share")[0].json()
    assert [i["deviceSerial"] for i in body["userSharePermission"]] == [serial[0], serial[AX_PRO]]
    assert [p["permission"] for p in body["userSharePermission"][0]["otherPermissionDetails"]] == [0, 4]
    assert body["userSharePermission"][1]["ax2PermissionDetails"]["ax2Permission"] == [0, 1, 7]


async def test_events_follow_the_sites_devices_not_the_whole_account(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    await site_with_devices(client, sim, 2)
    serials = [sim.info.extra["devices"][0]["serial"]]
    feed = asyncio.ensure_future(follow_events(client, lambda _: None, clock=clock, serials=lambda: serials))
    for _ in range(30):
        await asyncio.sleep(0)
    serials[:] = [sim.info.extra["devices"][1]["serial"]]
    for _ in range(25):
        clock.advance(1)
        for _ in range(10):
            await asyncio.sleep(0)
    feed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await feed

    bodies = [c.json() for c in area_calls(sim, "mq/subscribe")]
    assert all(b["subMode"] == "list" for b in bodies)
    first, second = sim.info.extra["devices"][0]["serial"], sim.info.extra["devices"][1]["serial"]
    assert bodies[:3] == [
        {"subType": 1, "subMode": "list", "deviceSerialList": [first]},
        {"subType": 1, "subMode": "list", "deviceSerialList": [second]},
        {"subType": 0, "subMode": "list", "deviceSerialList": [first]},
    ]
    assert sim.state.events.subscribed == {second}
    assert not sim.state.events.subscribed_all


async def test_the_end_of_visit_upgrades_a_first_generation_panel_with_the_login_given(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    from app.core.progress import ProgressReporter
    from app.vendors.hikvision.wizard import EndOfVisitController

    wizard = EndOfVisitController(client, lambda *_: None, "hikvision:hpp-test", clock=clock)
    await wizard.validate_site(new_name="Depot", time_zone=48)
    panel = sim.info.extra["devices"][PANEL_1ST_GEN]
    await wizard.validate_register(f"{panel['serial']} {panel['validateCode']}")
    await with_time(clock, wizard.validate_online(ProgressReporter(["online"])))
    needing = await wizard.devices_needing_upgrade()
    assert needing == [panel["serial"]]
    assert wizard.needs_panel_login(needing)

    refused = await wizard.validate_upgrade(needing)
    assert refused[panel["serial"]].stage is UpgradeStage.FAILED
    assert "username and password" in refused[panel["serial"]].words

    username, password = sim.info.extra["panelLogin"].split("/")
    done = await with_time(clock, wizard.validate_upgrade(needing, panel_login=(username, password)))
    assert done[panel["serial"]].stage is UpgradeStage.FINISHED
