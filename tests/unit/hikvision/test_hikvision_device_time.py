"""A device's clock through the ISAPI pass-through (§3.23, A.5.30): read, set NTP or manual time, read back;
the simulated device refuses what a device refuses (A.6/A.7 codes) and the client checks before sending."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.core.clock import ManualClock
from app.core.errors import DeviceProtocolError, InvalidParameterError
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.device_time import (
    NTP_URI,
    ClockSetting,
    DeviceTime,
    NtpServer,
    posix_zone,
    read_clock,
    set_clock,
    zone_offset,
)
from app.vendors.hikvision.errors import HikIsapiError
from app.vendors.hikvision.simulator import HikPartnerSimulator

from .conftest import area_calls, site_with_devices


async def online_door(client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock) -> str:
    _site, wanted = await site_with_devices(client, sim, 1)
    clock.advance(6)
    return wanted[0].serial


async def test_the_clock_is_read_through_the_pass_through(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    serial = await online_door(client, sim, clock)
    found = await read_clock(client, serial)
    assert found.time == DeviceTime("NTP", "2026-01-01T01:00:06+01:00", "CST-1:00:00")
    assert found.ntp == NtpServer("pool.ntp.example", 123, 60)
    time_get, ntp_get = area_calls(sim, "/ISAPI/System/time")[-1], area_calls(sim, NTP_URI)[-1]
    assert (time_get.method, ntp_get.method) == ("GET", "GET")
    assert ntp_get.path.endswith("/api/hpcgw/v1/device/transparent/ISAPI/System/time/ntpServers/1")
    assert ntp_get.headers["x-devserial"] == serial


async def test_ntp_is_set_as_the_documents_example_and_read_back(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    serial = await online_door(client, sim, clock)
    setting = ClockSetting("NTP", " CST-2:00:00 ", ntp=NtpServer(" 10.10.10.10 ", 123, 30))
    found = await set_clock(client, serial, setting)
    [put_ntp] = [c for c in area_calls(sim, NTP_URI) if c.method == "PUT"]
    assert put_ntp.headers["content-type"] == "application/xml"
    body = put_ntp.body.decode()
    for node in ("<id>1</id>", "<addressingFormatType>ipaddress</addressingFormatType>",
                 "<ipAddress>10.10.10.10</ipAddress>", "<portNo>123</portNo>",
                 "<synchronizeInterval>30</synchronizeInterval>"):
        assert node in body
    [put_time] = [c for c in area_calls(sim, "/ISAPI/System/time") if c.method == "PUT"]
    assert "<timeMode>NTP</timeMode>" in put_time.body.decode()
    assert "<localTime>" not in put_time.body.decode()
    assert found.ntp == NtpServer("10.10.10.10", 123, 30)
    assert (found.time.mode, found.time.time_zone) == ("NTP", "CST-2:00:00")
    assert found.time.local_time == "2026-01-01T02:00:06+02:00"
    by_name = ClockSetting("NTP", "CST-2:00:00", ntp=NtpServer("ntp.site.example"))
    host = await set_clock(client, serial, by_name)
    assert host.ntp == NtpServer("ntp.site.example", 123, 60)
    assert "<hostName>ntp.site.example</hostName>" in area_calls(sim, NTP_URI)[-2].body.decode()


async def test_a_manual_time_is_set_and_read_back(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    serial = await online_door(client, sim, clock)
    wanted = datetime(2026, 3, 4, 10, 30, 0)
    found = await set_clock(client, serial, ClockSetting("manual", "CST-1:00:00", local_time=wanted))
    assert found.time.mode == "manual"
    assert found.time.local_time == "2026-03-04T10:30:00+01:00"
    clock.advance(60)
    assert (await read_clock(client, serial)).time.local_time == "2026-03-04T10:31:00+01:00"


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        (ClockSetting("NTP", "Berlin", ntp=NtpServer("10.0.0.1")), "not a time zone"),
        (ClockSetting("NTP", "CST-1:00:00", ntp=NtpServer("10.0.0.999")), "not an NTP server address"),
        (ClockSetting("NTP", "CST-1:00:00", ntp=NtpServer("bad host")), "not an NTP server address"),
        (ClockSetting("NTP", "CST-1:00:00", ntp=NtpServer("10.0.0.1", 0)), "1 to 65535"),
        (ClockSetting("NTP", "CST-1:00:00", ntp=NtpServer("10.0.0.1", 123, 0)), "1 minute to 7 days"),
        (ClockSetting("NTP", "CST-1:00:00"), "NTP server's address"),
        (ClockSetting("manual", "CST-1:00:00"), "time to set"),
        (ClockSetting("satellite", "CST-1:00:00"), "NTP or manual"),
    ],
)
async def test_a_wrong_setting_is_refused_before_anything_is_sent(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock, setting: ClockSetting, words: str
) -> None:
    serial = await online_door(client, sim, clock)
    with pytest.raises(InvalidParameterError, match=words):
        await set_clock(client, serial, setting)
    assert [c for c in area_calls(sim, "/ISAPI/System/time") if c.method == "PUT"] == []
    assert area_calls(sim, NTP_URI) == []


@pytest.mark.parametrize(
    ("uri", "body", "reason"),
    [
        ("/ISAPI/System/time", "<Time><timeMode>manual</timeMode><localTime>yesterday</localTime>"
                               "<timeZone>CST-1:00:00</timeZone></Time>", "timeFormatError"),
        ("/ISAPI/System/time", "<Time><timeMode>sundial</timeMode><timeZone>CST-1:00:00</timeZone></Time>",
         "badParameters"),
        ("/ISAPI/System/time", "<Time><timeMode>NTP</timeMode><timeZone>Berlin</timeZone></Time>",
         "badParameters"),
        ("/ISAPI/System/time", "<Time><timeMode>NTP</timeMode></Time>", "badXmlContent"),
        (NTP_URI, "<NTPServer><id>1</id><addressingFormatType>ipaddress</addressingFormatType>"
                  "<ipAddress>300.1.1.1</ipAddress><portNo>123</portNo>"
                  "<synchronizeInterval>60</synchronizeInterval></NTPServer>", "NTPError"),
        (NTP_URI, "<NTPServer><id>1</id><addressingFormatType>hostname</addressingFormatType>"
                  "<hostName>ntp.example</hostName><portNo>70000</portNo>"
                  "<synchronizeInterval>60</synchronizeInterval></NTPServer>", "badParameters"),
        ("/ISAPI/System/time/ntpServers/2", "<NTPServer/>", "notSupport"),
    ],
)
async def test_the_simulated_device_refuses_what_a_device_refuses(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock, uri: str, body: str, reason: str
) -> None:
    serial = await online_door(client, sim, clock)
    before = await read_clock(client, serial)
    with pytest.raises(HikIsapiError, match=reason) as refused:
        await client.isapi("PUT", uri, serial, body=body)
    assert isinstance(refused.value, DeviceProtocolError)
    assert refused.value.code
    assert await read_clock(client, serial) == before


async def test_a_read_back_that_differs_is_reported(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = await online_door(client, sim, clock)
    clocks = sim._isapi.clocks  # a device that says OK but keeps its old zone
    monkeypatch.setattr(clocks, "put_time", lambda *_: None)
    with pytest.raises(DeviceProtocolError, match="reads back time zone CST-1:00:00"):
        await set_clock(client, serial, ClockSetting("NTP", "CST-3:00:00", ntp=NtpServer("10.0.0.1")))


def test_site_time_zones_become_posix_zones() -> None:
    assert posix_zone(133) == "CST-1:00:00"  # Amsterdam, Berlin +01:00
    assert posix_zone(48) == "CST0:00:00"  # London +00:00
    assert posix_zone(86) == "CST+8:00:00"  # Pacific -08:00
    assert posix_zone(169) == "CST-5:30:00"  # Mumbai +05:30
    for number in (133, 48, 86, 169):
        assert zone_offset(posix_zone(number)) is not None
