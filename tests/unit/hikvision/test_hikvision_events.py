"""Event queue: subscribe, long poll (20 s when empty), batch confirmation and redelivery."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app.core.clock import ManualClock
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.errors import HikRateLimitedError
from app.vendors.hikvision.events import follow_events
from app.vendors.hikvision.simulator import HikPartnerSimulator

from .conftest import TOKEN_HOST, area_calls, site_with_devices, with_time


async def test_subscribe_sends_mode_and_serials(client: HikPartnerClient, sim: HikPartnerSimulator) -> None:
    await client.subscribe_events()
    await client.subscribe_events(["Q01728482"])
    assert [s.json() for s in area_calls(sim, "mq/subscribe")] == [
        {"subType": 1, "subMode": "all"},
        {"subType": 1, "subMode": "list", "deviceSerialList": ["Q01728482"]},
    ]


async def test_empty_long_poll_waits_twenty_seconds(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    await client.subscribe_events()
    batch = await with_time(clock, client.poll_events())
    assert area_calls(sim, "mq/messages")[0].json() == {}
    assert batch.batch_id == ""
    assert batch.messages == ()
    assert clock.monotonic() == pytest.approx(20.0)


async def test_long_poll_returns_as_soon_as_a_device_comes_online(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    await client.subscribe_events()
    _site, wanted = await site_with_devices(client, sim, 1)
    first = await client.poll_events()  # deviceadded is reported regardless of subscription
    assert [m.event_type for m in first.messages] == ["deviceadded"]
    await client.confirm_events(first.batch_id)
    assert area_calls(sim, "mq/offset")[0].json() == {"batchId": first.batch_id}
    batch = await with_time(clock, client.poll_events())
    [online] = batch.messages
    assert (online.serial, online.event_type, online.format_type) == (
        wanted[0].serial,
        "deviceonline",
        "JSON",
    )
    assert online.time.endswith("Z")
    assert clock.monotonic() == pytest.approx(6.0)


async def test_unconfirmed_batch_comes_back_and_confirmed_one_does_not(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    await site_with_devices(client, sim, 1)  # not subscribed: only deviceadded is reported
    first = await client.poll_events()
    again = await with_time(clock, client.poll_events())  # not confirmed: re-sent after a while
    assert again.batch_id == first.batch_id
    assert again.messages == first.messages
    assert clock.monotonic() == pytest.approx(15.0)
    await client.confirm_events(again.batch_id)
    empty = await with_time(clock, client.poll_events())
    assert empty.batch_id == ""
    assert empty.messages == ()


async def test_second_concurrent_poll_is_refused(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    await client.login()
    first = asyncio.ensure_future(client.poll_events())
    for _ in range(20):
        await asyncio.sleep(0)
    other = HikPartnerClient(http, TOKEN_HOST, sim.app_key, sim.secret_key, clock=clock, rate_limit_delays=())
    with pytest.raises(HikRateLimitedError) as caught:
        await other.poll_events()
    assert caught.value.code == "LAP068001"
    clock.advance(20)
    assert (await first).messages == ()


async def test_camera_motion_arrives_as_an_xml_alert(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    await client.subscribe_events()
    _site, wanted = await site_with_devices(client, sim, 3)
    camera = wanted[2].serial
    clock.advance(6 + 45)
    batch = await client.poll_events()
    motion = [m for m in batch.messages if m.event_type == "VMD"]
    assert [(m.serial, m.format_type) for m in motion] == [(camera, "XML")]
    assert isinstance(motion[0].alarm_data, str)
    assert "<EventNotificationAlert" in motion[0].alarm_data
    assert motion[0].description == "Motion alarm"
    assert motion[0].time == "2026-01-01T00:00:51Z"


async def test_follow_events_confirms_each_batch_and_resumes_after_errors(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    seen: list[str] = []
    errors: list[str] = []
    await site_with_devices(client, sim, 1)
    # the first subscribe fails after the client's bounded back-off
    sim.scenarios.enable("rate_limited", times=4)
    feed = asyncio.ensure_future(
        follow_events(
            client,
            lambda m: seen.append(m.event_type),
            on_error=lambda e: errors.append(str(e.code)),
            clock=clock,
            retry_delay=5.0,
        )
    )
    for _ in range(40):
        clock.advance(1)
        for _ in range(30):
            await asyncio.sleep(0)
        if "deviceonline" in seen:
            break
    feed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await feed
    assert errors == ["EVZ10029"]
    assert seen[:2] == ["deviceadded", "deviceonline"]
    offsets = [s.json()["batchId"] for s in area_calls(sim, "mq/offset")]
    assert len(offsets) >= 1
    assert sim.state.events.outstanding.keys().isdisjoint(offsets)
