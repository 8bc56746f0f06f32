"""Hik-Partner Pro status data: upgrade progress (`statue`), site health reports and alarm events."""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.decoding import decode_json, object_items
from app.core.errors import DeviceError
from app.vendors.hikvision.models import enum_value, integer, text

log = logging.getLogger(__name__)
_XML_FIELDS = ("deviceSerial", "eventType", "dateTime", "eventDescription")


def _xml_field(name: str, xml: str) -> re.Match[str] | None:
    """The text of the first <name> element of an ISAPI alert (namespaces ignored)."""
    return re.search(rf"<(?:\w+:)?{name}>\s*([^<]*?)\s*</(?:\w+:)?{name}>", xml)


class UpgradeStage(enum.Enum):
    """upgrade/progress `statue` (sic, §3.29)."""

    PENDING = 0
    STARTING = 1
    DOWNLOADING = 2
    DOWNLOADED = 3
    WRITING = 4
    WRITTEN = 5
    REBOOTING = 6
    FINISHED = 7
    FAILED = 8
    UNKNOWN = -1


UPGRADE_STAGE_WORDS = {
    UpgradeStage.PENDING: "waiting to start",
    UpgradeStage.STARTING: "starting",
    UpgradeStage.DOWNLOADING: "downloading firmware",
    UpgradeStage.DOWNLOADED: "download finished",
    UpgradeStage.WRITING: "writing firmware",
    UpgradeStage.WRITTEN: "firmware written",
    UpgradeStage.REBOOTING: "rebooting (offline for a moment)",
    UpgradeStage.FINISHED: "upgrade finished",
    UpgradeStage.FAILED: "upgrade failed",
    UpgradeStage.UNKNOWN: "unknown state",
}


@dataclass(frozen=True, slots=True)
class UpgradeProgress:
    """A snapshot of a cloud firmware upgrade."""

    serial: str
    stage: UpgradeStage
    percent: int
    error: str = ""
    error_text: str = ""

    @classmethod
    def decode(cls, raw: Mapping[str, Any], serial: str) -> UpgradeProgress:
        """From upgrade/progress `data`: the vendor's `statue`, or `status` if a server ever fixes it."""
        stage = enum_value(UpgradeStage, integer(raw, "statue", "status", default=-1), UpgradeStage.UNKNOWN)
        return cls(
            text(raw, "deviceSerial") or serial,
            stage,
            integer(raw, "progress"),
            text(raw, "error"),
            text(raw, "errorDesc"),
        )

    @property
    def ended(self) -> bool:
        """Finished or failed: nothing more will happen."""
        return self.stage in {UpgradeStage.FINISHED, UpgradeStage.FAILED}

    @property
    def words(self) -> str:
        """The stage in words, with the device's error when failed."""
        words = UPGRADE_STAGE_WORDS[self.stage]
        if self.stage is UpgradeStage.FAILED and (self.error_text or self.error):
            words += f": {self.error_text or self.error}"
        return words


@dataclass(frozen=True, slots=True)
class HealthEntry:
    """One device in a site health report."""

    serial: str
    name: str
    model: str
    online: bool
    firmware: str
    ip: str
    last_offline: str
    verdict: str

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> HealthEntry:
        """From a reportDetail item (`devicelp` as printed, `deviceIp` as meant)."""
        alarm = raw.get("alarmDeviceStatus") or {}
        verdict = text(alarm, "operRes") if isinstance(alarm, Mapping) else ""
        return cls(
            serial=text(raw, "deviceSerial"),
            name=text(raw, "deviceName"),
            model=text(raw, "deviceModel"),
            online=integer(raw, "onlineStatus") == 1,
            firmware=text(raw, "deviceVersion"),
            ip=text(raw, "deviceIp", "devicelp"),
            last_offline=text(raw, "lastOfflineTime"),
            verdict=verdict,
        )


@dataclass(frozen=True, slots=True)
class HealthReport:
    """site/health/report: one entry per device of the site."""

    site_id: str
    entries: tuple[HealthEntry, ...]

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> HealthReport:
        """From the report `data`."""
        entries = tuple(HealthEntry.decode(item) for item in object_items(raw.get("reportDetail")))
        return cls(text(raw, "siteId"), entries)

    @property
    def offline(self) -> tuple[HealthEntry, ...]:
        """Entries of devices that are offline."""
        return tuple(entry for entry in self.entries if not entry.online)


@dataclass(frozen=True, slots=True)
class AlarmMessage:
    """One event from mq/messages; `alarm_data` is the vendor's payload (object or string)."""

    serial: str
    format_type: str
    event_type: str
    time: str
    description: str
    alarm_data: Any

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> AlarmMessage:
        """From a list[] item; JSON alarmData may be an embedded object or a JSON string."""
        data = raw.get("alarmData")
        if isinstance(data, str) and text(raw, "formatType").upper() == "JSON":
            try:
                data = decode_json(data, "Hik-Partner Pro's alarmData")
            except DeviceError:
                log.warning("Hik-Partner Pro alarmData is not JSON")
        fields: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
        if isinstance(data, str) and text(raw, "formatType").upper() == "XML":
            fields = {name: found.group(1) for name in _XML_FIELDS if (found := _xml_field(name, data))}
        return cls(
            serial=text(raw, "deviceSerial") or text(fields, "deviceSerial"),
            format_type=text(raw, "formatType"),
            event_type=text(fields, "eventType"),
            time=text(fields, "dateTime"),
            description=text(fields, "eventDescription"),
            alarm_data=data,
        )


@dataclass(frozen=True, slots=True)
class AlarmBatch:
    """One mq/messages answer; confirm `batch_id` with mq/offset or it is sent again."""

    batch_id: str
    messages: tuple[AlarmMessage, ...]

    @classmethod
    def decode(cls, raw: Mapping[str, Any]) -> AlarmBatch:
        """From mq/messages `data` (absent or empty when the long poll timed out)."""
        return cls(text(raw, "batchId"), tuple(AlarmMessage.decode(i) for i in object_items(raw.get("list"))))


@dataclass(frozen=True, slots=True)
class IsapiResult:
    """The device's own answer through the ISAPI pass-through."""

    status: int
    content_type: str
    body: str
