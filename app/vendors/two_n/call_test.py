"""A test call from the intercom and the SIP registration check, Qt-free (§5.6.1, §5.7)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.core.clock import Clock
from app.vendors.two_n.call_models import CallLogEntry, CallState, HangupReason, SipAccount
from app.vendors.two_n.client import TwoNClient

#: How often call/status is read while a call is live (the document offers no push but the event stream).
CALL_POLL_INTERVAL = 0.1


@dataclass(frozen=True, slots=True)
class PhoneOverview:
    """The Calls view: every SIP account's registration and the call log."""

    accounts: tuple[SipAccount, ...]
    call_log: tuple[CallLogEntry, ...]


async def read_phone(client: TwoNClient) -> PhoneOverview:
    """GET /api/phone/status and /api/phone/calllog."""
    accounts = await client.phone_status()
    return PhoneOverview(accounts, await client.call_log())


def registration_problems(accounts: tuple[SipAccount, ...]) -> list[str]:
    """What keeps the intercom from being reachable by its SIP numbers; empty when every account that
    should register is registered."""
    problems = [f"SIP account {a.account} ({a.sip_number or 'no number'}) is not registered."
                for a in accounts if a.enabled and a.registration_enabled and not a.registered]
    if not any(a.enabled for a in accounts):
        problems.append("No SIP account is enabled: the intercom cannot call.")
    return problems


async def call_state(client: TwoNClient, session: int) -> CallState:
    """The state of call `session` from call/status; ENDED once it is no longer listed."""
    listed = {call.session: call.state for call in await client.call_status()}
    return listed.get(session, CallState.ENDED)


async def watch_call(
    client: TwoNClient, session: int, on_state: Callable[[CallState], None], clock: Clock,
    *, interval: float = CALL_POLL_INTERVAL,
) -> CallState:
    """Read call/status until `session` is no longer listed, telling `on_state` each new state; ENDED."""
    last: CallState | None = None
    while True:
        state = await call_state(client, session)
        if state is not last:
            last = state
            on_state(state)
        if state is CallState.ENDED:
            return state
        await clock.sleep(interval)


@dataclass(frozen=True, slots=True)
class TestCallOutcome:
    """What a wizard test call saw: every state, in order, and whether it connected."""

    number: str
    states: tuple[CallState, ...]

    @property
    def connected(self) -> bool:
        """True when the peer answered."""
        return CallState.CONNECTED in self.states


async def place_test_call(
    client: TwoNClient, number: str, clock: Clock, *, within: float,
    on_state: Callable[[CallState], None] | None = None,
) -> TestCallOutcome:
    """Dial `number`, wait up to `within` s for it to connect, then hang up (or see it end)."""
    session = await client.dial(number)
    states: list[CallState] = []
    waited = 0.0
    while waited <= within:
        state = await call_state(client, session)
        if not states or states[-1] is not state:
            states.append(state)
            if on_state is not None:
                on_state(state)
        if state in (CallState.CONNECTED, CallState.ENDED):
            break
        await clock.sleep(CALL_POLL_INTERVAL)
        waited += CALL_POLL_INTERVAL
    if states[-1] is not CallState.ENDED:
        await client.hangup(session, HangupReason.NORMAL)
    return TestCallOutcome(number, tuple(states))
