"""Raw JSON shapes of the Mediant REST API (TypedDicts) and their parsed, validated forms."""

from __future__ import annotations

import enum
import functools
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, TypedDict, TypeVar

from app.core.decoding import enum_or_unknown, require
from app.core.models import VendorId
from app.vendors.audiocodes.errors import AudioCodesProtocolError

VENDOR_ID: Final = VendorId("audiocodes")

log = logging.getLogger(__name__)
#: The shared field reader, raising this vendor's protocol error.
_field = functools.partial(require, error=AudioCodesProtocolError)
E = TypeVar("E", bound="DeviceEnum")


class DeviceEnum(enum.Enum):
    """An enum fed by the device: unknown values become UNKNOWN (logged once) instead of failing."""

    @classmethod
    def parse(cls: type[E], value: object) -> E:
        """The member whose value is `value`, else UNKNOWN (logged once)."""
        return enum_or_unknown(cls, value, cls["UNKNOWN"], log, source="Mediant")


class OperationalState(DeviceEnum):
    """status.operationalState."""

    UNLOCKED = "UNLOCKED"
    LOCKED = "LOCKED"
    UNKNOWN = "unknown"


class HighAvailability(DeviceEnum):
    """status.highAvailability: standalone ("Not Operational") or an HA pair ("Operational")."""

    NOT_OPERATIONAL = "Not Operational"
    OPERATIONAL = "Operational"
    UNKNOWN = "unknown"


class UpgradeStatus(DeviceEnum):
    """status.upgradeStatus."""

    NONE = "None"
    IN_PROGRESS = "In Progress"
    HITLESS_BEFORE_SWITCH_OVER = "Hitless-beforeSwitchOver"
    HITLESS_BEFORE_SWITCH_BACK = "Hitless-beforeSwitchBack"
    HITLESS_WAIT_RDN_RECONNECT = "Hitless-WaitRdnReconnect"
    UNKNOWN = "unknown"




def _bool(value: object) -> bool:
    """The document shows both JSON booleans and the strings "true"/"false"."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def parse_timestamp(text: str) -> datetime | None:
    """An RFC 3339 device time ("2010-01-17T17:29:15.000Z" or "2016-06-09 19:00:00+03:00"), or None."""
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """The device's status: who it is, its clock, and whether a save or reset is pending."""

    local_time: datetime | None
    ip_address: str
    subnet_mask: str
    default_gateway: str
    product_type: str
    version: str
    protocol_type: str
    operational_state: OperationalState
    high_availability: HighAvailability
    serial_number: str
    mac_address: str
    uptime_seconds: int
    save_needed: bool
    reset_needed: bool
    upgrade_status: UpgradeStatus

    @property
    def is_ha_pair(self) -> bool:
        """True when the device runs as one unit of an HA pair."""
        return self.high_availability is HighAvailability.OPERATIONAL

    @classmethod
    def decode(cls, raw: Any) -> DeviceStatus:
        """Validate and normalise a status body."""

        def text(name: str) -> str:
            return str(_field(raw, name, str, "the status answer"))

        return cls(
            local_time=parse_timestamp(text("localTimeStamp")),
            ip_address=raw.get("ipAddress", "") if isinstance(raw.get("ipAddress"), str) else "",
            subnet_mask=str(raw.get("subnetMask", "")),
            default_gateway=str(raw.get("defaultGateway", "")),
            product_type=text("productType"),
            version=text("versionID"),
            protocol_type=str(raw.get("protocolType", "")),
            operational_state=OperationalState.parse(raw.get("operationalState")),
            high_availability=HighAvailability.parse(raw.get("highAvailability")),
            serial_number=text("serialNumber"),
            mac_address=str(raw.get("macAddress", "")),
            uptime_seconds=int(_field(raw, "systemUpTime", int, "the status answer")),
            save_needed=_bool(raw.get("saveNeeded", False)),
            reset_needed=_bool(raw.get("resetNeeded", False)),
            upgrade_status=UpgradeStatus.parse(raw.get("upgradeStatus", "None")),
        )


class LicenseKeyRequest(TypedDict):
    """PUT /api/v1/license as application/json (standalone devices only)."""

    licenseVersion: int
    serialNumber: str
    key: str


@dataclass(frozen=True, slots=True)
class LicenseInfo:
    """The installed license: serial, MAC, encrypted key and the raw feature description."""

    version: int
    serial_number: str
    key: str
    description: str
    mac_address: str

    @classmethod
    def decode(cls, raw: Any) -> LicenseInfo:
        """Validate and normalise a license body."""
        version = raw.get("licenseVersion", 1) if isinstance(raw, dict) else 1
        return cls(
            version=version if isinstance(version, int) and not isinstance(version, bool) else 1,
            serial_number=str(_field(raw, "serialNumber", str, "the license answer")),
            key=str(_field(raw, "key", str, "the license answer")),
            description=str(raw.get("keyDescription", "")),
            mac_address=str(raw.get("macAddress", "")),
        )


@dataclass(frozen=True, slots=True)
class TlsContext:
    """One TLS context listed by GET /files/tls."""

    id: str
    name: str

    @classmethod
    def decode_list(cls, raw: Any) -> list[TlsContext]:
        """The contexts of a GET /files/tls body."""
        items = _field(raw, "tls", list, "the TLS context list answer")
        return [
            cls(id=str(item.get("id", "")), name=str(item.get("name", "")))
            for item in items
            if isinstance(item, dict) and "id" in item
        ]


@dataclass(frozen=True, slots=True)
class PrivateKeyInfo:
    """GET /files/tls/<id>/privateKey: the key's size in bits and whether it is valid."""

    size: int
    valid: bool

    @classmethod
    def decode(cls, raw: Any) -> PrivateKeyInfo:
        """Validate a private key status body."""
        size = int(_field(raw, "size", int, "the private key answer"))
        return cls(size=size, valid=_bool(raw.get("valid")))


@dataclass(frozen=True, slots=True)
class SubjectFields:
    """Subject of a CSR or self-signed certificate, in the document's attribute names."""

    common_name: str
    organizational_unit: str = ""
    organization: str = ""
    locality: str = ""
    state: str = ""
    country: str = ""

    def to_json(self) -> dict[str, str]:
        """The request attributes (empty ones left out, so the device default applies)."""
        fields = {
            "subjectName": self.common_name,
            "organizationalUnit": self.organizational_unit,
            "companyName": self.organization,
            "localityName": self.locality,
            "state": self.state,
            "countryCode": self.country,
        }
        return {name: value for name, value in fields.items() if value}


NO_MORE = "-1"


@dataclass(frozen=True, slots=True)
class AlarmSummary:
    """An alarm as listed: id, description, URL of its details."""

    id: str
    description: str
    url: str


@dataclass(frozen=True, slots=True)
class AlarmPage:
    """One page of alarms with the cursors for the next and previous pages ("" when there are none)."""

    alarms: tuple[AlarmSummary, ...]
    after: str
    before: str

    @classmethod
    def empty(cls) -> AlarmPage:
        """What a 204 No Content answer means: no alarms here."""
        return cls((), "", "")

    @classmethod
    def decode(cls, raw: Any) -> AlarmPage:
        """Validate an alarm page; the cursor value "-1" becomes ""."""
        items = _field(raw, "alarms", list, "the alarm list answer")
        cursor = raw.get("cursor") if isinstance(raw.get("cursor"), dict) else {}
        alarms = tuple(
            AlarmSummary(str(item.get("id", "")), str(item.get("description", "")), str(item.get("url", "")))
            for item in items
            if isinstance(item, dict)
        )
        after, before = str(cursor.get("after", NO_MORE)), str(cursor.get("before", NO_MORE))
        return cls(alarms, "" if after == NO_MORE else after, "" if before == NO_MORE else before)


class AlarmSeverity(DeviceEnum):
    """Alarm severities as the device names them."""

    CRITICAL = "Critical"
    MAJOR = "Major"
    MINOR = "Minor"
    WARNING = "Warning"
    INDETERMINATE = "Indeterminate"
    CLEARED = "Cleared"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class AlarmDetail:
    """GET /alarms/<active|history>/<id>: one alarm in full."""

    id: str
    description: str
    severity: AlarmSeverity
    source: str
    date: datetime | None
    url: str
    oid: str = ""

    @classmethod
    def decode(cls, raw: Any) -> AlarmDetail:
        """Validate one alarm's details."""
        return cls(
            id=str(_field(raw, "id", (str, int), "the alarm answer")),
            description=str(raw.get("description", "")),
            severity=AlarmSeverity.parse(raw.get("severity")),
            source=str(raw.get("source", "")),
            date=parse_timestamp(str(raw.get("date", ""))),
            url=str(raw.get("url", "")),
            oid=str(raw.get("oid", "")),
        )


@dataclass(frozen=True, slots=True)
class CliResult:
    """PUT /files/cliScript/incremental: the device's description and the script's output."""

    description: str
    output: str


class DebugFileState(enum.Enum):
    """What the debug file's status URL answered (section 7, Downloading the Debug File)."""

    READY = "ready"
    BEING_CREATED = "being created"
    NO_CONTENT = "not ready or not created"


@dataclass(frozen=True, slots=True)
class DebugFileTicket:
    """POST /files/create/debugFile: where to poll for the file."""

    transaction_id: str
    location: str


@dataclass(frozen=True, slots=True)
class KpiValue:
    """One performance monitoring parameter's current value (section 12, /kpi/current/.../global)."""

    id: str
    name: str
    description: str
    value: str

    @classmethod
    def decode(cls, raw: object) -> KpiValue:
        """From one `items` entry; the document's examples spell the value "value" (and once "Value")."""
        item = raw if isinstance(raw, dict) else {}
        value = item.get("value", item.get("Value", ""))
        pm = str(item.get("id", "")).strip()
        return cls(pm, str(item.get("name") or pm), str(item.get("description", "")), str(value).strip())
