"""Site-side handlers of the simulated cloud: installers, sites, sharing, managers, hand-over, health."""

from __future__ import annotations

from typing import Any

from app.vendors.hikvision.simulator.catalog import WorldDevice
from app.vendors.hikvision.simulator.paging import as_int, listed_objects, listed_scalars, page_of, required
from app.vendors.hikvision.simulator.state import CloudFaultError, CloudState, SimSite


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
        row: dict[str, Any] = {
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
            "sharedInfo": {
                "shareType": 3 if site.shared_with else 0,
                "shareState": 2 if site.shared_with else 0,
            },
        }
        if site.shared_with:
            row["sharedInfo"]["shareToCompany"] = {
                "companyName": "Partner installer",
                "email": site.shared_with,
            }
        return row

    async def site_share(self, body: dict[str, Any]) -> Any:
        """site/share with another company's employee."""
        site = self.state.site(required(body, "siteId"))
        email = required(body, "email")
        if "@" not in email:
            raise CloudFaultError("LAP008082")
        if any(e.email == email for e in self.state.company):
            raise CloudFaultError("LAP008093")
        if site.delivery:
            raise CloudFaultError("LAP008103")
        if site.shared_with:
            raise CloudFaultError("LAP008081")
        site.shared_with = email
        return None

    async def site_share_cancel(self, site_id: str) -> Any:
        """site/share/cancel/{id}."""
        site = self.state.site(site_id)
        if not site.shared_with:
            raise CloudFaultError("LAP008087")
        site.shared_with = ""
        return None

    async def site_assign(self, body: dict[str, Any]) -> Any:
        """v2/site/assign: replaces the managers of every listed site."""
        pairs = listed_objects(body, "installerPermissionTimes")
        site_ids = listed_scalars(body, "siteIds")
        if not site_ids or not pairs or len(pairs) > 100:
            raise CloudFaultError("LAP000001")
        known = {e.id for e in self.state.company}
        managers = []
        for pair in pairs:
            if str(pair.get("installerId")) not in known:
                raise CloudFaultError("LAP012013")
            managers.append((str(pair["installerId"]), as_int(pair.get("expiredDurationTime"), -1)))
        for site_id in site_ids:
            self.state.site(site_id).managers = list(managers)
        return None

    async def site_managers(self, body: dict[str, Any]) -> Any:
        """site/sitemanagers, with the vendor's `installerMangers` spelling."""
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
                    "expireDurationTime": str(d),
                }
                for i, d in site.managers
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
        """device/cloud/enable for the site's end users."""
        site = self.state.site(required(body, "siteId"))
        if not site.customers:
            raise CloudFaultError("LAP008044")
        site.cloud_enable = bool(body.get("cloudEnable"))
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
