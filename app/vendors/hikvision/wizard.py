"""End-of-visit wizard controller (Qt-free): site, register, wait online, upgrade, health, hand over.

Each `validate_<step>()` does the step's cloud work, records it in the history and moves `step`
on; the QWizard pages only render the controller's state and forward input.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.clock import Clock, SystemClock
from app.core.errors import DeviceTimeoutError, InvalidParameterError
from app.core.progress import ProgressReporter
from app.vendors.hikvision.client import HikPartnerClient, UpgradeCredentials, upgrade_credentials
from app.vendors.hikvision.errors import HikvisionError
from app.vendors.hikvision.handover import HandoverChoice
from app.vendors.hikvision.labels import parse_labels
from app.vendors.hikvision.models import AddOutcome, CloudDevice, Customer, OnlineStatus, Site
from app.vendors.hikvision.reports import HealthReport, UpgradeProgress, UpgradeStage

log = logging.getLogger(__name__)

Record = Callable[[str, str, str, Mapping[str, Any]], None]
"""record(key, action, result, detail): DeviceHistory.record or a test double."""


class Step(enum.Enum):
    """The wizard's steps in order."""

    SITE = "Customer site"
    REGISTER = "Register devices"
    ONLINE = "Wait until online"
    UPGRADE = "Firmware"
    HEALTH = "Site health"
    HANDOVER = "Hand over"
    DONE = "Done"


STEPS = tuple(Step)


@dataclass(slots=True)
class VisitState:
    """What the visit has done so far."""

    site: Site | None = None
    outcomes: list[AddOutcome] = field(default_factory=list)
    devices: dict[str, CloudDevice] = field(default_factory=dict)
    upgrades: dict[str, UpgradeProgress] = field(default_factory=dict)
    health: HealthReport | None = None
    customers: tuple[Customer, ...] = ()


class EndOfVisitController:
    """The state machine behind the end-of-visit wizard."""

    def __init__(
        self,
        client: HikPartnerClient,
        record: Record,
        account_key: str,
        *,
        clock: Clock | None = None,
        poll_interval: float = 3.0,
        online_timeout: float = 600.0,
        upgrade_timeout: float = 1800.0,
    ) -> None:
        self.client = client
        self.state = VisitState()
        self.step = Step.SITE
        self._record = record
        self._account_key = account_key
        self._clock = clock or SystemClock()
        self._poll_interval = poll_interval
        self._online_timeout = online_timeout
        self._upgrade_timeout = upgrade_timeout

    @property
    def site(self) -> Site:
        """The chosen site (after the site step)."""
        if self.state.site is None:
            raise InvalidParameterError("Choose or create the customer's site first.")
        return self.state.site

    @property
    def registered_serials(self) -> list[str]:
        """Serials added (or already in the account) during this visit, in the order typed."""
        return [o.serial for o in self.state.outcomes if o.added or o.already_yours]

    def _note(self, key: str, action: str, result: str, **detail: Any) -> None:
        self._record(key, action, result, detail)

    # --- steps -------------------------------------------------------------------------------
    async def validate_site(
        self,
        *,
        site: Site | None = None,
        new_name: str = "",
        time_zone: int = 0,
        city: str = "",
        street: str = "",
    ) -> Site:
        """Use the chosen site, or create one (a duplicate name picks the existing site)."""
        if site is None:
            name = new_name.strip()
            if not name:
                raise InvalidParameterError("Pick a site from the list or type a name for a new one.")
            site = await self.client.find_site(name) or await self.client.add_site(
                name, time_zone, city=city, street=street
            )
            self._note(
                self._account_key, "Hik-Partner Pro site ready", "done", site=site.name, site_id=site.id
            )
        self.state.site = site
        self.step = Step.REGISTER
        return site

    async def validate_register(self, pasted: str) -> tuple[AddOutcome, ...]:
        """Register the pasted devices; succeeds when at least one device of this visit is in the site."""
        parsed = parse_labels(pasted)
        if parsed.problems and not parsed.devices:
            raise InvalidParameterError("No device could be read: " + "; ".join(parsed.problems))
        if parsed.problems:
            raise InvalidParameterError("Fix these lines first: " + "; ".join(parsed.problems))
        outcomes = await self.client.add_devices(self.site.id, parsed.devices)
        for outcome in outcomes:
            self._note(
                f"hikvision:{outcome.serial}",
                f"Register to site {self.site.name}",
                "done" if outcome.added or outcome.already_yours else "failed",
                code=outcome.code,
                message=outcome.message,
            )
        known = {o.serial for o in self.state.outcomes}
        self.state.outcomes.extend(o for o in outcomes if o.serial not in known or o.added)
        if self.registered_serials:
            self.step = Step.ONLINE
        return outcomes

    async def refresh_devices(self) -> dict[str, CloudDevice]:
        """device/list for the site, keeping this visit's devices."""
        wanted = set(self.registered_serials)
        for device in await self.client.site_devices(self.site.id):
            if device.serial in wanted:
                self.state.devices[device.serial] = device
        return self.state.devices

    async def validate_online(self, reporter: ProgressReporter | None = None) -> dict[str, CloudDevice]:
        """Poll device/list until every device of this visit is online; DeviceTimeoutError after timeout."""
        deadline = self._clock.monotonic() + self._online_timeout
        serials = self.registered_serials
        while True:
            devices = await self.refresh_devices()
            online = [s for s in serials if s in devices and devices[s].online is OnlineStatus.ONLINE]
            if reporter is not None:
                reporter.set(len(online), len(serials), f"{len(online)} of {len(serials)} online")
            if len(online) == len(serials):
                break
            if self._clock.monotonic() >= deadline:
                waiting = ", ".join(s for s in serials if s not in online)
                raise DeviceTimeoutError(
                    f"Still offline after {self._online_timeout:.0f} s: {waiting}. "
                    "Check power, network cable and that Hik-Connect is enabled."
                )
            await self._clock.sleep(self._poll_interval)
        for serial in serials:
            self._note(
                f"hikvision:{serial}",
                "Online in Hik-Partner Pro",
                "done",
                firmware=self.state.devices[serial].firmware,
            )
        self.step = Step.UPGRADE
        return self.state.devices

    async def devices_needing_upgrade(self) -> list[str]:
        """This visit's devices for which the cloud has newer firmware."""
        return [s for s in self.registered_serials if await self.client.upgrade_available(s)]

    async def validate_upgrade(
        self,
        serials: Sequence[str],
        reporter: ProgressReporter | None = None,
        *,
        panel_login: tuple[str, str] = ("", ""),
    ) -> dict[str, UpgradeProgress]:
        """Upgrade `serials` one by one until each finishes or fails; failures are recorded, not raised.
        A first-generation alarm panel is upgraded with `panel_login` (username, password), §3.28."""
        for index, serial in enumerate(serials):
            progress = await self._upgrade_one(serial, index, len(serials), reporter, panel_login)
            self.state.upgrades[serial] = progress
            self._note(
                f"hikvision:{serial}",
                "Cloud firmware upgrade",
                "done" if progress.stage is UpgradeStage.FINISHED else "failed",
                stage=progress.words,
                error=progress.error,
            )
        self.step = Step.HEALTH
        return self.state.upgrades

    async def _upgrade_one(
        self,
        serial: str,
        index: int,
        count: int,
        reporter: ProgressReporter | None,
        panel_login: tuple[str, str],
    ) -> UpgradeProgress:
        try:
            device = self.state.devices.get(serial)
            if device is not None:
                username, password = panel_login
                await self.client.start_device_upgrade(device, username=username, password=password)
            else:
                await self.client.start_upgrade(serial)
        except HikvisionError as err:
            return UpgradeProgress(serial, UpgradeStage.FAILED, 0, str(err.code or ""), err.message)
        deadline = self._clock.monotonic() + self._upgrade_timeout
        while True:
            progress = await self.client.upgrade_progress(serial)
            if reporter is not None:
                reporter.set(index * 100 + progress.percent, count * 100, f"{serial}: {progress.words}")
            if progress.ended:
                return progress
            if self._clock.monotonic() >= deadline:
                raise DeviceTimeoutError(f"The upgrade of {serial} did not finish ({progress.words}).")
            await self._clock.sleep(self._poll_interval)

    def needs_panel_login(self, serials: Sequence[str]) -> bool:
        """True when one of `serials` is a first-generation alarm panel (upgraded with its login)."""
        login = UpgradeCredentials.USERNAME_PASSWORD
        return any(
            (device := self.state.devices.get(serial)) is not None and upgrade_credentials(device) is login
            for serial in serials
        )

    def skip_upgrade(self) -> None:
        """Nothing to upgrade (or the technician chose not to): go on to the health check."""
        self.step = Step.HEALTH

    async def validate_health(self) -> HealthReport:
        """Read the site health report; offline devices are recorded and listed, not fatal."""
        report = await self.client.health_report(self.site.id)
        self.state.health = report
        self._note(
            self._account_key,
            f"Health report of {self.site.name}",
            "done" if not report.offline else "warning",
            devices=len(report.entries),
            offline=[e.serial for e in report.offline],
        )
        self.step = Step.HANDOVER
        return report

    async def site_devices(self) -> tuple[CloudDevice, ...]:
        """Every device of the site (what the hand-over may share)."""
        return await self.client.site_devices(self.site.id)

    async def validate_handover(
        self, account: str, *, is_phone: bool = False, choice: HandoverChoice | None = None
    ) -> tuple[Customer, ...]:
        """Share the chosen devices and permissions (default: the site's shareable devices with their
        category's usual permissions, §3.11) with the customer's Hik-Connect account (email or phone)."""
        account = account.strip()
        if not account or (not is_phone and "@" not in account):
            raise InvalidParameterError("Type the customer's Hik-Connect email address or phone number.")
        every = await self.client.site_devices(self.site.id)
        choice = choice or HandoverChoice.defaults(every)
        await self.client.hand_over(self.site.id, account, every, is_phone=is_phone, choice=choice)
        devices = [d for d in every if choice.permissions.get(d.serial)]
        self.state.customers = await self.client.customers(self.site.id)
        self._note(
            self._account_key,
            f"Hand over {self.site.name}",
            "done",
            customer=account,
            devices=[d.serial for d in devices],
        )
        self.step = Step.DONE
        return self.state.customers
