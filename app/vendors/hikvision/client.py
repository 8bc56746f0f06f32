"""HikPartnerClient: the Hik-Partner Pro OpenAPI calls a technician needs, on a HikCloudSession."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Sequence
from typing import Any

import httpx

from app.backend.redact import REDACTOR
from app.core.clock import Clock
from app.core.decoding import object_items, object_or_empty
from app.core.models import DeviceIdentity
from app.vendors.base import DeviceClient, RegistersDevicesToCloud
from app.vendors.hikvision.errors import HikInvalidRequestError, HikProtocolError, error_for
from app.vendors.hikvision.handover import ALARM_PANEL, HandoverChoice, is_ax_pro, share_items
from app.vendors.hikvision.isapi import decode_isapi
from app.vendors.hikvision.models import (
    CLOUD_MODEL,
    VENDOR_ID,
    AccessToken,
    AddOutcome,
    Camera,
    CloudDevice,
    Customer,
    DeviceToAdd,
    Installer,
    Page,
    Site,
    SiteManager,
    decode_add_outcomes,
    integer,
    text,
)
from app.vendors.hikvision.pages import PAGE_SIZE, read_all_pages
from app.vendors.hikvision.reports import AlarmBatch, HealthReport, IsapiResult, UpgradeProgress
from app.vendors.hikvision.session import (
    LONG_POLL_TIMEOUT,
    HikCloudSession,
    bearer_headers,
    region_of,
)


class UpgradeCredentials(enum.Enum):
    """What device/upgrade needs besides the serial (§3.28)."""

    NONE = "nothing"
    PIN = "the panel's PIN (read from the cloud)"
    USERNAME_PASSWORD = "the panel's username and password"  # noqa: S105  (a description, not a secret)


def upgrade_credentials(device: CloudDevice) -> UpgradeCredentials:
    """First-generation alarm panels (AlarmHost) need username and password; AX Pro panels a PIN."""
    if device.category != ALARM_PANEL:
        return UpgradeCredentials.NONE
    return UpgradeCredentials.PIN if is_ax_pro(device) else UpgradeCredentials.USERNAME_PASSWORD


API = "/api/hpcgw"
ISAPI_PREFIX = f"{API}/v1/device/transparent"


class HikPartnerClient(DeviceClient, RegistersDevicesToCloud):
    """One Hik-Partner Pro account (API key and secret); never closes the injected httpx client."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        token_host: str,
        app_key: str,
        secret_key: str,
        *,
        clock: Clock | None = None,
        renew_margin: float = 600.0,
        rate_limit_delays: tuple[float, ...] | None = None,
    ) -> None:
        extra: dict[str, Any] = {} if rate_limit_delays is None else {"rate_limit_delays": rate_limit_delays}
        self.session = HikCloudSession(
            http, token_host, app_key, secret_key, clock=clock, renew_margin=renew_margin, **extra
        )
        self._app_key = app_key
        self._pins: dict[str, str] = {}

    # --- account -----------------------------------------------------------------------------
    async def login(self) -> None:
        """Get a token (raises HikCredentialsError when the API key or secret is wrong)."""
        await self.session.sign_in()

    async def read_identity(self) -> DeviceIdentity:
        """The cloud account as an identity: keyed by a digest of the API key, named by region."""
        if self.session.token is None:
            await self.login()
        digest = hashlib.sha256(self._app_key.encode()).hexdigest()[:12]
        return DeviceIdentity(
            vendor=VENDOR_ID,
            model=CLOUD_MODEL,
            serial=f"hpp-{digest}",
            name=f"Hik-Partner Pro ({self.region})",
        )

    async def aclose(self) -> None:
        """Nothing to log out of: tokens simply expire."""

    @property
    def region(self) -> str:
        """The account's region from `areaDomain` ("" before sign-in)."""
        return region_of(self.session.area_domain) if self.session.area_domain else ""

    @property
    def token(self) -> AccessToken | None:
        """The current token, if signed in."""
        return self.session.token

    async def search_installers(
        self, search: str = "", *, page: int = 1, page_size: int = 20
    ) -> Page[Installer]:
        """installers/search: employees of the company (ids for site assignment)."""
        data = await self.session.call(
            f"{API}/v1/installers/search",
            {"page": page, "pageSize": page_size, "search": search},
            context="Listing installers",
        )
        return Page.decode(_object(data), Installer.decode)

    # --- sites -------------------------------------------------------------------------------
    async def search_sites(self, search: str = "", *, page: int = 1, page_size: int = 20) -> Page[Site]:
        """site/search: one page of sites matching `search` (name, address, installer; fuzzy)."""
        data = await self.session.call(
            f"{API}/v1/site/search",
            {"page": page, "pageSize": page_size, "search": search},
            context="Searching sites",
        )
        return Page.decode(_object(data), Site.decode)

    async def all_sites(self, search: str = "") -> tuple[Site, ...]:
        """Every site matching `search`, across pages of the document's size."""
        return await read_all_pages(
            lambda number: self.search_sites(search, page=number, page_size=PAGE_SIZE), "sites"
        )

    async def all_installers(self) -> tuple[Installer, ...]:
        """Every employee of the company, across pages."""
        return await read_all_pages(
            lambda number: self.search_installers(page=number, page_size=PAGE_SIZE), "employees"
        )

    async def find_site(self, name: str) -> Site | None:
        """The site whose name is exactly `name` (site/add returns no id, §3.3), or None."""
        return next((site for site in await self.all_sites(name) if site.name == name), None)

    async def add_site(
        self,
        name: str,
        time_zone: int,
        *,
        city: str = "",
        street: str = "",
        state: str = "",
        location: str = "",
        time_sync: bool = True,
    ) -> Site:
        """site/add, then site/search for the new site's id (the add answer carries none)."""
        await self.session.call(
            f"{API}/v1/site/add",
            {
                "name": name,
                "timeZone": time_zone,
                "timeSync": time_sync,
                "siteCity": city,
                "siteStreet": street,
                "siteState": state,
                "location": location,
            },
            context=f"Creating site “{name}”",
        )
        site = await self.find_site(name)
        if site is None:
            raise HikProtocolError(f"The site “{name}” was created but cannot be found.")
        return site

    async def update_site(
        self,
        site_id: str,
        name: str,
        *,
        city: str = "",
        street: str = "",
        state: str = "",
        location: str = "",
    ) -> None:
        """site/{id}/update (the time zone cannot be changed through the API)."""
        await self.session.call(
            f"{API}/v1/site/{site_id}/update",
            {
                "name": name,
                "siteCity": city,
                "siteStreet": street,
                "siteState": state,
                "location": location,
            },
            context="Updating the site",
        )

    async def delete_site(self, site_id: str) -> None:
        """site/{id}/delete: deletes the site AND all its devices."""
        await self.session.call(f"{API}/v1/site/{site_id}/delete", context="Deleting the site")

    async def share_site(
        self, site_id: str, email: str, *, apply_time_type: int = -1, describe: str = ""
    ) -> None:
        """site/share with another company's employee (-1 permanent, 0..4 = 1/2/4/8/24 h)."""
        await self.session.call(
            f"{API}/v1/site/share",
            {
                "siteId": site_id,
                "email": email,
                "applyTimeType": apply_time_type,
                "describe": describe,
            },
            context="Sharing the site",
        )

    async def cancel_site_share(self, site_id: str) -> None:
        """site/share/cancel/{id}."""
        await self.session.call(f"{API}/v1/site/share/cancel/{site_id}", context="Cancelling the site share")

    async def assign_managers(
        self, site_ids: Sequence[str], installer_ids: Sequence[str], *, duration_ms: int = -1
    ) -> None:
        """v2/site/assign: these installers become the sites' managers (previous ones are removed)."""
        await self.session.call(
            f"{API}/v2/site/assign",
            {
                "siteIds": list(site_ids),
                "installerPermissionTimes": [
                    {"installerId": i, "expiredDurationTime": duration_ms} for i in installer_ids
                ],
            },
            context="Assigning site managers",
        )

    async def site_managers(self, site_id: str) -> tuple[SiteManager, ...]:
        """site/sitemanagers (answered under the vendor's spelling `installerMangers`, §3.10)."""
        data = await self.session.call(
            f"{API}/v1/site/sitemanagers", {"siteId": site_id}, context="Listing site managers"
        )
        found = _object(data)
        rows = object_items(found.get("installerMangers") or found.get("installerManagers"))
        return tuple(SiteManager.decode(row) for row in rows)

    async def hand_over(
        self,
        site_id: str,
        account: str,
        devices: Sequence[CloudDevice],
        *,
        is_phone: bool = False,
        remark: str = "",
        choice: HandoverChoice | None = None,
    ) -> None:
        """v2/site/handover/share: share the chosen devices with the permissions chosen for each (by
        default every shareable device with its category's usual permissions, §3.11)."""
        items = share_items(devices, choice or HandoverChoice.defaults(devices))
        await self.session.call(
            f"{API}/v2/site/handover/share",
            {
                "siteId": site_id,
                "batchHcAccount": [{"hcAccount": account, "type": 1 if is_phone else 0}],
                "userSharePermission": items,
                "remark": remark,
            },
            context="Handing the site over",
        )

    async def customers(self, site_id: str) -> tuple[Customer, ...]:
        """v2/site/customer/list: who the site was handed over to and whether they accepted."""
        data = await self.session.call(
            f"{API}/v2/site/customer/list", {"siteId": site_id}, context="Listing the site's customers"
        )
        return tuple(Customer.decode(item) for item in object_items(_object(data).get("customers")))

    async def cancel_customers(self, site_id: str, accounts: Sequence[str]) -> None:
        """site/customer/cancle (sic, §3.16): stop sharing with these end users."""
        await self.session.call(
            f"{API}/v1/site/customer/cancle",
            {"siteId": site_id, "hcAccounts": list(accounts)},
            context="Cancelling the hand-over",
        )

    async def set_cloud_enable(self, site_id: str, enabled: bool) -> None:
        """device/cloud/enable: allow or stop the end user's Hik-Connect operation of the site."""
        await self.session.call(
            f"{API}/v1/device/cloud/enable",
            {"siteId": site_id, "cloudEnable": enabled},
            context="Changing end-user access",
        )

    async def health_report(self, site_id: str) -> HealthReport:
        """site/health/report for every device of the site."""
        data = await self.session.call(
            f"{API}/v1/site/health/report", {"siteId": site_id}, context="Reading the site health report"
        )
        return HealthReport.decode(_object(data))

    # --- devices -----------------------------------------------------------------------------
    async def add_devices(self, site_id: str, devices: Sequence[DeviceToAdd]) -> tuple[AddOutcome, ...]:
        """v2/device/add: one outcome per device, since a "0" envelope can still carry failures."""
        data = await self.session.call(
            f"{API}/v2/device/add",
            {
                "deviceList": [
                    {"deviceSerial": d.serial, "validateCode": d.verification_code} for d in devices
                ],
                "siteId": site_id,
            },
            context="Registering devices",
        )
        return decode_add_outcomes(_object(data), [d.serial for d in devices])

    async def register_device(self, site_id: str, serial: str, verification_code: str) -> None:
        """Add one device to the site (done too when the account already holds it); else its typed error."""
        (outcome,) = await self.add_devices(site_id, [DeviceToAdd(serial, verification_code)])
        if not (outcome.added or outcome.already_yours):
            raise error_for(outcome.code, outcome.message, context=f"Registering {serial}")

    async def list_devices(
        self, *, site_id: str = "", serial: str = "", page: int = 1, page_size: int = 20
    ) -> Page[CloudDevice]:
        """device/list filtered by site and/or serial, with online state and firmware."""
        body: dict[str, Any] = {"page": page, "pageSize": page_size}
        if site_id:
            body["siteId"] = site_id
        if serial:
            body["deviceSerial"] = serial
        data = await self.session.call(f"{API}/v1/device/list", body, context="Listing devices")
        return Page.decode(_object(data), CloudDevice.decode)

    async def site_devices(self, site_id: str) -> tuple[CloudDevice, ...]:
        """Every device of a site, across pages of the document's size."""
        return await read_all_pages(
            lambda number: self.list_devices(site_id=site_id, page=number, page_size=PAGE_SIZE), "devices"
        )

    async def find_device(self, serial: str) -> CloudDevice | None:
        """The account's device with this serial, or None."""
        page = await self.list_devices(serial=serial)
        return next((device for device in page.rows if device.serial == serial), None)

    async def delete_device(self, device_id: str) -> None:
        """device/delete by device id (from device/list)."""
        await self.session.call(f"{API}/v1/device/delete", {"id": device_id}, context="Removing the device")

    async def rename_device(self, device_id: str, name: str) -> None:
        """device/update: give the device the name the customer will see."""
        await self.session.call(
            f"{API}/v1/device/update",
            {"deviceId": device_id, "deviceName": name},
            context="Renaming the device",
        )

    async def cameras(self, serial: str) -> tuple[Camera, ...]:
        """device/camera/list: the device's channels (an array, not paged)."""
        data = await self.session.call(
            f"{API}/v1/device/camera/list", {"deviceSerial": serial}, context="Listing channels"
        )
        return tuple(Camera.decode(item) for item in object_items(data))

    async def pin_code(self, serial: str) -> str:
        """device/pincode/query, cached: the cloud allows 100 queries per device per day (§3.27)."""
        if serial not in self._pins:
            data = await self.session.call(
                f"{API}/v1/device/pincode/query",
                {"deviceSerial": serial},
                context="Reading the device PIN",
                back_off=False,
            )
            self._pins[serial] = text(_object(data), "pin")
        return self._pins[serial]

    # --- firmware ----------------------------------------------------------------------------
    async def upgrade_available(self, serial: str) -> bool:
        """device/upgrade/state: True when the cloud has newer firmware for the device."""
        data = await self.session.call(
            f"{API}/v1/device/upgrade/state", {"deviceSerial": serial}, context="Checking for firmware"
        )
        return integer(_object(data), "isNeedUpgrade") == 1

    async def start_upgrade(
        self, serial: str, *, pin_code: str = "", username: str = "", password: str = ""
    ) -> None:
        """device/upgrade; `data.error` set means the upgrade did not start."""
        body: dict[str, Any] = {"deviceSerial": serial}
        body.update(
            {k: v for k, v in (("pinCode", pin_code), ("username", username), ("password", password)) if v}
        )
        data = await self.session.call(f"{API}/v1/device/upgrade", body, context="Starting the upgrade")
        error = text(_object(data), "error")
        if error and error != "0":
            raise error_for(
                error, text(_object(data), "errorDesc"), context=f"Upgrade of {serial} did not start"
            )

    async def start_device_upgrade(
        self, device: CloudDevice, *, username: str = "", password: str = ""
    ) -> None:
        """device/upgrade for a listed device with what §3.28 asks of it: a first-generation panel its
        username and password (InvalidParameterError without them), an AX Pro its PIN from pincode/query
        (username optional), any other device nothing."""
        needs = upgrade_credentials(device)
        if needs is UpgradeCredentials.USERNAME_PASSWORD:
            if not (username.strip() and password):
                raise HikInvalidRequestError(
                    f"{device.name or device.serial} is a first-generation alarm panel: the cloud "
                    "upgrades it only with the panel's username and password."
                )
            REDACTOR.add(password)
            await self.start_upgrade(device.serial, username=username.strip(), password=password)
        elif needs is UpgradeCredentials.PIN:
            pin = await self.pin_code(device.serial)
            await self.start_upgrade(device.serial, pin_code=pin, username=username.strip())
        else:
            await self.start_upgrade(device.serial)

    async def upgrade_progress(self, serial: str) -> UpgradeProgress:
        """device/upgrade/progress (`statue` 7 finished, 8 failed)."""
        data = await self.session.call(
            f"{API}/v1/device/upgrade/progress", {"deviceSerial": serial}, context="Reading upgrade progress"
        )
        return UpgradeProgress.decode(_object(data), serial)

    # --- events ------------------------------------------------------------------------------
    async def unsubscribe_events(self, serials: Sequence[str]) -> None:
        """mq/subscribe with subType 0: stop the events of `serials`."""
        await self.session.call(
            f"{API}/v1/mq/subscribe",
            {"subType": 0, "subMode": "list", "deviceSerialList": list(serials)},
            context="Unsubscribing from events",
        )

    async def subscribe_events(self, serials: Sequence[str] = ()) -> None:
        """mq/subscribe for all devices (whole account), or only `serials` ("list")."""
        body: dict[str, Any] = {"subType": 1, "subMode": "list" if serials else "all"}
        if serials:
            body["deviceSerialList"] = list(serials)
        await self.session.call(f"{API}/v1/mq/subscribe", body, context="Subscribing to events")

    async def poll_events(self) -> AlarmBatch:
        """mq/messages: long poll (blocks about 20 s when there is nothing); confirm the batch after."""
        data = await self.session.call(
            f"{API}/v1/mq/messages", {}, context="Reading events", timeout=LONG_POLL_TIMEOUT
        )
        return AlarmBatch.decode(_object(data))

    async def confirm_events(self, batch_id: str) -> None:
        """mq/offset: the batch was processed, do not send it again."""
        await self.session.call(f"{API}/v1/mq/offset", {"batchId": batch_id}, context="Confirming events")

    # --- ISAPI pass-through ------------------------------------------------------------------
    async def isapi(
        self,
        method: str,
        uri: str,
        serial: str,
        *,
        body: str = "",
        content_type: str = "application/xml",
        username: str = "",
        password: str = "",
        user_level: int | None = None,
    ) -> IsapiResult:
        """Send an ISAPI request to the device through the cloud (§3.23); errors come back in headers."""
        headers = {"Content-Type": content_type, "X-Devserial": serial}
        if username:
            headers["X-Username"] = username
        if password:
            headers["X-Password"] = password
        if user_level is not None:
            headers["X-Userlevel"] = str(user_level)

        async def send(token: AccessToken) -> IsapiResult:
            response = await self.session.area.request(
                method,
                f"{ISAPI_PREFIX}/{uri.lstrip('/')}",
                headers={**headers, **bearer_headers(token)},
                content=body.encode() if body else None,
                retry=method.upper() == "GET",
                check_status=False,
            )
            return decode_isapi(response, serial)

        return await self.session.with_token(send)


def _object(data: Any) -> dict[str, Any]:
    """The envelope's `data` as an object ({} when absent); anything else is a HikProtocolError."""
    return object_or_empty(data, "Hik-Partner Pro's answer", error=HikProtocolError)
