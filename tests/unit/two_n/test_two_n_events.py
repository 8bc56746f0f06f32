"""Event log: long poll, filters, batches of 128, channel expiry and the stream's automatic resubscribe."""

from __future__ import annotations

import asyncio

import pytest

from app.core.clock import ManualClock
from app.core.errors import NotSupportedError
from app.core.models import Credentials
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.endpoints import Service
from app.vendors.two_n.errors import TwoNInvalidParameterError
from app.vendors.two_n.event_stream import RECONNECT_DELAY, EventStream
from app.vendors.two_n.models import LogEvent, SwitchAction
from app.vendors.two_n.simulator import TwoNSimulator
from app.vendors.two_n.simulator.security import Account
from tests.unit.two_n.conftest import advance, drive


async def test_long_poll_waits_for_the_next_event(client: TwoNClient, sim: TwoNSimulator,
                                                  clock: ManualClock) -> None:
    channel = await client.log_subscribe(events=("SwitchStateChanged",))
    pull = asyncio.ensure_future(client.log_pull(channel, timeout=30))
    await advance(clock, 5)
    assert not pull.done()
    await client.switch_control(2, SwitchAction.ON)
    events = await pull
    assert [(e.event, e.params["switch"], e.params["state"]) for e in events] == [
        ("SwitchStateChanged", 2, True)]


async def test_long_poll_times_out_empty(client: TwoNClient, clock: ManualClock) -> None:
    channel = await client.log_subscribe()
    events = await drive(clock, client.log_pull(channel, timeout=10), step=1.0)
    assert events == ()
    assert clock.monotonic() >= 10


async def test_batches_of_128(client: TwoNClient, sim: TwoNSimulator) -> None:
    channel = await client.log_subscribe(events=("KeyPressed",))
    for index in range(200):
        sim.events.emit("KeyPressed", {"key": str(index % 10)})
    first = await client.log_pull(channel)
    second = await client.log_pull(channel)
    assert (len(first), len(second)) == (128, 72)
    assert second[-1].id - first[0].id == 199


async def test_channel_lapses_without_pull_and_extends_with_pull(
    client: TwoNClient, clock: ManualClock
) -> None:
    channel = await client.log_subscribe(duration=30)
    await advance(clock, 25)
    await client.log_pull(channel)  # extends by another 30 s
    await advance(clock, 25)
    await client.log_pull(channel)
    await advance(clock, 31)
    with pytest.raises(TwoNInvalidParameterError) as caught:
        await client.log_pull(channel)
    assert caught.value.param == "id"
    with pytest.raises(TwoNInvalidParameterError):
        await client.log_unsubscribe(channel)


async def test_include_all_and_recent_history(
    client: TwoNClient, sim: TwoNSimulator, clock: ManualClock
) -> None:
    sim.events.emit("KeyPressed", {"key": "1"})
    await advance(clock, 100)
    sim.events.emit("KeyPressed", {"key": "2"})
    everything = await client.log_pull(await client.log_subscribe(include="all", events=("KeyPressed",)))
    recent = await client.log_pull(await client.log_subscribe(include="-10", events=("KeyPressed",)))
    assert [e.params["key"] for e in everything] == ["1", "2"]
    assert [e.params["key"] for e in recent] == ["2"]


async def test_stream_resubscribes_after_expiry_and_unsubscribes_on_close(
    client: TwoNClient, sim: TwoNSimulator, clock: ManualClock
) -> None:
    stream = EventStream(client, events=("SwitchStateChanged",), duration=30, poll_timeout=10, clock=clock)
    received: list[LogEvent] = []
    stop = stream.subscribe(received.append)
    statuses: list[str] = []
    stream.on_status(statuses.append)
    task = asyncio.ensure_future(stream.run())
    await advance(clock, 0)
    first_channel = stream.channel
    assert first_channel is not None
    # The channel is dropped as a restart would drop it; the stream notices and opens a new one.
    sim.events.unsubscribe(first_channel)
    await advance(clock, 10)
    await advance(clock, 0)
    assert stream.channel not in (None, first_channel)
    assert stream.subscriptions == 2
    assert any("resubscribing" in line for line in statuses)
    await client.switch_control(2, SwitchAction.ON)
    await advance(clock, 0)
    assert [e.params["state"] for e in received] == [True]
    stop()
    last_channel = stream.channel
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    unsubscribe = sim.requests.for_path("/api/log/unsubscribe")
    assert unsubscribe[-1].params() == {"id": str(last_channel)}
    assert sim.events.channel(last_channel or 0) is None


async def test_events_without_privilege_are_not_queued(http, endpoint, sim: TwoNSimulator) -> None:
    """§5.10.2: with Logging behind Digest, a user without I/O monitoring never sees switch events."""
    sim.services[Service.LOGGING].auth = "digest"
    sim.accounts.append(Account("keypad", "pw", frozenset({"keypad.monitoring", "switches.control"})))
    client = TwoNClient(http, endpoint, Credentials("keypad", "pw"))
    channel = await client.log_subscribe()
    await client.switch_control(2, SwitchAction.ON)
    sim.events.emit("KeyPressed", {"key": "5"})
    assert [e.event for e in await client.log_pull(channel)] == ["KeyPressed"]


@pytest.mark.parametrize("fault", ["busy", "malformed"])
async def test_stream_subscribes_again_after_a_transient_error_and_says_so(
    client: TwoNClient, sim: TwoNSimulator, clock: ManualClock, fault: str
) -> None:
    stream = EventStream(client, events=("SwitchStateChanged",), duration=30, poll_timeout=10, clock=clock)
    received: list[LogEvent] = []
    stream.subscribe(received.append)
    statuses: list[str] = []
    stream.on_status(statuses.append)
    task = asyncio.ensure_future(stream.run())
    await advance(clock, 0)
    assert stream.subscriptions == 1
    sim.scenarios.enable(fault, times=1)
    await advance(clock, 10)  # the pending pull returns; the next one meets the fault
    await advance(clock, RECONNECT_DELAY)
    await advance(clock, 0)
    assert not task.done()
    assert stream.subscriptions == 2
    failed = [line for line in statuses if line.startswith("Event channel failed")]
    assert failed
    assert failed[0].endswith("; subscribing again in 5 s")
    await client.switch_control(2, SwitchAction.ON)
    await advance(clock, 0)
    assert [e.params["state"] for e in received] == [True]
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_stream_stops_visibly_when_the_account_may_not_listen(
    client: TwoNClient, sim: TwoNSimulator, clock: ManualClock
) -> None:
    sim.services[Service.LOGGING].enabled = False
    stream = EventStream(client, clock=clock)
    statuses: list[str] = []
    stream.on_status(statuses.append)
    with pytest.raises(NotSupportedError):
        await stream.run()
    assert statuses[-1].startswith("Live events stopped:")
