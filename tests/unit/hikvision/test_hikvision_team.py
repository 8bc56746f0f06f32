"""A site's team against the simulated cloud: sharing with an installation partner, site managers and
the customer's Hik-Connect access, each under the document's rules and codes (§3.7-3.10, §3.26)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.errors import InvalidParameterError, PermissionDeniedError
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.errors import HikAlreadyDoneError, HikvisionError
from app.vendors.hikvision.models import ShareState, ShareType
from app.vendors.hikvision.simulator import HikPartnerSimulator
from app.vendors.hikvision.team import (
    assign_managers,
    read_team,
    set_customer_access,
    share_with_partner,
    stop_sharing,
)

from .conftest import area_calls, site_with_devices
from .test_hikvision_simulator_input import area_call

PARTNER = "dana.kim@cabling-partner.example"


async def test_a_site_shared_with_a_partner_waits_for_them_then_is_shared_until_cancelled(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    site = await client.add_site("Cabling job", 48)
    team = await share_with_partner(client, site, f"  {PARTNER} ", 2, note=" cabling on level 2 ")
    assert area_calls(sim, "/v1/site/share")[0].json() == {
        "siteId": site.id, "email": PARTNER, "applyTimeType": 2, "describe": "cabling on level 2",
    }
    sharing = team.site.sharing
    assert (sharing.type, sharing.state) == (ShareType.SHARED_WITH_INSTALLER, ShareState.WAITING_FOR_COMPANY)
    assert (sharing.person, sharing.company, sharing.email) == ("Dana Kim", "Cabling Partner Ltd", PARTNER)
    assert team.sharing_words == (
        f"Shared for installation with Dana Kim (Cabling Partner Ltd, {PARTNER}) — "
        "waiting for them to accept."
    )
    clock.advance(30)
    assert (await read_team(client, site)).site.sharing.state is ShareState.SHARED
    with pytest.raises(HikAlreadyDoneError) as again:
        await share_with_partner(client, site, PARTNER)
    assert again.value.code == "LAP008081"
    team = await stop_sharing(client, site)
    assert area_calls(sim, f"/v1/site/share/cancel/{site.id}")
    assert team.sharing_words == "Not shared with another company."
    with pytest.raises(HikAlreadyDoneError) as not_shared:
        await stop_sharing(client, site)
    assert not_shared.value.code == "LAP008087"


async def test_a_timed_share_lapses_after_its_hours(
    client: HikPartnerClient, clock: ManualClock
) -> None:
    site = await client.add_site("Two hours", 48)
    await share_with_partner(client, site, PARTNER, 1)  # 1: two hours
    clock.advance(2 * 3600 - 5)
    assert (await read_team(client, site)).site.sharing.shared
    clock.advance(10)
    assert not (await read_team(client, site)).site.sharing.shared


@pytest.mark.parametrize(
    ("email", "code", "kind"),
    [
        ("nobody@unknown.example", "LAP008082", InvalidParameterError),
        ("sam.okafor@installer.example", "LAP008093", InvalidParameterError),
        ("pat.lane@two-firms.example", "LAP008099", InvalidParameterError),
        ("lee.ward@no-sharing.example", "LAP008104", PermissionDeniedError),
    ],
)
async def test_sharing_is_refused_with_the_documents_code(
    client: HikPartnerClient, email: str, code: str, kind: type[Exception]
) -> None:
    site = await client.add_site("Refused", 48)
    with pytest.raises(HikvisionError) as refused:
        await share_with_partner(client, site, email)
    assert refused.value.code == code
    assert isinstance(refused.value, kind)
    assert not (await read_team(client, site)).site.sharing.shared


async def test_a_handed_over_site_cannot_be_shared_and_hand_over_ends_a_share(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    site, _ = await site_with_devices(client, sim, 1)
    await share_with_partner(client, site, PARTNER)
    await client.hand_over(site.id, "owner@customer.example", await client.site_devices(site.id))
    team = await read_team(client, site)
    assert not team.site.sharing.shared  # revoked automatically on hand-over (shareType 3, §3.6)
    with pytest.raises(InvalidParameterError) as refused:
        await share_with_partner(client, site, PARTNER)
    assert refused.value.code == "LAP008103"  # type: ignore[attr-defined]


async def test_a_malformed_share_duration_is_a_parameter_error(
    http: httpx.AsyncClient, sim: HikPartnerSimulator
) -> None:
    sim.state.add_site({"name": "Odd", "timeZone": 27})
    site = next(iter(sim.state.sites))
    for duration in (5, "4", True):
        answer = await area_call(http, sim, "v1/site/share", {"siteId": site, "email": PARTNER,
                                                               "applyTimeType": duration})
        assert answer.json()["errorCode"] == "LAP000001"
    assert sim.state.sites[site].share is None


async def test_assigning_managers_replaces_them_but_keeps_whoever_manages_all_sites(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    site = await client.add_site("Managed", 48)
    staff = {e.full_name: e for e in await client.all_installers()}
    sam, riya, alex = staff["Sam Okafor"], staff["Riya Patel"], staff["Alex Morgan"]
    team = await assign_managers(client, site, [sam.id, riya.id])
    assert [m.full_name for m in team.managers] == ["Sam Okafor", "Riya Patel", "Alex Morgan"]
    team = await assign_managers(client, site, [riya.id], 7 * 86_400_000)
    assert area_calls(sim, "v2/site/assign")[-1].json() == {
        "siteIds": [site.id],
        "installerPermissionTimes": [{"installerId": riya.id, "expiredDurationTime": 7 * 86_400_000}],
    }
    assert [m.full_name for m in team.managers] == ["Riya Patel", "Alex Morgan"]
    assert team.site.installer == "Riya Patel"  # site/search names the first manager
    team = await assign_managers(client, site, [alex.id])  # how the document removes an employee
    assert [m.full_name for m in team.managers] == ["Alex Morgan"]


async def test_a_timed_manager_shows_the_expiry_and_drops_out_after_it(
    client: HikPartnerClient, clock: ManualClock
) -> None:
    site = await client.add_site("Temporary", 48)
    sam = next(e for e in await client.all_installers() if e.full_name == "Sam Okafor")
    team = await assign_managers(client, site, [sam.id], 86_400_000)
    [temporary] = [m for m in team.managers if m.id == sam.id]
    assert temporary.expires_at == clock.now().replace(microsecond=0) + timedelta(days=1)
    clock.advance(86_400 + 1)
    assert [m.full_name for m in (await read_team(client, site)).managers] == ["Alex Morgan"]


async def test_assignment_refusals_carry_the_documents_codes(
    client: HikPartnerClient, http: httpx.AsyncClient, sim: HikPartnerSimulator
) -> None:
    site = await client.add_site("Strict", 48)
    jo = next(e for e in await client.all_installers() if e.full_name == "Jo Reyes")
    with pytest.raises(PermissionDeniedError) as no_permission:
        await assign_managers(client, site, [jo.id])
    assert no_permission.value.code == "LAP008104"  # type: ignore[attr-defined]
    with pytest.raises(InvalidParameterError) as unknown:
        await assign_managers(client, site, ["0000000000000000"])
    assert unknown.value.code == "LAP012013"  # type: ignore[attr-defined]
    with pytest.raises(InvalidParameterError, match="Tick at least one"):
        await assign_managers(client, site, [])
    too_many = [{"installerId": jo.id, "expiredDurationTime": -1}] * 101
    for pairs in (too_many, [{"installerId": jo.id, "expiredDurationTime": 0}],
                  [{"installerId": "x" * 49, "expiredDurationTime": -1}]):
        answer = await area_call(http, sim, "v2/site/assign",
                                 {"siteIds": [site.id], "installerPermissionTimes": pairs})
        assert answer.json()["errorCode"] == "LAP000001"
    assert [m.full_name for m in (await read_team(client, site)).managers] == ["Alex Morgan"]


async def test_customer_access_only_after_a_hand_over_and_read_back(
    client: HikPartnerClient, sim: HikPartnerSimulator, http: httpx.AsyncClient
) -> None:
    site, _ = await site_with_devices(client, sim, 1)
    with pytest.raises(InvalidParameterError) as not_handed_over:
        await set_customer_access(client, site, False)
    assert not_handed_over.value.code == "LAP008044"  # type: ignore[attr-defined]
    await client.hand_over(site.id, "owner@customer.example", await client.site_devices(site.id))
    team = await set_customer_access(client, site, False)
    assert area_calls(sim, "cloud/enable")[-1].json() == {"siteId": site.id, "cloudEnable": False}
    switched_off = "The customer's Hik-Connect operation of the devices is switched off."
    assert team.customer_access_words == switched_off
    answer = await area_call(http, sim, "v1/device/cloud/enable", {"siteId": site.id, "cloudEnable": "true"})
    assert answer.json()["errorCode"] == "LAP000001"
    team = await set_customer_access(client, site, True)
    assert team.customer_access_words == "The customer may operate the devices in Hik-Connect."
