"""State of the simulated Hik-Partner Pro account: sites, devices, upgrades, hand-overs and events.

Time-driven changes (devices coming online, upgrade stages, customers accepting) are applied lazily
by `tick()` from the injected clock, so a ManualClock drives them deterministically.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from app.core.clock import Clock
from app.vendors.hikvision.simulator.catalog import (
    Employee,
    PartnerEmployee,
    WorldDevice,
    build_company,
    build_world,
)
from app.vendors.hikvision.simulator.events import EventQueue
from app.vendors.hikvision.timezones import TIME_ZONES

#: After v2/device/add the device reports to the account after this many seconds.
ONLINE_DELAY = 6.0
#: The customer accepts a hand-over (and a partner company a site share) after this many seconds.
ACCEPT_DELAY = 20.0
PIN_LIMIT_PER_DAY = 100
#: Online cameras and NVRs see motion this often (simulated scene).
MOTION_EVERY = 45.0
STAMP = "%Y-%m-%dT%H:%M:%SZ"
#: Upgrade timeline (seconds since start, statue, progress at that point), §3.29.
UPGRADE_STEPS = (
    (0.0, 1, 0),
    (2.0, 2, 5),
    (12.0, 3, 60),
    (13.0, 4, 62),
    (21.0, 5, 90),
    (22.0, 6, 92),
    (30.0, 7, 100),
)
FAIL_AT = 15.0


class CloudFaultError(Exception):
    """A documented error code the simulated cloud answers with (in an HTTP `status` answer)."""

    def __init__(self, code: str, *, status: int = 200) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


@dataclass(slots=True)
class UpgradeJob:
    """A running cloud upgrade of one device."""

    started: float
    target: str
    fails: bool
    applied_statue: int = 0


@dataclass(slots=True)
class SimShare:
    """A site shared with another company's employee (site/share, §3.7)."""

    partner: PartnerEmployee
    since: float
    #: Monotonic time the share lapses (None: permanent).
    until: float | None
    describe: str = ""
    accepted: bool = False


@dataclass(slots=True)
class SimSite:
    """A site of the account."""

    id: str
    name: str
    time_zone: int
    time_sync: bool
    city: str = ""
    street: str = ""
    state: str = ""
    location: str = ""
    delivery: int = 0
    cloud_enable: bool = True
    share: SimShare | None = None
    #: (employee id, expiry in epoch ms or -1 for permanent), assigned first.
    managers: list[tuple[str, int]] = field(default_factory=list)
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)


class CloudState:
    """Everything the simulated account holds."""

    def __init__(self, clock: Clock, seed: int, *, extra_cameras: int = 0) -> None:
        self.clock = clock
        self.rng = random.Random(seed)
        self.world: dict[str, WorldDevice] = {d.serial: d for d in build_world(self.rng, extra_cameras)}
        self.company: list[Employee] = build_company()
        self.sites: dict[str, SimSite] = {}
        self.upgrades: dict[str, UpgradeJob] = {}
        self.events = EventQueue()
        self._next_motion: dict[str, float] = {}
        self._ids = 0

    def new_id(self, prefix: str) -> str:
        """A fresh opaque id."""
        self._ids += 1
        return f"{prefix}{self.rng.getrandbits(48):012x}{self._ids:04d}"

    def stamp(self) -> str:
        """The clock's wall time as the guide's ISO form."""
        return self.clock.now().strftime(STAMP)

    def now_ms(self) -> int:
        """The clock's wall time in epoch milliseconds (token and manager expiries)."""
        return int(self.clock.now().timestamp() * 1000)

    # --- sites -------------------------------------------------------------------------------
    def add_site(self, body: dict[str, Any]) -> None:
        """site/add: name unique, time zone from Appendix A.2."""
        name = str(body.get("name") or "").strip()
        if not name or len(name) > 128:
            raise CloudFaultError("LAP000001")
        if body.get("timeZone") in (None, ""):
            raise CloudFaultError("LAP008030")
        try:
            zone = int(body["timeZone"])
        except (TypeError, ValueError) as err:
            raise CloudFaultError("LAP000001") from err
        if zone not in TIME_ZONES:
            raise CloudFaultError("LAP000001")
        if any(site.name == name for site in self.sites.values()):
            raise CloudFaultError("LAP008000")
        site = SimSite(self.new_id("s"), name, zone, bool(body.get("timeSync", False)))
        site.managers = [(self.company[0].id, -1)]  # the API key's account (the admin) created it
        self._apply_address(site, body)
        self.sites[site.id] = site

    def update_site(self, site_id: str, body: dict[str, Any]) -> None:
        """site/{id}/update: name required, address optional; the time zone stays."""
        site = self.site(site_id)
        name = str(body.get("name") or "").strip()
        if not name:
            raise CloudFaultError("LAP000001")
        if any(other.name == name and other.id != site_id for other in self.sites.values()):
            raise CloudFaultError("LAP008000")
        site.name = name
        self._apply_address(site, body)

    @staticmethod
    def _apply_address(site: SimSite, body: dict[str, Any]) -> None:
        site.city = str(body.get("siteCity") or site.city)
        site.street = str(body.get("siteStreet") or site.street)
        site.state = str(body.get("siteState") or site.state)
        site.location = str(body.get("location") or site.location)

    def delete_site(self, site_id: str) -> None:
        """site/{id}/delete: the site's devices leave the account too (§3.4)."""
        self.site(site_id)
        for device in self.site_devices(site_id):
            self._release(device)
        del self.sites[site_id]

    def site(self, site_id: str) -> SimSite:
        """The site or LAP008001."""
        site = self.sites.get(str(site_id))
        if site is None:
            raise CloudFaultError("LAP008001")
        return site

    def site_devices(self, site_id: str) -> list[WorldDevice]:
        """Devices of the account on a site, in the order they were added."""
        return sorted(
            (d for d in self.world.values() if d.owner == "us" and d.site_id == site_id),
            key=lambda d: d.added_at,
        )

    def hand_over(
        self, site_id: str, accounts: list[dict[str, Any]], permissions: list[dict[str, Any]]
    ) -> None:
        """v2/site/handover/share: customers pending until they accept after ACCEPT_DELAY."""
        site = self.site(site_id)
        if not accounts:
            raise CloudFaultError("LAP000001")
        if not all(isinstance(a.get("type", 0), int) for a in accounts):
            raise CloudFaultError("LAP000001")
        names = [str(a.get("hcAccount") or "").strip() for a in accounts]
        if len(set(names)) != len(names):
            raise CloudFaultError("LAP064007")
        if any("@" not in n and not n.lstrip("+").isdigit() for n in names):
            raise CloudFaultError("LAP008082")
        ours = {d.serial for d in self.site_devices(site_id)}
        if any(str(p.get("deviceSerial")) not in ours for p in permissions):
            raise CloudFaultError("LAP006009")
        for account, name in zip(accounts, names, strict=True):
            site.customers[name] = {
                "hcAccount": name,
                "type": int(account.get("type", 0)),
                "status": "2",
                "since": self.clock.monotonic(),
            }
        site.delivery = 1
        site.share = None  # an installation partner's share ends with the hand-over (§3.6 shareType 3)

    # --- devices -----------------------------------------------------------------------------
    def add_device(self, site_id: str, serial: str, code: str) -> WorldDevice:
        """One entry of v2/device/add: the device, or the CloudFaultError that ends in addFailedList."""
        device = self.world.get(serial)
        if device is None:
            raise CloudFaultError("EVZ20014" if len(serial) != 9 else "LAP006002")
        if device.owner == "other":
            raise CloudFaultError("EVZ20013")
        if device.owner == "us":
            raise CloudFaultError("EVZ20017")
        if not device.cloud_connected:
            raise CloudFaultError("EVZ20023")
        if device.validate_code != code:
            raise CloudFaultError("EVZ20010")
        now = self.clock.monotonic()
        device.owner, device.site_id, device.added_at = "us", site_id, now
        device.device_id = self.new_id("d")
        device.name = f"{device.spec.default_name} {serial[-4:]}"
        device.online, device.online_at = False, now + ONLINE_DELAY
        self.events.push(now, serial, "deviceadded", "device added", self.stamp())
        return device

    def owned(self, serial: str) -> WorldDevice:
        """A device of this account by serial, or LAP006009."""
        device = self.world.get(str(serial).strip())
        if device is None or device.owner != "us":
            raise CloudFaultError("LAP006009")
        return device

    def owned_by_id(self, device_id: str) -> WorldDevice:
        """A device of this account by id, or LAP006009."""
        for device in self.world.values():
            if device.owner == "us" and device.device_id == device_id:
                return device
        raise CloudFaultError("LAP006009")

    def delete_device(self, device_id: str) -> None:
        """device/delete."""
        device = self.owned_by_id(device_id)
        self.events.push(
            self.clock.monotonic(), device.serial, "devicedeleted", "device deleted", self.stamp()
        )
        self._release(device)

    def _release(self, device: WorldDevice) -> None:
        device.owner, device.site_id, device.device_id, device.online = "nobody", "", "", False
        device.online_at = None
        self.upgrades.pop(device.serial, None)

    def pin_code(self, serial: str) -> str:
        """device/pincode/query, at most PIN_LIMIT_PER_DAY per device per 24 h (§3.27)."""
        device = self.owned(serial)
        now = self.clock.monotonic()
        device.pin_queries = [t for t in device.pin_queries if now - t < 86400.0]
        if len(device.pin_queries) >= PIN_LIMIT_PER_DAY:
            raise CloudFaultError("LAP500007")
        device.pin_queries.append(now)
        if not device.pin:
            device.pin = f"{self.rng.randrange(10**6):06d}"
        return device.pin

    # --- upgrades ----------------------------------------------------------------------------
    def start_upgrade(self, serial: str) -> None:
        """device/upgrade: needs the device online and a newer firmware."""
        device = self.owned(serial)
        self.tick()
        if not device.online:
            raise CloudFaultError("EVZ20007")
        job = self.upgrades.get(serial)
        if job is not None and job.applied_statue not in (7, 8):
            raise CloudFaultError("LAP006018")
        if not device.needs_upgrade:
            raise CloudFaultError("EVZ20015")
        self.upgrades[serial] = UpgradeJob(
            self.clock.monotonic(), device.spec.newer_firmware, device.upgrade_fails
        )

    def upgrade_snapshot(self, serial: str) -> dict[str, Any]:
        """upgrade/progress `data` with the vendor's `statue` spelling."""
        self.owned(serial)
        self.tick()
        job = self.upgrades.get(serial)
        if job is None:
            return {"deviceSerial": serial, "progress": 0, "statue": 0, "error": "", "errorDesc": ""}
        statue, progress = _upgrade_position(job, self.clock.monotonic() - job.started)
        failed = statue == 8
        return {
            "deviceSerial": serial,
            "progress": progress,
            "statue": statue,
            "error": "0x00500007" if failed else "",
            "errorDesc": "upgradePackageMismatch" if failed else "",
        }

    # --- time ----------------------------------------------------------------------------------
    def tick(self) -> None:
        """Apply every change due by now: devices online, upgrade stages, accepted hand-overs."""
        now = self.clock.monotonic()
        for device in self.world.values():
            if device.owner == "us" and device.online_at is not None and device.online_at <= now:
                self._set_online(device, True, at=device.online_at)
                device.online_at = None
        for serial, job in list(self.upgrades.items()):
            self._advance_upgrade(self.world[serial], job, now)
        self._motion_alarms(now)
        now_ms = self.now_ms()
        for site in self.sites.values():
            site.managers = [(i, until) for i, until in site.managers if until == -1 or until > now_ms]
            share = site.share
            if share is not None and share.until is not None and share.until <= now:
                site.share = None
            elif share is not None and now - share.since >= ACCEPT_DELAY:
                share.accepted = True
            for customer in site.customers.values():
                if customer["status"] == "2" and now - customer["since"] >= ACCEPT_DELAY:
                    customer["status"] = "1"
            if site.delivery == 1 and any(c["status"] == "1" for c in site.customers.values()):
                site.delivery = 2

    def _motion_alarms(self, now: float) -> None:
        """Online cameras and NVRs report motion (VMD, XML alert) every MOTION_EVERY seconds."""
        for device in self.world.values():
            if device.owner != "us" or not device.online or device.spec.category not in (1, 2):
                self._next_motion.pop(device.serial, None)
                continue
            due = self._next_motion.setdefault(device.serial, device.online_since + MOTION_EVERY)
            while due <= now:
                moment = self.clock.now() - timedelta(seconds=now - due)
                self.events.push_xml(due, device.serial, "VMD", "Motion alarm", moment.strftime(STAMP))
                due += MOTION_EVERY
            self._next_motion[device.serial] = due

    def _advance_upgrade(self, device: WorldDevice, job: UpgradeJob, now: float) -> None:
        statue, _ = _upgrade_position(job, now - job.started)
        if statue == job.applied_statue:
            return
        if statue >= 6 > job.applied_statue and statue != 8:
            self._set_online(device, False)
        if statue == 7:
            device.firmware = job.target
            self._set_online(device, True)
        job.applied_statue = statue

    def _set_online(self, device: WorldDevice, online: bool, at: float | None = None) -> None:
        """Change the online state as of monotonic time `at` (default now) and queue the event."""
        if device.online == online:
            return
        now = self.clock.monotonic()
        at = now if at is None else at
        moment = self.clock.now() - timedelta(seconds=now - at)
        device.online = online
        device.online_since = at
        if not online:
            device.last_offline = moment.strftime("%Y-%m-%dT%H:%M:%S")
        event = "deviceonline" if online else "deviceoffline"
        words = "Device online" if online else "Device offline"
        self.events.push(at, device.serial, event, words, moment.strftime(STAMP))


def _upgrade_position(job: UpgradeJob, elapsed: float) -> tuple[int, int]:
    """(statue, progress %) `elapsed` seconds into an upgrade."""
    if job.fails and elapsed >= FAIL_AT:
        return 8, 70
    statue, progress = 0, 0
    for index, (at, step_statue, step_progress) in enumerate(UPGRADE_STEPS):
        if elapsed < at:
            break
        statue, progress = step_statue, step_progress
        if index + 1 < len(UPGRADE_STEPS) and statue in (2, 4):
            next_at, _, next_progress = UPGRADE_STEPS[index + 1]
            share = min((elapsed - at) / (next_at - at), 1.0)
            progress = step_progress + int(share * (next_progress - step_progress))
    return statue, progress


def iso(moment: datetime) -> str:
    """`2021-03-25T06:26:01.927Z`-style time as device/list prints deviceAddTime."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
