"""Who works on a site and who may use it: its managers, the installation partner it is shared with,
and whether the customer may operate it in Hik-Connect; every change is read back from the cloud."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from app.vendors.hikvision.errors import HikInvalidRequestError, HikProtocolError
from app.vendors.hikvision.models import (
    DeliveryStatus,
    Installer,
    ShareState,
    ShareType,
    Site,
    SiteManager,
    SiteSharing,
)

#: site/share `applyTimeType` and what it means (§3.7).
SHARE_DURATIONS: tuple[tuple[int, str], ...] = (
    (-1, "until sharing is cancelled"),
    (0, "for 1 hour"),
    (1, "for 2 hours"),
    (2, "for 4 hours"),
    (3, "for 8 hours"),
    (4, "for 24 hours"),
)
_DAY_MS = 86_400_000
#: v2/site/assign `expiredDurationTime` in ms (-1 permanent, §3.9) and what it means.
MANAGER_DURATIONS: tuple[tuple[int, str], ...] = (
    (-1, "permanently"),
    (_DAY_MS, "for 1 day"),
    (7 * _DAY_MS, "for 7 days"),
    (30 * _DAY_MS, "for 30 days"),
)
_SHARE_STATE_WORDS = {
    ShareState.WAITING_FOR_END_USER: "waiting for the end user to allow it",
    ShareState.WAITING_FOR_COMPANY: "waiting for them to accept",
    ShareState.SHARED: "shared",
    ShareState.DENIED_BY_END_USER: "refused by the end user",
    ShareState.DENIED_BY_COMPANY: "refused by that company",
    ShareState.UNKNOWN: "state unknown",
}
_SHARE_TYPE_WORDS = {
    ShareType.SHARED_WITH_MAINTAINER: "Shared for maintenance with",
    ShareType.SHARED_WITH_US_TO_MAINTAIN: "Shared with this company for maintenance by",
    ShareType.SHARED_WITH_INSTALLER: "Shared for installation with",
    ShareType.SHARED_WITH_US_TO_INSTALL: "Shared with this company for installation by",
    ShareType.UNKNOWN: "Shared (kind unknown) with",
}


class TeamClient(Protocol):
    """The cloud calls a site's team needs (HikPartnerClient)."""

    async def all_sites(self, search: str = "") -> tuple[Site, ...]:
        """Every site matching `search`."""
        ...

    async def all_installers(self) -> tuple[Installer, ...]:
        """Every employee."""
        ...

    async def site_managers(self, site_id: str) -> tuple[SiteManager, ...]:
        """site/sitemanagers."""
        ...

    async def share_site(
        self, site_id: str, email: str, *, apply_time_type: int = -1, describe: str = ""
    ) -> None:
        """site/share."""
        ...

    async def cancel_site_share(self, site_id: str) -> None:
        """site/share/cancel/{id}."""
        ...

    async def assign_managers(
        self, site_ids: Sequence[str], installer_ids: Sequence[str], *, duration_ms: int = -1
    ) -> None:
        """v2/site/assign."""
        ...

    async def set_cloud_enable(self, site_id: str, enabled: bool) -> None:
        """device/cloud/enable."""
        ...


@dataclass(frozen=True, slots=True)
class SiteTeam:
    """A site as the cloud lists it now, its managers and the company's employees."""

    site: Site
    managers: tuple[SiteManager, ...]
    staff: tuple[Installer, ...]

    @property
    def handed_over(self) -> bool:
        """The site was handed over to a customer (or is being): end-user access applies, sharing does not."""
        return self.site.delivery is not DeliveryStatus.NOT_HANDED_OVER

    @property
    def sharing_words(self) -> str:
        """The site's sharing in one sentence."""
        return sharing_words(self.site.sharing)

    @property
    def customer_access_words(self) -> str:
        """Whether the customer may operate the site's devices in Hik-Connect, in one sentence."""
        if not self.handed_over:
            return "The site is not handed over: the customer has no access to switch on or off yet."
        if self.site.cloud_enable:
            return "The customer may operate the devices in Hik-Connect."
        return "The customer's Hik-Connect operation of the devices is switched off."


def sharing_words(sharing: SiteSharing) -> str:
    """"Shared for installation with Dana Kim (Cabling Partner Ltd, dana@…) — shared." or not shared."""
    if not sharing.shared:
        return "Not shared with another company."
    who = ", ".join(part for part in (sharing.company, sharing.email) if part)
    party = f"{sharing.person} ({who})" if sharing.person else who or "another company"
    return f"{_SHARE_TYPE_WORDS[sharing.type]} {party} — {_SHARE_STATE_WORDS[sharing.state]}."


async def current_site(client: TeamClient, site: Site) -> Site:
    """`site` as the cloud lists it now (found by name, else among all sites); HikProtocolError if gone."""
    for search in (site.name, ""):
        found = next((s for s in await client.all_sites(search) if s.id == site.id), None)
        if found is not None:
            return found
    raise HikProtocolError(f"The site “{site.name}” is no longer listed by Hik-Partner Pro.")


async def read_team(client: TeamClient, site: Site) -> SiteTeam:
    """The site, its managers and every employee, read now."""
    return SiteTeam(
        await current_site(client, site), await client.site_managers(site.id), await client.all_installers()
    )


async def share_with_partner(
    client: TeamClient, site: Site, email: str, apply_time_type: int = -1, note: str = ""
) -> SiteTeam:
    """Share the site with another company's employee for installation (site/share), then read it back."""
    email = email.strip()
    if "@" not in email or any(ch.isspace() for ch in email):
        raise HikInvalidRequestError(
            "Type the partner employee's email address (their Hik-Partner Pro login)."
        )
    if apply_time_type not in dict(SHARE_DURATIONS):
        raise HikInvalidRequestError("Choose how long the site is shared.")
    await client.share_site(site.id, email, apply_time_type=apply_time_type, describe=note.strip())
    return await read_team(client, site)


async def stop_sharing(client: TeamClient, site: Site) -> SiteTeam:
    """Cancel the site's share (site/share/cancel/{id}), then read it back."""
    await client.cancel_site_share(site.id)
    team = await read_team(client, site)
    if team.site.sharing.shared:
        raise HikProtocolError(
            "Hik-Partner Pro accepted the cancellation but still lists the site as shared."
        )
    return team


async def assign_managers(
    client: TeamClient, site: Site, installer_ids: Sequence[str], duration_ms: int = -1
) -> SiteTeam:
    """Make these employees the site's managers (the others go, except those managing all sites, §3.9),
    then read the managers back and check every chosen one is listed."""
    if not installer_ids:
        raise HikInvalidRequestError("Tick at least one employee to manage the site.")
    await client.assign_managers([site.id], list(installer_ids), duration_ms=duration_ms)
    team = await read_team(client, site)
    missing = set(installer_ids) - {m.id for m in team.managers}
    if missing:
        raise HikProtocolError(
            "Hik-Partner Pro accepted the assignment but does not list every chosen manager."
        )
    return team


async def set_customer_access(client: TeamClient, site: Site, enabled: bool) -> SiteTeam:
    """Allow or stop the customer's Hik-Connect operation (device/cloud/enable), then read it back."""
    await client.set_cloud_enable(site.id, enabled)
    team = await read_team(client, site)
    if team.site.cloud_enable is not enabled:
        raise HikProtocolError("Hik-Partner Pro accepted the change but the site still shows the old access.")
    return team
