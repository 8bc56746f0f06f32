"""The cloud reads behind views of the Hik-Partner Pro panel, one call per view (Qt-free)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.core.errors import InvalidParameterError
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.handover import HandoverChoice
from app.vendors.hikvision.models import CloudDevice, Customer


async def check_upgrades(client: HikPartnerClient, serials: Iterable[str]) -> dict[str, bool]:
    """For each serial in turn, whether the cloud offers newer firmware for it."""
    return {serial: await client.upgrade_available(serial) for serial in serials}


@dataclass(frozen=True, slots=True)
class SiteStatus:
    """A site's devices as the cloud lists them now; its customers when a hand-over is being followed."""

    devices: tuple[CloudDevice, ...]
    customers: tuple[Customer, ...] | None = None


@dataclass(frozen=True, slots=True)
class Handover:
    """The devices shared with the customer and the site's customers afterwards."""

    devices: tuple[CloudDevice, ...]
    customers: tuple[Customer, ...]


async def read_site_status(client: HikPartnerClient, site_id: str, *, with_customers: bool) -> SiteStatus:
    """Every device of the site; with `with_customers`, also who the site was handed over to."""
    devices = await client.site_devices(site_id)
    return SiteStatus(devices, await client.customers(site_id) if with_customers else None)


async def hand_over_site(
    client: HikPartnerClient,
    site_id: str,
    account: str,
    *,
    is_phone: bool,
    choice: HandoverChoice | None = None,
) -> Handover:
    """Share the chosen devices of the site (default: every shareable one) with the customer's
    Hik-Connect account, with the permissions chosen for each; refused for an empty site."""
    devices = await client.site_devices(site_id)
    if not devices:
        raise InvalidParameterError("The site has no devices to hand over yet.")
    choice = choice or HandoverChoice.defaults(devices)
    await client.hand_over(site_id, account, devices, is_phone=is_phone, choice=choice)
    shared = tuple(d for d in devices if choice.permissions.get(d.serial))
    return Handover(shared, await client.customers(site_id))
