"""Site-side handlers of the simulated cloud: installers, sites, sharing, managers, hand-over, health."""

from __future__ import annotations

from typing import Any

from app.vendors.hikvision.simulator.catalog import PARTNERS, WorldDevice
from app.vendors.hikvision.simulator.paging import listed_objects, listed_scalars, page_of, required
from app.vendors.hikvision.simulator.state import CloudFaultError, CloudState, SimShare, SimSite

#: site/share `applyTimeType` -> hours (-1 or absent: permanent), §3.7.
SHARE_HOURS = {0: 1, 1: 2, 2: 4, 3: 8, 4: 24}


class SiteHandlers:
    """Handlers for the company and its sites (guide §3.2-3.17)."""

    state: CloudState

    async def installers(self, body: dict[str, Any]) -> Any:
        """installers/search (fuzzy on name, email, phone)."""
        search = str(body.get("search") or "").lower()
        rows = [
            {
                "id": e.id,
                "firstName": e.first_name,
                "lastName": e.last_name,
                "email": e.email,
                "phone": e.phone,
                "invitedStatus": True,
                "isAdmin": e.is_admin,
                "enableStatus": True,
            }
            for e in self.state.company
            if search in f"{e.first_name} {e.last_name} {e.email} {e.phone}".lower()
        ]
        return page_of(rows, body)

    async def site_add(self, body: dict[str, Any]) -> Any:
        """site/add: answers no id (§3.3)."""
        self.state.add_site(body)
        return None

    async def site_update(self, site_id: str, body: dict[str, Any]) -> Any:
        """site/{id}/update."""
        self.state.update_site(site_id, body)
        return None

    async def site_delete(self, site_id: str) -> Any:
        """site/{id}/delete."""
        self.state.delete_site(site_id)
        return None

    async def site_search(self, body: dict[str, Any]) -> Any:
        """site/search, fuzzy over name, address and installer."""
        self.state.tick()
        search = str(body.get("search") or "").lower()
        rows = []
        for site in self.state.sites.values():
            row = self._site_row(site)
            haystack = " ".join(
                str(row[k])
                for k in (
                    "siteName",
                    "siteCity",
                    "siteStreet",
                    "siteState",
                    "location",
                    "installerFirstName",
                    "installerLastName",
                )
            )
            if search in haystack.lower():
                rows.append(row)
        return page_of(rows, body)

    def _site_row(self, site: SimSite) -> dict[str, Any]:
        manager = next(
            (e for e in self.state.company if site.managers and e.id == site.managers[0][0]),
            self.state.company[0],
        )
        return {
            "id": site.id,
            "siteName": site.name,
            "timeZone": str(site.time_zone),
            "timeSync": site.time_sync,
            "installerId": manager.id,
            "installerFirstName": manager.first_name,
            "installerLastName": manager.last_name,
            "siteState": site.state,
            "siteCity": site.city,
            "siteStreet": site.street,
            "location": site.location,
            "siteDeliveryStatus": site.delivery,
            "cloudEnable": site.cloud_enable,
            "sharedInfo": _shared_info(site.share),
        }

    async def site_share(self, body: dict[str, Any]) -> Any:
        """site/share with another company's employee (§3.7): only a site not handed over, once."""
        site = self.state.site(required(body, "siteId"))
        email = required(body, "email").lower()
        hours = _share_hours(body)
        if any(e.email.lower() == email for e in self.state.company):
            raise CloudFaultError("LAP008093")
        partner = next((p for p in PARTNERS if p.email == email), None)
        if partner is None:
            raise CloudFaultError("LAP008082")
        if partner.companies > 1:
            raise CloudFaultError("LAP008099")
        if not partner.sharing_enabled:
            raise CloudFaultError("LAP008104")
        if site.delivery or site.customers:
            raise CloudFaultError("LAP008103")
        if site.share is not None:
            raise CloudFaultError("LAP008081")
        now = self.state.clock.monotonic()
        until = None if hours is None else now + hours * 3600.0
        site.share = SimShare(partner, now, until, str(body.get("describe") or ""))
        return None

    async def site_share_cancel(self, site_id: str) -> Any:
        """site/share/cancel/{id} (LAP008087 when the site is not shared)."""
        self.state.tick()
        site = self.state.site(site_id)
        if site.share is None:
            raise CloudFaultError("LAP008087")
        site.share = None
        return None

    async def site_assign(self, body: dict[str, Any]) -> Any:
        """v2/site/assign: the listed employees replace every manager but those managing all sites."""
        pairs = listed_objects(body, "installerPermissionTimes")
        site_ids = listed_scalars(body, "siteIds")
        if not site_ids or not pairs or len(pairs) > 100:
            raise CloudFaultError("LAP000001")
        sites = [self.state.site(site_id) for site_id in site_ids]
        staff = {e.id: e for e in self.state.company}
        assigned: dict[str, int] = {}
        for pair in pairs:
            installer = str(pair.get("installerId") or "").strip()
            duration = pair.get("expiredDurationTime")
            if not 1 <= len(installer) <= 48 or not _valid_duration(duration):
                raise CloudFaultError("LAP000001")
            employee = staff.get(installer)
            if employee is None:
                raise CloudFaultError("LAP012013")
            if not employee.manages_sites:
                raise CloudFaultError("LAP008104")
            assigned[installer] = -1 if duration == -1 else self.state.now_ms() + int(str(duration))
        for site in sites:
            kept = [
                (i, until) for i, until in site.managers if staff[i].manages_all_sites and i not in assigned
            ]
            site.managers = list(assigned.items()) + kept
        return None

    async def site_managers(self, body: dict[str, Any]) -> Any:
        """site/sitemanagers, with the vendor's `installerMangers` spelling and expiry as epoch ms text."""
        self.state.tick()
        site = self.state.site(required(body, "siteId"))
        staff = {e.id: e for e in self.state.company}
        return {
            "installerMangers": [
                {
                    "installerId": i,
                    "installerFirstName": staff[i].first_name,
                    "installerLastName": staff[i].last_name,
                    "installerEmail": staff[i].email,
                    "installerPhone": staff[i].phone,
                    "expireDurationTime": str(until),
                }
                for i, until in site.managers
            ]
        }

    async def handover(self, body: dict[str, Any]) -> Any:
        """v2/site/handover/share."""
        self.state.hand_over(
            required(body, "siteId"),
            listed_objects(body, "batchHcAccount"),
            listed_objects(body, "userSharePermission"),
        )
        return None

    async def customer_list(self, body: dict[str, Any]) -> Any:
        """v2/site/customer/list (`status` is a string)."""
        self.state.tick()
        site = self.state.site(required(body, "siteId"))
        return {
            "customers": [
                {"hcAccount": c["hcAccount"], "type": c["type"], "status": c["status"]}
                for c in site.customers.values()
            ]
        }

    async def customer_cancel(self, body: dict[str, Any]) -> Any:
        """site/customer/cancle (sic)."""
        site = self.state.site(required(body, "siteId"))
        for account in listed_scalars(body, "hcAccounts"):
            site.customers.pop(str(account), None)
        if not site.customers:
            site.delivery = 0
        return None

    async def cloud_enable(self, body: dict[str, Any]) -> Any:
        """device/cloud/enable: only for a site handed over by sharing (LAP008044), a Boolean flag."""
        site = self.state.site(required(body, "siteId"))
        enable = body.get("cloudEnable")
        if not isinstance(enable, bool):
            raise CloudFaultError("LAP000001")
        if not site.customers:
            raise CloudFaultError("LAP008044")
        site.cloud_enable = enable
        return None

    async def health(self, body: dict[str, Any]) -> Any:
        """site/health/report, one entry per device."""
        self.state.tick()
        site_id = required(body, "siteId")
        self.state.site(site_id)
        return {"siteId": site_id, "reportDetail": [_health_row(d) for d in self.state.site_devices(site_id)]}


def _health_row(device: WorldDevice) -> dict[str, Any]:
    row: dict[str, Any] = {
        "deviceSerial": device.serial,
        "deviceName": device.name,
        "category": "2" if device.spec.category == 3 else "1",
        "deviceSubCategory": str(device.spec.sub_category),
        "deviceIp": device.ip,
        "deviceModel": device.spec.model,
        "deviceId": device.device_id,
        "onlineStatus": 1 if device.online else 0,
        "lastOfflineTime": device.last_offline,
        "deviceVersion": device.firmware,
    }
    if device.spec.category == 3:
        row["alarmDeviceStatus"] = {
            "operRes": "pass" if device.online else "not pass",
            "cloudStatus": "online" if device.online else "offline",
        }
    elif device.spec.category == 2:
        row["enCodingDeviceStatus"] = {
            "loopEnable": 1,
            "diskUsage": 12.5,
            "diskStatus": 0,
            "videoSingle": 1,
            "channels": [],
            "hdds": [
                {
                    "deviceId": device.device_id,
                    "hddNo": 1,
                    "temperature": 38,
                    "poweronday": 3,
                    "selfevaluatingstatus": 0,
                    "allevaluatingstatus": 0,
                }
            ],
        }
    return row


def _share_hours(body: dict[str, Any]) -> int | None:
    """Hours of a share from `applyTimeType` (the example's key has a trailing space); None: permanent."""
    value = body.get("applyTimeType", body.get("applyTimeType "))
    if value is None or value in ("", -1):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in SHARE_HOURS:
        raise CloudFaultError("LAP000001")
    return SHARE_HOURS[value]


def _valid_duration(value: Any) -> bool:
    """`expiredDurationTime`: -1 (permanent) or a positive number of milliseconds."""
    return isinstance(value, int) and not isinstance(value, bool) and (value == -1 or value > 0)


def _shared_info(share: SimShare | None) -> dict[str, Any]:
    """site/search `sharedInfo`: shareType 3 (shared with an installer) waiting (1) or shared (2)."""
    if share is None:
        return {"shareType": 0, "shareState": 0}
    partner = share.partner
    return {
        "shareType": 3,
        "shareState": 2 if share.accepted else 1,
        "shareToCompany": {
            "address": "",
            "companyName": partner.company,
            "email": partner.email,
            "firstName": partner.first_name,
            "lastName": partner.last_name,
            "phone": partner.phone,
            "street": "",
        },
    }
