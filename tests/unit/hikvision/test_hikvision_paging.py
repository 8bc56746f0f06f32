"""Lists are read whole in the document's page size (20), and a list that never ends is refused."""

from __future__ import annotations

import httpx
import pytest

from app.core.clock import ManualClock
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.errors import HikProtocolError
from app.vendors.hikvision.models import DeviceToAdd, Page
from app.vendors.hikvision.pages import read_all_pages
from app.vendors.hikvision.simulator import HikPartnerSimulator

from .conftest import TOKEN_HOST, area_calls


async def test_a_site_of_120_devices_is_read_in_six_pages_of_twenty(clock: ManualClock) -> None:
    sim = HikPartnerSimulator(seed=4, clock=clock, calls_per_second=10_000, extra_cameras=120)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim)) as http:
        client = HikPartnerClient(http, TOKEN_HOST, sim.app_key, sim.secret_key, clock=clock)
        site = await client.add_site("Warehouse", 133)
        cameras = [d for d in sim.info.extra["devices"] if d["model"] == "DS-2CD2143G2-I"][-120:]
        wanted = [DeviceToAdd(d["serial"], d["validateCode"]) for d in cameras]
        outcomes = await client.add_devices(site.id, wanted)
        assert all(o.added for o in outcomes)
        devices = await client.site_devices(site.id)
    assert [d.serial for d in devices] == [d["serial"] for d in cameras]
    pages = [(call.json()["page"], call.json()["pageSize"]) for call in area_calls(sim, "v1/device/list")]
    assert pages == [(n, 20) for n in range(1, 7)]


async def test_reading_stops_at_an_empty_page_and_refuses_an_endless_list() -> None:
    asked: list[int] = []

    async def short(number: int) -> Page[int]:
        asked.append(number)
        rows = (number,) if number < 3 else ()
        return Page(number, 20, 10**6, 10**3 if number else 0, rows)

    assert await read_all_pages(short, "numbers", max_pages=5000) == (1, 2)
    assert asked == [1, 2, 3]

    async def endless(number: int) -> Page[int]:
        asked.append(number)
        return Page(number, 20, 10**9, 10**8, (number,))

    asked.clear()
    with pytest.raises(HikProtocolError, match="100000000 pages of numbers"):
        await read_all_pages(endless, "numbers")
    assert asked == [1]


async def test_an_empty_list_reported_as_zero_pages_is_one_call() -> None:
    asked: list[int] = []

    async def empty(number: int) -> Page[int]:
        asked.append(number)
        return Page(1, 20, 0, 0, ())  # the document's example: "total": 0, "totalPage": 0

    assert await read_all_pages(empty, "sites") == ()
    assert asked == [1]
