"""The cloud reads behind views of the Hik-Partner Pro panel, one call per view (Qt-free)."""

from __future__ import annotations

from collections.abc import Iterable

from app.vendors.hikvision.client import HikPartnerClient


async def check_upgrades(client: HikPartnerClient, serials: Iterable[str]) -> dict[str, bool]:
    """For each serial in turn, whether the cloud offers newer firmware for it."""
    return {serial: await client.upgrade_available(serial) for serial in serials}
