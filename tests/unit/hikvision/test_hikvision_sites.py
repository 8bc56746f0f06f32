"""Site calls: search, add, update, delete, share, managers, hand-over, customers, cloud enable."""

from __future__ import annotations

import pytest

from app.core.clock import ManualClock
from app.core.errors import InvalidParameterError, PermissionDeniedError
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.errors import HikAlreadyDoneError, HikInvalidRequestError
from app.vendors.hikvision.models import CustomerStatus, DeliveryStatus
from app.vendors.hikvision.simulator import AREA_PREFIX, HikPartnerSimulator

from .conftest import area_calls, site_with_devices

PARTNER = "dana.kim@cabling-partner.example"


async def test_add_site_sends_documented_fields_and_finds_the_new_id(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    site = await client.add_site("Mill Lane 4", 133, city="Leeds", street="4 Mill Lane")
    [add] = area_calls(sim, "/v1/site/add")
    assert add.path == f"{AREA_PREFIX}/api/hpcgw/v1/site/add"
    assert add.json() == {
        "name": "Mill Lane 4",
        "timeZone": 133,
        "timeSync": True,
        "siteCity": "Leeds",
        "siteStreet": "4 Mill Lane",
        "siteState": "",
        "location": "",
    }
    assert area_calls(sim, "/v1/site/search")[-1].json()["search"] == "Mill Lane 4"
    assert site.id
    assert site.name == "Mill Lane 4"
    assert site.time_zone == 133
    assert site.address == "4 Mill Lane, Leeds"
    assert site.delivery is DeliveryStatus.NOT_HANDED_OVER


async def test_duplicate_site_name_is_a_typed_error(client: HikPartnerClient) -> None:
    await client.add_site("Dup", 133)
    with pytest.raises(HikInvalidRequestError) as caught:
        await client.add_site("Dup", 48)
    assert caught.value.code == "LAP008000"
    assert "already exists" in caught.value.message


async def test_unknown_time_zone_is_rejected(client: HikPartnerClient) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        await client.add_site("Nowhere", 1)
    assert caught.value.code == "LAP000001"


async def test_search_is_paged_and_fuzzy(client: HikPartnerClient, sim: HikPartnerSimulator) -> None:
    for n in range(5):
        await client.add_site(f"Harbour unit {n}", 48, city="Hull")
    await client.add_site("Other", 48)
    page = await client.search_sites("harbour", page=2, page_size=2)
    assert area_calls(sim, "site/search")[-1].json() == {"page": 2, "pageSize": 2, "search": "harbour"}
    assert (page.page, page.page_size, page.total, page.total_pages) == (2, 2, 5, 3)
    assert [s.name for s in page.rows] == ["Harbour unit 2", "Harbour unit 3"]
    assert all(s.time_zone == 48 for s in page.rows)


async def test_update_and_delete_site_use_the_id_in_the_path(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    site, _ = await site_with_devices(client, sim, 1)
    await client.update_site(site.id, "Mill Lane 4a", city="York")
    assert area_calls(sim, f"/site/{site.id}/update")[0].json()["name"] == "Mill Lane 4a"
    assert (await client.find_site("Mill Lane 4a")) is not None
    await client.delete_site(site.id)
    assert area_calls(sim, f"/site/{site.id}/delete")[0].method == "POST"
    assert (await client.search_sites()).total == 0
    assert (await client.list_devices()).total == 0  # deleting a site removes its devices (§3.4)
    with pytest.raises(PermissionDeniedError) as caught:
        await client.delete_site(site.id)
    assert caught.value.code == "LAP008001"


async def test_share_and_cancel_share(client: HikPartnerClient, sim: HikPartnerSimulator) -> None:
    site = await client.add_site("Shared", 48)
    await client.share_site(site.id, PARTNER, apply_time_type=4, describe="cabling")
    assert area_calls(sim, "/v1/site/share")[0].json() == {
        "siteId": site.id,
        "email": PARTNER,
        "applyTimeType": 4,
        "describe": "cabling",
    }
    with pytest.raises(HikAlreadyDoneError) as caught:
        await client.share_site(site.id, PARTNER)
    assert caught.value.code == "LAP008081"
    await client.cancel_site_share(site.id)
    assert area_calls(sim, f"/v1/site/share/cancel/{site.id}")[0].json() == {}
    with pytest.raises(HikAlreadyDoneError):
        await client.cancel_site_share(site.id)


async def test_installers_and_assign_managers(client: HikPartnerClient, sim: HikPartnerSimulator) -> None:
    page = await client.search_installers("okafor")
    assert area_calls(sim, "installers/search")[0].json() == {"page": 1, "pageSize": 20, "search": "okafor"}
    [sam] = page.rows
    assert sam.full_name == "Sam Okafor"
    assert not sam.is_admin
    site = await client.add_site("Managed", 48)
    await client.assign_managers([site.id], [sam.id])
    assert area_calls(sim, "v2/site/assign")[0].json() == {
        "siteIds": [site.id],
        "installerPermissionTimes": [{"installerId": sam.id, "expiredDurationTime": -1}],
    }
    assert (await client.find_site("Managed")).installer == "Sam Okafor"  # type: ignore[union-attr]
    manager, admin = await client.site_managers(site.id)  # the admin manages all sites and stays (§3.9)
    assert area_calls(sim, "site/sitemanagers")[0].json() == {"siteId": site.id}
    assert (manager.id, manager.full_name, manager.email) == (sam.id, "Sam Okafor", sam.email)
    assert manager.expires_at is None
    assert admin.full_name == "Alex Morgan"


async def test_hand_over_then_customer_accepts(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    site, _ = await site_with_devices(client, sim, 2)
    devices = await client.site_devices(site.id)
    await client.hand_over(site.id, "owner@customer.example", devices)
    body = area_calls(sim, "v2/site/handover/share")[0].json()
    assert body["batchHcAccount"] == [{"hcAccount": "owner@customer.example", "type": 0}]
    door = body["userSharePermission"][0]
    assert door["deviceSerial"] == devices[0].serial
    assert [p["permission"] for p in door["otherPermissionDetails"]] == [0, 1, 2, 3, 4]  # intercom rights
    [customer] = await client.customers(site.id)
    assert customer.status is CustomerStatus.PENDING
    assert (await client.find_site(site.name)).delivery is DeliveryStatus.HANDOVER_IN_PROGRESS  # type: ignore[union-attr]
    clock.advance(30)
    [customer] = await client.customers(site.id)
    assert customer.account == "owner@customer.example"
    assert customer.status is CustomerStatus.APPROVED
    assert (await client.find_site(site.name)).delivery is DeliveryStatus.HANDED_OVER  # type: ignore[union-attr]


async def test_cloud_enable_and_cancel_customer(client: HikPartnerClient, sim: HikPartnerSimulator) -> None:
    site, _ = await site_with_devices(client, sim, 1)
    await client.hand_over(site.id, "+447700900123", await client.site_devices(site.id), is_phone=True)
    await client.set_cloud_enable(site.id, False)
    assert area_calls(sim, "cloud/enable")[0].json() == {"siteId": site.id, "cloudEnable": False}
    assert (await client.find_site(site.name)).cloud_enable is False  # type: ignore[union-attr]
    await client.cancel_customers(site.id, ["+447700900123"])
    assert area_calls(sim, "site/customer/cancle")[0].json() == {
        "siteId": site.id,
        "hcAccounts": ["+447700900123"],
    }
    assert await client.customers(site.id) == ()


async def test_health_report_lists_every_device(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    site, added = await site_with_devices(client, sim, 2)
    report = await client.health_report(site.id)
    assert area_calls(sim, "health/report")[0].json() == {"siteId": site.id}
    assert [e.serial for e in report.entries] == [d.serial for d in added]
    assert len(report.offline) == 2  # not yet reported in
    clock.advance(10)
    report = await client.health_report(site.id)
    assert report.offline == ()
    assert report.entries[0].model == "DS-KD8003-IME1"
    assert report.entries[0].ip.startswith("192.168.")
