"""Area-host API handlers of the simulated cloud: body in, `data` out, CloudFaultError for error codes."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from app.vendors.hikvision.simulator.catalog import PANEL_LOGIN, WorldDevice
from app.vendors.hikvision.simulator.paging import listed_objects, listed_scalars, page_of, required
from app.vendors.hikvision.simulator.sites import SiteHandlers
from app.vendors.hikvision.simulator.state import CloudFaultError, CloudState, iso

if TYPE_CHECKING:
    from app.vendors.hikvision.simulator.app import HikPartnerSimulator

Handler = Callable[[dict[str, Any]], Awaitable[Any]]


class AreaHandlers(SiteHandlers):
    """One method per documented call; `find` maps the path after /api/hpcgw/ to it."""

    def __init__(self, state: CloudState, sim: HikPartnerSimulator) -> None:
        self.state = state
        self.sim = sim
        self._polling = False
        self._fixed: dict[str, Handler] = {
            "v1/installers/search": self.installers,
            "v1/site/add": self.site_add,
            "v1/site/search": self.site_search,
            "v1/site/share": self.site_share,
            "v2/site/assign": self.site_assign,
            "v1/site/sitemanagers": self.site_managers,
            "v2/site/handover/share": self.handover,
            "v2/site/customer/list": self.customer_list,
            "v1/site/customer/cancle": self.customer_cancel,
            "v1/site/health/report": self.health,
            "v2/device/add": self.device_add,
            "v1/device/delete": self.device_delete,
            "v1/device/update": self.device_update,
            "v1/device/list": self.device_list,
            "v1/device/camera/list": self.camera_list,
            "v1/device/upgrade/state": self.upgrade_state,
            "v1/device/upgrade": self.upgrade,
            "v1/device/upgrade/progress": self.upgrade_progress,
            "v1/device/pincode/query": self.pincode,
            "v1/device/cloud/enable": self.cloud_enable,
            "v1/mq/subscribe": self.mq_subscribe,
            "v1/mq/messages": self.mq_messages,
            "v1/mq/offset": self.mq_offset,
        }
        self._patterns: list[tuple[re.Pattern[str], Callable[[str], Handler]]] = [
            (re.compile(r"^v1/site/([^/]+)/delete$"), lambda i: lambda b: self.site_delete(i)),
            (re.compile(r"^v1/site/([^/]+)/update$"), lambda i: lambda b: self.site_update(i, b)),
            (re.compile(r"^v1/site/share/cancel/([^/]+)$"), lambda i: lambda b: self.site_share_cancel(i)),
        ]

    def find(self, rest: str) -> Handler | None:
        """The handler for a path such as "v1/site/search", or None (404)."""
        if rest in self._fixed:
            return self._fixed[rest]
        for pattern, bind in self._patterns:
            found = pattern.match(rest)
            if found:
                return bind(found.group(1))
        return None

    # --- devices -------------------------------------------------------------------------------
    async def device_add(self, body: dict[str, Any]) -> Any:
        """v2/device/add: errorCode "0" with per-device failures in addFailedList (§3.18)."""
        site_id = required(body, "siteId")
        self.state.site(site_id)
        entries = listed_objects(body, "deviceList")
        if not entries:
            raise CloudFaultError("LAP000001")
        succeeded, failed = [], []
        for entry in entries:
            serial = str(entry.get("deviceSerial") or "").strip()
            try:
                device = self.state.add_device(site_id, serial, str(entry.get("validateCode") or "").strip())
            except CloudFaultError as fault:
                failed.append({"deviceSerial": serial, "failReason": f"add Exception{{{fault.code}}}"})
                continue
            succeeded.append(
                {
                    "deviceCategory": str(device.spec.category),
                    "deviceName": device.name,
                    "deviceSerial": serial,
                }
            )
        return {"addFailedList": failed, "addSuccessList": succeeded}

    async def device_delete(self, body: dict[str, Any]) -> Any:
        """device/delete by id."""
        self.state.delete_device(required(body, "id"))
        return None

    async def device_update(self, body: dict[str, Any]) -> Any:
        """device/update: rename."""
        device = self.state.owned_by_id(required(body, "deviceId"))
        name = required(body, "deviceName")
        if len(name) > 128:
            raise CloudFaultError("LAP000001")
        device.name = name
        return None

    async def device_list(self, body: dict[str, Any]) -> Any:
        """device/list with siteId / deviceSerial filters, printed with the example's quirks."""
        self.state.tick()
        site_id = str(body.get("siteId") or body.get("siteld") or "")
        serial = str(body.get("deviceSerial") or "").strip()
        devices = [
            d
            for d in sorted(self.state.world.values(), key=lambda d: d.added_at)
            if d.owner == "us"
            and (not site_id or d.site_id == site_id)
            and (not serial or d.serial == serial)
        ]
        return page_of([self._device_row(d) for d in devices], body)

    def _device_row(self, device: WorldDevice) -> dict[str, Any]:
        site = self.state.sites.get(device.site_id)
        added = self.state.clock.now() - timedelta(seconds=self.state.clock.monotonic() - device.added_at)
        return {
            "id": device.device_id,
            "deviceName": device.name,
            "deviceOnlineStatus": 1 if device.online else 0,
            "deviceSerial": " " + device.serial,
            "deviceVersion": " " + device.firmware,
            "deviceType": device.spec.model,
            "deviceCategory": device.spec.category,
            "deviceSubCategory": device.spec.sub_category,
            "isSubscribed": 1
            if self.state.events.subscribed_all or device.serial in self.state.events.subscribed
            else 0,
            "deviceAddTime": iso(added),
            "timeZone": str(site.time_zone) if site else "",
            "extInfo": "",
            "siteID": device.site_id,
            "siteName": site.name if site else "",
            "deviceShareFlag": False,
            "arcId": "",
            "arcCompanyName": "",
        }

    async def camera_list(self, body: dict[str, Any]) -> Any:
        """device/camera/list: an array of channels."""
        self.state.tick()
        device = self.state.owned(required(body, "deviceSerial"))
        return [
            {
                "deviceSerial": device.serial,
                "ipcSerial": "",
                "channelNo": n,
                "deviceName": device.name,
                "channelName": f"{device.name} channel {n}" if device.spec.channels > 1 else device.name,
                "status": 1 if device.online else 0,
                "isShared": "0",
                "picUrl": "",
                "isEncrypt": 0,
                "videoLevel": 2,
                "relatedIpc": False,
            }
            for n in range(1, device.spec.channels + 1)
        ]

    async def upgrade_state(self, body: dict[str, Any]) -> Any:
        """device/upgrade/state."""
        device = self.state.owned(required(body, "deviceSerial"))
        return {"isNeedUpgrade": 1 if device.needs_upgrade else 0}

    async def upgrade(self, body: dict[str, Any]) -> Any:
        """device/upgrade: first-generation panels need username and password, AX PRO panels the pinCode
        (the example's `pinCdode` is accepted), §3.28."""
        serial = required(body, "deviceSerial")
        device = self.state.owned(serial)
        pin = str(body.get("pinCode") or body.get("pinCdode") or "")
        login = (str(body.get("username") or ""), str(body.get("password") or ""))
        if device.spec.category == 3 and device.spec.sub_category not in (3, 4, 5, 10):
            if login != PANEL_LOGIN:
                return {
                    "deviceSerial": serial,
                    "error": "EVZ60042",
                    "errorDesc": "username and password required",
                }
        elif device.spec.category == 3 and (not pin or pin != device.pin):
            return {"deviceSerial": serial, "error": "EVZ60042", "errorDesc": "pin code required"}
        self.state.start_upgrade(serial)
        return {"deviceSerial": serial, "error": "", "errorDesc": ""}

    async def upgrade_progress(self, body: dict[str, Any]) -> Any:
        """device/upgrade/progress (`statue`)."""
        return self.state.upgrade_snapshot(required(body, "deviceSerial"))

    async def pincode(self, body: dict[str, Any]) -> Any:
        """device/pincode/query (100 a day per device)."""
        serial = required(body, "deviceSerial")
        return {"deviceSerial": serial, "pin": self.state.pin_code(serial)}

    # --- event queue ---------------------------------------------------------------------------
    async def mq_subscribe(self, body: dict[str, Any]) -> Any:
        """mq/subscribe."""
        mode = str(body.get("subMode") or "")
        if mode not in ("all", "list") or body.get("subType") not in (0, 1):
            raise CloudFaultError("LAP000001")
        serials = listed_scalars(body, "deviceSerialList")
        if mode == "list" and not serials:
            raise CloudFaultError("LAP000001")
        self.state.events.subscribe(int(body["subType"]), mode, serials)
        return None

    async def mq_messages(self, body: dict[str, Any]) -> Any:
        """mq/messages: long poll up to `long_poll_seconds`; one poll at a time per key (LAP068001)."""
        if self._polling:
            raise CloudFaultError("LAP068001")
        self._polling = True
        try:

            async def poll() -> Any:
                self.state.tick()
                batch = self.state.events.next_batch(self.state.clock.monotonic())
                if batch is None:
                    return None
                return {"batchId": batch.batch_id, "list": [e.item for e in batch.events]}

            found = await self.sim.wait_for_events(self.sim.long_poll_seconds, poll)
        finally:
            self._polling = False
        return found if found is not None else {"batchId": "", "list": []}

    async def mq_offset(self, body: dict[str, Any]) -> Any:
        """mq/offset: confirm a batch."""
        if not self.state.events.confirm(required(body, "batchId")):
            raise CloudFaultError("LAP000001")
        return None
