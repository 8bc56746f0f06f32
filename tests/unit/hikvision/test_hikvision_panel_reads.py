"""The cloud calls behind the Hik-Partner Pro panel's views, against the simulator (Qt-free)."""

from __future__ import annotations

import pytest

from app.core.errors import InvalidParameterError
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.panel_reads import check_upgrades, hand_over_site, read_site_status
from app.vendors.hikvision.simulator import HikPartnerSimulator
from tests.unit.hikvision.conftest import site_with_devices


async def test_site_status_lists_devices_and_customers_only_when_asked(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    site, added = await site_with_devices(client, sim, 2)
    plain = await read_site_status(client, site.id, with_customers=False)
    assert sorted(d.serial for d in plain.devices) == sorted(d.serial for d in added)
    assert plain.customers is None
    following = await read_site_status(client, site.id, with_customers=True)
    assert following.customers == await client.customers(site.id)


async def test_hand_over_shares_every_device_and_reads_the_customers(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    site, added = await site_with_devices(client, sim, 2)
    done = await hand_over_site(client, site.id, "owner@example.com", is_phone=False)
    assert sorted(d.serial for d in done.devices) == sorted(d.serial for d in added)
    assert [c.account for c in done.customers] == ["owner@example.com"]


async def test_an_empty_site_is_not_handed_over(client: HikPartnerClient) -> None:
    site = await client.add_site("Empty yard", 133)
    with pytest.raises(InvalidParameterError, match="no devices"):
        await hand_over_site(client, site.id, "owner@example.com", is_phone=False)
    assert await client.customers(site.id) == ()


async def test_upgrade_check_answers_for_each_serial(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    _site, added = await site_with_devices(client, sim, 2)
    serials = [d.serial for d in added]
    assert await check_upgrades(client, serials) == {s: await client.upgrade_available(s) for s in serials}
