"""The simulated devices' clocks behind the ISAPI pass-through: /ISAPI/System/time (XML_Time, A.5.30) and
the NTP server of the §3.23 example (/ISAPI/System/time/ntpServers/1), with A.6/A.7 refusals."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from app.core.clock import Clock
from app.vendors.hikvision.device_time import zone_offset

ISAPI_NS = "http://www.isapi.org/ver20/XMLSchema"
TIME_MODES = ("manual", "NTP", "local", "satellite", "timecorrect", "platform")
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
#: (statusCode, subStatusCode, X-DeviceCode) of the refusals a device answers (A.6, A.7 time module).
BAD_PARAMETERS = (6, "badParameters", "0x60000001")
BAD_XML = (6, "badXmlContent", "0x60000003")
TIME_FORMAT_ERROR = (6, "timeFormatError", "0x00300003")
NTP_ERROR = (6, "NTPError", "0x00300002")
NOT_SUPPORTED = (4, "notSupport", "0x40000001")
Refusal = tuple[int, str, str]


@dataclass(slots=True)
class SimDeviceClock:
    """One device's clock settings; a manual time is kept as an offset from true time."""

    mode: str = "NTP"
    zone: str = "CST-1:00:00"
    offset: timedelta = timedelta(0)
    ntp_kind: str = "hostname"
    ntp_address: str = "pool.ntp.example"
    ntp_port: int = 123
    ntp_interval: int = 60


def element(name: str, xml: str) -> str | None:
    """The trimmed text of <name> (namespace prefix ignored), or None when absent."""
    found = re.search(rf"<(?:\w+:)?{name}>\s*([^<]*?)\s*</(?:\w+:)?{name}>", xml)
    return None if found is None else found.group(1)


class DeviceClocks:
    """Every device's clock by serial, on the simulator's clock."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._by_serial: dict[str, SimDeviceClock] = {}

    def of(self, serial: str) -> SimDeviceClock:
        """The clock of `serial` (factory settings until changed)."""
        return self._by_serial.setdefault(serial, SimDeviceClock())

    def time_xml(self, serial: str) -> str:
        """GET /ISAPI/System/time: the device's local time with its offset."""
        state = self.of(serial)
        shift = zone_offset(state.zone) or timedelta(0)
        local = self._clock.now().astimezone(timezone(shift)) + state.offset
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Time version="2.0" xmlns="{ISAPI_NS}">'
            f"<timeMode>{state.mode}</timeMode><localTime>{local.isoformat(timespec='seconds')}</localTime>"
            f"<timeZone>{state.zone}</timeZone></Time>"
        )

    def put_time(self, serial: str, body: str) -> Refusal | None:
        """PUT /ISAPI/System/time: timeMode and timeZone required, localTime for manual/local."""
        mode, zone, local = element("timeMode", body), element("timeZone", body), element("localTime", body)
        if mode is None or zone is None:
            return BAD_XML
        shift = zone_offset(zone)
        if mode not in TIME_MODES or shift is None:
            return BAD_PARAMETERS
        state = self.of(serial)
        if mode in ("manual", "local"):
            wanted = _wall_clock(local)
            if wanted is None:
                return TIME_FORMAT_ERROR
            true_local = self._clock.now().astimezone(timezone(shift)).replace(tzinfo=None)
            state.offset = wanted - true_local
        else:
            state.offset = timedelta(0)
        state.mode, state.zone = mode, zone
        return None

    def ntp_xml(self, serial: str) -> str:
        """GET /ISAPI/System/time/ntpServers/1."""
        state = self.of(serial)
        node = "ipAddress" if state.ntp_kind == "ipaddress" else "hostName"
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<NTPServer version="2.0" xmlns="{ISAPI_NS}">'
            f"<id>1</id><addressingFormatType>{state.ntp_kind}</addressingFormatType>"
            f"<{node}>{state.ntp_address}</{node}><portNo>{state.ntp_port}</portNo>"
            f"<synchronizeInterval>{state.ntp_interval}</synchronizeInterval></NTPServer>"
        )

    def put_ntp(self, serial: str, body: str) -> Refusal | None:
        """PUT /ISAPI/System/time/ntpServers/1: a valid address of the stated kind, port, interval."""
        kind = element("addressingFormatType", body)
        if element("id", body) not in (None, "1") or kind not in ("ipaddress", "hostname"):
            return BAD_PARAMETERS
        address = element("ipAddress" if kind == "ipaddress" else "hostName", body) or ""
        if not (_is_ipv4(address) if kind == "ipaddress" else bool(_HOST.match(address))):
            return NTP_ERROR
        port, interval = _integer(element("portNo", body)), _integer(element("synchronizeInterval", body))
        if not (1 <= port <= 65535 and 1 <= interval <= 10080):
            return BAD_PARAMETERS
        state = self.of(serial)
        state.ntp_kind, state.ntp_address, state.ntp_port, state.ntp_interval = kind, address, port, interval
        return None


def _wall_clock(text: str | None) -> datetime | None:
    """ISO 8601 "2018-02-01T19:54:04" (an offset, if any, is the device's own and ignored), or None."""
    if not text or not re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", text):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


def _is_ipv4(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).version == 4
    except ValueError:
        return False


def _integer(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        return 0
