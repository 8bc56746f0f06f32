"""The 2N phone and call services against a simulated intercom served over HTTPS on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from app.backend.session import pinned_client
from app.core.clock import SystemClock
from app.core.models import Credentials
from app.sim.server import RunningDevice, serve_device
from app.vendors.two_n.call_models import CallDirection, CallState, HangupReason
from app.vendors.two_n.call_test import registration_problems, watch_call
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.errors import (
    TwoNInvalidParameterError,
    TwoNMissingParameterError,
    TwoNParameterConflictError,
)
from app.vendors.two_n.simulator import TwoNSimulator
from app.vendors.two_n.simulator.phone import (
    NOT_ANSWERING,
    REGISTRATION_FAILING,
    UNREGISTERED,
    SipTiming,
)
from tests.waiting import read_until, wait_until


@pytest.fixture
async def intercom() -> AsyncIterator[tuple[TwoNSimulator, TwoNClient]]:
    sim = TwoNSimulator(serial_index=0, seed=3, clock=SystemClock())
    sim.phone.timing = SipTiming(ring_after=0.05, answer_after=0.3, fail_after=0.1)
    running: RunningDevice
    async with serve_device(sim) as running, pinned_client(running.certificate.cert_der) as http:
        yield sim, TwoNClient(http, running.endpoint, Credentials(sim.info.username, sim.info.password))


async def test_registration_state_follows_the_scenarios(intercom) -> None:
    sim, client = intercom
    first, second = await client.phone_status()
    assert (first.account, first.registered, first.sip_number) == (1, True, "100")
    assert first.verdict == "registered"
    assert first.register_time is not None
    assert (second.account, second.enabled, second.verdict) == (2, False, "account disabled")
    assert registration_problems((first, second)) == []

    sim.scenarios.enable(UNREGISTERED)
    (only,) = await client.phone_status(account=1)
    assert (only.registration_enabled, only.registered) == (False, False)
    assert only.verdict == "registration switched off"
    assert sim.requests.for_path("/api/phone/status")[-1].params() == {"account": "1"}
    sim.scenarios.disable(UNREGISTERED)

    sim.scenarios.enable(REGISTRATION_FAILING)
    accounts = await client.phone_status()
    assert (accounts[0].registration_enabled, accounts[0].registered) == (True, False)
    assert accounts[0].verdict == "NOT registered"
    assert registration_problems(accounts) == ["SIP account 1 (100) is not registered."]
    sim.scenarios.disable(REGISTRATION_FAILING)
    assert (await client.phone_status(account=1))[0].registered


async def test_dial_rings_connects_and_hangs_up_into_the_call_log(intercom) -> None:
    sim, client = intercom
    channel = await client.log_subscribe(events=("CallStateChanged",))
    session = await client.dial("sip:200@pbx.example.invalid")
    assert sim.requests.for_path("/api/call/dial")[-1].params() == {"number": "sip:200@pbx.example.invalid"}
    ringing = await read_until(client.call_status, lambda s: bool(s) and s[0].state is CallState.RINGING)
    assert (ringing[0].session, ringing[0].direction) == (session, CallDirection.OUTGOING)
    connected = await read_until(
        lambda: client.call_status(session), lambda s: s[0].state is CallState.CONNECTED)
    assert connected[0].session == session
    await client.hangup(session, HangupReason.BUSY)
    hangup = sim.requests.for_path("/api/call/hangup")[-1]
    assert hangup.params() == {"session": str(session), "reason": "busy"}
    assert await client.call_status() == ()
    log = await client.call_log()
    assert (log[0].call_type, log[0].name, log[0].duration) == ("outgoing", "sip:200@pbx.example.invalid", 0)
    assert log[0].date is not None
    changes = [event.params for event in await client.log_pull(channel)]
    assert [p["state"] for p in changes] == ["connecting", "ringing", "connected", "terminated"]
    assert changes[-1]["reason"] == "busy"


async def test_watch_reports_each_state_until_the_call_ends(intercom) -> None:
    sim, client = intercom
    sim.scenarios.enable(NOT_ANSWERING)
    seen: list[CallState] = []
    session = await client.dial("201")
    task = asyncio.ensure_future(watch_call(client, session, seen.append, SystemClock(), interval=0.02))
    await wait_until(lambda: CallState.RINGING in seen)
    await client.hangup(session)
    assert await task is CallState.ENDED
    assert seen[-2:] == [CallState.RINGING, CallState.ENDED]
    assert set(seen) <= {CallState.CONNECTING, CallState.RINGING, CallState.ENDED}
    assert (await client.call_log())[0].name == "201"


async def test_a_number_fails_without_registration_but_a_sip_uri_goes_direct(intercom) -> None:
    sim, client = intercom
    sim.scenarios.enable(REGISTRATION_FAILING)
    failed = await client.dial("202")
    states = await read_until(client.call_status, lambda s: all(c.session != failed for c in s))
    assert states == ()
    direct = await client.dial("sip:203@10.0.0.9")
    await read_until(lambda: client.call_status(direct), lambda s: s[0].state is CallState.RINGING)
    await client.hangup(direct)
    assert [e.name for e in await client.call_log()] == ["sip:203@10.0.0.9", "202"]


async def test_bad_numbers_and_sessions_answer_in_the_vendors_error_form(intercom) -> None:
    sim, client = intercom
    with pytest.raises(TwoNInvalidParameterError) as bad_number:
        await client.dial("12ab!")
    assert (bad_number.value.code, bad_number.value.param) == (12, "number")
    with pytest.raises(TwoNMissingParameterError) as missing:
        await client.api.call("GET", "/api/call/dial")
    assert missing.value.param == "number"
    with pytest.raises(TwoNParameterConflictError):
        await client.api.call("GET", "/api/call/dial", params={"number": "1", "users": "x"})
    with pytest.raises(TwoNInvalidParameterError) as unknown:
        await client.hangup(999)
    assert unknown.value.param == "session"
    reply = sim.requests.for_path("/api/call/hangup")[-1]
    assert reply.status == 200
    assert await client.call_status() == ()


async def test_call_log_records_are_deleted_one_by_one_or_all(intercom) -> None:
    _, client = intercom
    for number in ("301", "302"):
        session = await client.dial(number)
        await client.hangup(session)
    newest, oldest = await client.call_log()
    await client.delete_call_log(oldest.id)
    assert [e.id for e in await client.call_log()] == [newest.id]
    with pytest.raises(TwoNInvalidParameterError) as missing:
        await client.delete_call_log(oldest.id)
    assert missing.value.description == "record not found"
    await client.delete_call_log()
    assert await client.call_log() == ()
