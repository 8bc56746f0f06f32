"""A device's clock through the cloud's ISAPI pass-through (§3.23): time mode, time zone and NTP server,
read, set, and read back after setting (XML_Time A.5.30; the NTP server URI of the §3.23 example)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from xml.sax.saxutils import escape

from app.vendors.hikvision.errors import HikInvalidRequestError, HikIsapiError, HikProtocolError
from app.vendors.hikvision.isapi import ISAPI_NS, IsapiSender, xml_text
from app.vendors.hikvision.timezones import TIME_ZONES

TIME_URI = "/ISAPI/System/time"
#: The document's own pass-through example sets the first NTP server at this URI (§3.23).
NTP_URI = "/ISAPI/System/time/ntpServers/1"
#: `timeMode` values of XML_Time (A.5.30); a technician sets NTP or manual.
TIME_MODES = ("manual", "NTP", "local", "satellite", "timecorrect", "platform")
#: A POSIX time zone as ISAPI writes it: "CST-1:00:00", optionally with a DST part.
_POSIX_ZONE = re.compile(r"^[A-Za-z]{3,}([+-]?)(\d{1,2})(?::(\d{2}))?(?::\d{2})?(DST[0-9:,./A-Za-z+-]*)?$")
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
_HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*$")
#: How far a manually set clock may read back from what was sent (the answer's round trip).
MANUAL_TOLERANCE = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class DeviceTime:
    """XML_Time: how the device keeps time, its local time (ISO 8601) and POSIX time zone."""

    mode: str
    local_time: str
    time_zone: str

    @classmethod
    def decode(cls, xml: str) -> DeviceTime:
        """From a <Time> body."""
        return cls(xml_text("timeMode", xml), xml_text("localTime", xml), xml_text("timeZone", xml))


@dataclass(frozen=True, slots=True)
class NtpServer:
    """The device's first NTP server: a host name or IP address, port and interval in minutes."""

    address: str
    port: int = 123
    interval_minutes: int = 60

    @classmethod
    def decode(cls, xml: str) -> NtpServer:
        """From an <NTPServer> body (hostName or ipAddress by addressingFormatType)."""
        by_name = xml_text("addressingFormatType", xml) == "hostname"
        address = xml_text("hostName", xml) if by_name else xml_text("ipAddress", xml)
        return cls(address, _number(xml, "portNo", 123), _number(xml, "synchronizeInterval", 60))

    @property
    def is_ip(self) -> bool:
        """True when the address is an IPv4 address (else a host name)."""
        return _is_ipv4(self.address)

    def to_xml(self) -> str:
        """The <NTPServer> body of the §3.23 example for this server."""
        kind, node = ("ipaddress", "ipAddress") if self.is_ip else ("hostname", "hostName")
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<NTPServer version="2.0" xmlns="{ISAPI_NS}">'
            f"<id>1</id><addressingFormatType>{kind}</addressingFormatType>"
            f"<{node}>{escape(self.address)}</{node}><portNo>{self.port}</portNo>"
            f"<synchronizeInterval>{self.interval_minutes}</synchronizeInterval></NTPServer>"
        )


@dataclass(frozen=True, slots=True)
class DeviceClock:
    """What a device says about its clock; `ntp` is None when it has no NTP server resource."""

    time: DeviceTime
    ntp: NtpServer | None

    @property
    def words(self) -> str:
        """One line for the technician."""
        server = self.ntp
        every = f"every {server.interval_minutes} min" if server else ""
        ntp = f" · NTP server {server.address}:{server.port} {every}" if server else ""
        return f"{self.time.local_time} ({self.time.time_zone}) · time mode {self.time.mode}{ntp}"


@dataclass(frozen=True, slots=True)
class ClockSetting:
    """What to set: the mode (NTP or manual), the time zone, and the NTP server or the manual time."""

    mode: str
    time_zone: str
    ntp: NtpServer | None = None
    local_time: datetime | None = None

    def check(self) -> ClockSetting:
        """The setting, trimmed; HikInvalidRequestError naming what is wrong before anything is sent."""
        zone = self.time_zone.strip()
        if zone_offset(zone) is None:
            raise HikInvalidRequestError(
                f"“{zone}” is not a time zone the device reads (e.g. CST-1:00:00)."
            )
        if self.mode == "NTP":
            if self.ntp is None:
                raise HikInvalidRequestError("Type the NTP server's address.")
            return replace(self, time_zone=zone, ntp=_checked_ntp(self.ntp))
        if self.mode == "manual":
            if self.local_time is None:
                raise HikInvalidRequestError("Give the time to set.")
            return replace(self, time_zone=zone)
        raise HikInvalidRequestError(f"The time mode is NTP or manual, not “{self.mode}”.")

    def time_xml(self) -> str:
        """The <Time> body (localTime only in manual mode, as A.5.30 requires)."""
        local = (
            f"<localTime>{self.local_time:%Y-%m-%dT%H:%M:%S}</localTime>"
            if self.mode == "manual" and self.local_time
            else ""
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Time version="2.0" xmlns="{ISAPI_NS}">'
            f"<timeMode>{self.mode}</timeMode>{local}<timeZone>{escape(self.time_zone)}</timeZone></Time>"
        )


def zone_offset(zone: str) -> timedelta | None:
    """UTC offset of a POSIX zone's standard time ("CST-1:00:00" -> +1 h), or None if it is not one."""
    found = _POSIX_ZONE.match(zone.strip())
    if found is None:
        return None
    sign = 1 if found.group(1) == "-" else -1  # POSIX counts west of UTC as positive
    return sign * timedelta(hours=int(found.group(2)), minutes=int(found.group(3) or 0))


def posix_zone(site_time_zone: int) -> str:
    """The POSIX zone ("CST-1:00:00") for a site's A.2 time-zone number (standard time, no DST rule)."""
    offset = TIME_ZONES.get(site_time_zone, ("", "+00:00"))[1]
    sign = "-" if offset.startswith("+") else "+"  # POSIX counts west of UTC as positive
    hours, minutes = offset[1:].split(":")
    return f"CST{sign if offset != '+00:00' else ''}{int(hours)}:{minutes}:00"


async def read_clock(client: IsapiSender, serial: str) -> DeviceClock:
    """GET the time, then the first NTP server (None when the device does not support it)."""
    time = DeviceTime.decode((await client.isapi("GET", TIME_URI, serial)).body)
    try:
        ntp: NtpServer | None = NtpServer.decode((await client.isapi("GET", NTP_URI, serial)).body)
    except HikIsapiError as err:
        if "notSupport" not in err.message:
            raise
        ntp = None
    return DeviceClock(time, ntp)


async def set_clock(client: IsapiSender, serial: str, setting: ClockSetting) -> DeviceClock:
    """PUT the NTP server (NTP mode) and the time, then read both back; HikProtocolError when the device
    accepted but reads back something else."""
    setting = setting.check()
    if setting.ntp is not None and setting.mode == "NTP":
        await client.isapi("PUT", NTP_URI, serial, body=setting.ntp.to_xml())
    await client.isapi("PUT", TIME_URI, serial, body=setting.time_xml())
    clock = await read_clock(client, serial)
    problem = _read_back_problem(setting, clock)
    if problem:
        raise HikProtocolError(f"{serial} accepted the time settings but reads back {problem}.")
    return clock


def _read_back_problem(setting: ClockSetting, clock: DeviceClock) -> str:
    """What differs between the setting and the device's answer ("" when nothing)."""
    if clock.time.mode != setting.mode:
        return f"time mode {clock.time.mode}"
    if clock.time.time_zone != setting.time_zone:
        return f"time zone {clock.time.time_zone}"
    if setting.mode == "NTP" and clock.ntp != setting.ntp:
        return "another NTP server" if clock.ntp else "no NTP server"
    if setting.mode == "manual" and setting.local_time is not None:
        shown = _local_naive(clock.time.local_time)
        if shown is None or abs(shown - setting.local_time.replace(tzinfo=None)) > MANUAL_TOLERANCE:
            return f"the time {clock.time.local_time}"
    return ""


def _local_naive(text: str) -> datetime | None:
    """The wall-clock part of an ISO 8601 time ("2026-01-02T10:00:00+01:00" -> 10:00), or None."""
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


def _checked_ntp(server: NtpServer) -> NtpServer:
    address = server.address.strip()
    numeric = bool(re.fullmatch(r"[0-9.]+", address))
    if not (_is_ipv4(address) if numeric else _HOST_NAME.match(address)):
        raise HikInvalidRequestError(
            f"“{address}” is not an NTP server address (host name or IPv4 address)."
        )
    if not 1 <= server.port <= 65535:
        raise HikInvalidRequestError("The NTP port is a number from 1 to 65535.")
    if not 1 <= server.interval_minutes <= 10080:
        raise HikInvalidRequestError("The synchronisation interval is 1 minute to 7 days.")
    return replace(server, address=address)


def _is_ipv4(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).version == 4
    except ValueError:
        return False


def _number(xml: str, name: str, default: int) -> int:
    try:
        return int(xml_text(name, xml))
    except ValueError:
        return default
