"""Hik-Partner Pro data: raw JSON shapes (TypedDicts) and decoded, tolerant dataclasses.

The guide's examples type values loosely (numbers as strings, booleans as 1, stray spaces in serials,
`siteID` beside `siteId`); every `decode()` here coerces, so the rest of the app sees one shape.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Generic, TypeVar

from app.core.decoding import enum_or_unknown, object_items
from app.core.models import VendorId
from app.vendors.hikvision.errors import HikProtocolError, code_from_fail_reason, describe_code

VENDOR_ID: Final = VendorId("hikvision")
#: The model the Hik-Partner Pro cloud goes by in the device list and the history.
CLOUD_MODEL: Final = "Hik-Partner Pro cloud"

log = logging.getLogger(__name__)
T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)
#: Expiry times past this (the year 9999, in ms) cannot be a real token's.
_LATEST_EXPIRY_MS = 253_402_300_799_000


def text(raw: Mapping[str, Any], *names: str) -> str:
    """The first present field among `names` as a trimmed string ("" if none)."""
    for name in names:
        value = raw.get(name)
        if value is not None:
            return str(value).strip()
    return ""


def integer(raw: Mapping[str, Any], *names: str, default: int = 0) -> int:
    """The first present field among `names` as an int, coercing "182" and True; `default` if absent."""
    for name in names:
        value = raw.get(name)
        if value is None or value == "":
            continue
        try:
            return int(value)
        except (TypeError, ValueError, OverflowError):
            log.warning("Hik-Partner Pro field %s is not a number: %r", name, value)
    return default


def boolean(raw: Mapping[str, Any], name: str) -> bool:
    """A Boolean field that the guide sometimes prints as 1/0 or "true"."""
    value = raw.get(name)
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true"}
    return bool(value)


def enum_value(enum_type: type[E], value: int, unknown: E) -> E:
    """`enum_type(value)`, or `unknown` (logged once) for values newer than this app."""
    return enum_or_unknown(enum_type, value, unknown, log, source="Hik-Partner Pro")


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A cloud token, when it ends, and the regional host every later call must use."""

    value: str
    expires_at: datetime
    area_domain: str

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> AccessToken:
        """From token/get `data`; tolerates the §3.1 example's un-enveloped keys with trailing spaces."""
        clean = {str(k).strip(): v for k, v in raw.items()}
        millis = integer(clean, "expireTime")
        if not 0 <= millis <= _LATEST_EXPIRY_MS:
            raise HikProtocolError("Hik-Partner Pro returned a token with an impossible expiry time.")
        return cls(
            value=text(clean, "accessToken"),
            expires_at=datetime.fromtimestamp(millis / 1000, tz=UTC),
            area_domain=text(clean, "areaDomain").rstrip("/"),
        )


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a paged list."""

    page: int
    page_size: int
    total: int
    total_pages: int
    rows: tuple[T, ...]

    @classmethod
    def decode(cls, raw: Mapping[str, Any], row: Callable[[Mapping[str, Any]], T]) -> Page[T]:
        """From a `data` with page/pageSize/rows/total/totalPage."""
        rows = object_items(raw.get("rows"))
        return cls(
            page=integer(raw, "page", default=1),
            page_size=integer(raw, "pageSize", default=20),
            total=integer(raw, "total", default=len(rows)),
            total_pages=integer(raw, "totalPage", default=1),
            rows=tuple(row(item) for item in rows),
        )


class DeliveryStatus(enum.Enum):
    """site/search `siteDeliveryStatus`."""

    NOT_HANDED_OVER = 0
    HANDOVER_IN_PROGRESS = 1
    HANDED_OVER = 2
    UNKNOWN = -1


class ShareType(enum.Enum):
    """site/search `sharedInfo.shareType` (§3.6)."""

    NOT_SHARED = 0
    SHARED_WITH_MAINTAINER = 1
    SHARED_WITH_US_TO_MAINTAIN = 2
    SHARED_WITH_INSTALLER = 3
    SHARED_WITH_US_TO_INSTALL = 4
    UNKNOWN = -1


class ShareState(enum.Enum):
    """site/search `sharedInfo.shareState` (§3.6; printed legibly with the ARC site info, §3.40)."""

    WAITING_FOR_END_USER = 0
    WAITING_FOR_COMPANY = 1
    SHARED = 2
    DENIED_BY_END_USER = 3
    DENIED_BY_COMPANY = 4
    UNKNOWN = -1


@dataclass(frozen=True, slots=True)
class SiteSharing:
    """Who a site is shared with (or by): `sharedInfo` with its shareToCompany / shareFromCompany."""

    type: ShareType = ShareType.NOT_SHARED
    state: ShareState = ShareState.WAITING_FOR_END_USER
    company: str = ""
    person: str = ""
    email: str = ""

    @classmethod
    def decode(cls, raw: Any) -> SiteSharing:
        """From `sharedInfo` (absent or not an object: not shared)."""
        if not isinstance(raw, Mapping):
            return cls()
        other = raw.get("shareToCompany") or raw.get("shareFromCompany")
        party: Mapping[str, Any] = other if isinstance(other, Mapping) else {}
        return cls(
            enum_value(ShareType, integer(raw, "shareType"), ShareType.UNKNOWN),
            enum_value(ShareState, integer(raw, "shareState"), ShareState.UNKNOWN),
            text(party, "companyName"),
            f"{text(party, 'firstName')} {text(party, 'lastName')}".strip(),
            text(party, "email"),
        )

    @property
    def shared(self) -> bool:
        """True when the site is shared with or by another company."""
        return self.type not in (ShareType.NOT_SHARED, ShareType.UNKNOWN)


@dataclass(frozen=True, slots=True)
class Site:
    """A customer site as site/search lists it."""

    id: str
    name: str
    time_zone: int
    city: str = ""
    street: str = ""
    state: str = ""
    location: str = ""
    installer: str = ""
    delivery: DeliveryStatus = DeliveryStatus.NOT_HANDED_OVER
    cloud_enable: bool = True
    sharing: SiteSharing = SiteSharing()

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> Site:
        """From a site/search row (`siteName`, `timeZone` as a string)."""
        installer = f"{text(raw, 'installerFirstName')} {text(raw, 'installerLastName')}".strip()
        return cls(
            id=text(raw, "id"),
            name=text(raw, "siteName", "name"),
            time_zone=integer(raw, "timeZone"),
            city=text(raw, "siteCity"),
            street=text(raw, "siteStreet"),
            state=text(raw, "siteState"),
            location=text(raw, "location"),
            installer=installer,
            delivery=enum_value(DeliveryStatus, integer(raw, "siteDeliveryStatus"), DeliveryStatus.UNKNOWN),
            cloud_enable=boolean(raw, "cloudEnable") if "cloudEnable" in raw else True,
            sharing=SiteSharing.decode(raw.get("sharedInfo")),
        )

    @property
    def address(self) -> str:
        """Street, city and state joined for display."""
        return ", ".join(part for part in (self.street, self.city, self.state) if part)


@dataclass(frozen=True, slots=True)
class Installer:
    """An employee of the installer company (installers/search)."""

    id: str
    first_name: str
    last_name: str
    email: str
    is_admin: bool

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> Installer:
        """From an installers/search row."""
        return cls(
            text(raw, "id"),
            text(raw, "firstName"),
            text(raw, "lastName"),
            text(raw, "email"),
            boolean(raw, "isAdmin"),
        )

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class SiteManager:
    """A site manager (site/sitemanagers) and when the permission ends (None: permanent)."""

    id: str
    full_name: str
    email: str
    phone: str
    expires_at: datetime | None

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> SiteManager:
        """From an `installerMangers` row; `expireDurationTime` is epoch ms (-1 permanent), often a string."""
        millis = integer(raw, "expireDurationTime", "expiredDurationTime", default=-1)
        expires = datetime.fromtimestamp(millis / 1000, tz=UTC) if 0 < millis <= _LATEST_EXPIRY_MS else None
        name = f"{text(raw, 'installerFirstName')} {text(raw, 'installerLastName')}".strip()
        email, phone = text(raw, "installerEmail"), text(raw, "installerPhone")
        return cls(text(raw, "installerId"), name, email, phone, expires)


class OnlineStatus(enum.Enum):
    """device/list `deviceOnlineStatus`."""

    OFFLINE = 0
    ONLINE = 1
    UNKNOWN = 2


CATEGORY_NAMES = {
    1: "camera",
    2: "NVR",
    3: "alarm panel",
    4: "intercom",
    5: "access control",
    7: "dome camera",
    8: "doorbell",
    9: "storage box",
    10: "thermal camera",
    11: "switch",
}


@dataclass(frozen=True, slots=True)
class CloudDevice:
    """A device registered in the account (device/list row)."""

    id: str
    serial: str
    name: str
    online: OnlineStatus
    firmware: str
    model: str
    category: int
    sub_category: int
    site_id: str
    site_name: str

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> CloudDevice:
        """From a device/list row (`siteID` per the guide, `siteId` accepted)."""
        return cls(
            id=text(raw, "id"),
            serial=text(raw, "deviceSerial"),
            name=text(raw, "deviceName"),
            online=enum_value(
                OnlineStatus, integer(raw, "deviceOnlineStatus", default=2), OnlineStatus.UNKNOWN
            ),
            firmware=text(raw, "deviceVersion"),
            model=text(raw, "deviceType"),
            category=integer(raw, "deviceCategory"),
            sub_category=integer(raw, "deviceSubCategory"),
            site_id=text(raw, "siteID", "siteId"),
            site_name=text(raw, "siteName"),
        )

    @property
    def kind(self) -> str:
        """The category in words."""
        return CATEGORY_NAMES.get(self.category, "device")


@dataclass(frozen=True, slots=True)
class DeviceToAdd:
    """One device typed or pasted by the technician: serial and the verification code from its label."""

    serial: str
    verification_code: str


@dataclass(frozen=True, slots=True)
class AddOutcome:
    """What happened to one device in v2/device/add."""

    serial: str
    added: bool
    name: str = ""
    code: str = ""

    @property
    def already_yours(self) -> bool:
        """The device was already in this account (treated as done)."""
        return self.code in {"EVZ20017", "EVZ20020", "EVZ20029", "LAP006008"}

    @property
    def message(self) -> str:
        """The outcome in words for the technician."""
        if self.added:
            return f"added as “{self.name}”" if self.name else "added"
        return describe_code(self.code)


def decode_add_outcomes(raw: Mapping[str, Any], requested: Sequence[str]) -> tuple[AddOutcome, ...]:
    """Per-device outcomes of v2/device/add in request order; a serial in neither list counts as failed."""
    found: dict[str, AddOutcome] = {}
    for item in object_items(raw.get("addSuccessList")):
        serial = text(item, "deviceSerial")
        found[serial] = AddOutcome(serial, True, name=text(item, "deviceName"))
    for item in object_items(raw.get("addFailedList")):
        serial = text(item, "deviceSerial")
        code = code_from_fail_reason(text(item, "failReason")) or "LAP006001"
        found[serial] = AddOutcome(serial, False, code=code)
    return tuple(found.get(serial, AddOutcome(serial, False, code="LAP006001")) for serial in requested)


@dataclass(frozen=True, slots=True)
class Camera:
    """One channel of a device (device/camera/list)."""

    channel_no: int
    name: str
    online: bool

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> Camera:
        """From a camera/list item (`status` 1 online)."""
        return cls(
            integer(raw, "channelNo"), text(raw, "channelName", "deviceName"), integer(raw, "status") == 1
        )


class CustomerStatus(enum.Enum):
    """v2/site/customer/list `status` (a string in the guide)."""

    REJECTED = 0
    APPROVED = 1
    PENDING = 2
    EXPIRED = 3
    NOT_REGISTERED = 4
    UNKNOWN = -1


@dataclass(frozen=True, slots=True)
class Customer:
    """An end user a site was handed over to."""

    account: str
    is_phone: bool
    status: CustomerStatus

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> Customer:
        """From a customers[] item."""
        status = enum_value(CustomerStatus, integer(raw, "status", default=-1), CustomerStatus.UNKNOWN)
        return cls(text(raw, "hcAccount"), integer(raw, "type") == 1, status)
