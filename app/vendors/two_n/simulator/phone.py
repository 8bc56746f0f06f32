"""The simulated SIP side of an intercom: two SIP accounts, outgoing calls that ring, connect and end,
and the call log (§5.6 phone, §5.7 call). Timing runs on the simulator's clock."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from app.vendors.simulation import Scenario
from app.vendors.two_n.simulator.envelope import Params, SimulatorError, ok

if TYPE_CHECKING:
    from app.vendors.two_n.simulator.device import Handler, TwoNSimulator

UNREGISTERED = "sip_unregistered"
REGISTRATION_FAILING = "sip_registration_failing"
NOT_ANSWERING = "callee_not_answering"
SCENARIOS = (
    Scenario(UNREGISTERED, "SIP account 1 has registration switched off (direct SIP URI calls only)"),
    Scenario(REGISTRATION_FAILING, "the SIP registrar refuses account 1: calls to numbers fail"),
    Scenario(NOT_ANSWERING, "dialled peers ring until the call is hung up"),
)
CALL_LOG_KEPT = 100
# The document leaves open which numbers are valid: digits with * # + or a sip:/sips: URI with a host.
_NUMBER = re.compile(r"^\+?[0-9*#]{1,32}$")
_SIP_URI = re.compile(r"^sips?:[^@\s]+@[^@\s]+$")
_REASONS = ("normal", "rejected", "busy")


@dataclass(slots=True)
class SipTiming:
    """Seconds of the simulated SIP side: to ringing, to the peer answering, to a failed call ending."""

    ring_after: float = 0.3
    answer_after: float = 2.0
    fail_after: float = 1.0


@dataclass(slots=True)
class SipAccountState:
    """One SIP account as configured (§5.6.1)."""

    account: int
    enabled: bool
    sip_number: str
    registration_enabled: bool = True


@dataclass(slots=True)
class SimCall:
    """One call from dial to hang-up."""

    session: int
    peer: str
    state: str = "connecting"
    connected_at: float | None = None


@dataclass(slots=True)
class SipSide:
    """Accounts, active calls and the call log of one simulated intercom."""

    sim: TwoNSimulator
    timing: SipTiming = field(default_factory=SipTiming)
    accounts: list[SipAccountState] = field(default_factory=lambda: [
        SipAccountState(1, True, "100"), SipAccountState(2, False, "")])
    calls: dict[int, SimCall] = field(default_factory=dict)
    call_log: list[dict[str, Any]] = field(default_factory=list)
    register_time: int = 0
    _next_session: int = 1
    _next_record: int = 1

    def registered(self, account: SipAccountState) -> bool:
        """Registered with the registrar now (account 1 follows the SIP scenarios)."""
        if not (account.enabled and account.registration_enabled):
            return False
        if account.account == 1:
            return not ({UNREGISTERED, REGISTRATION_FAILING} & self.sim.scenarios.active)
        return True

    def account_json(self, account: SipAccountState) -> dict[str, Any]:
        """One `accounts` item; `registerTime` only while registered, as in the example."""
        registration_enabled = account.registration_enabled and not (
            account.account == 1 and UNREGISTERED in self.sim.scenarios.active)
        item: dict[str, Any] = {
            "account": account.account, "enabled": account.enabled, "sipNumber": account.sip_number,
            "registrationEnabled": registration_enabled, "registered": self.registered(account),
        }
        if item["registered"]:
            item["registerTime"] = self.register_time or int(self.sim.clock.now().timestamp())
        return item

    def scenario_changed(self, name: str, on: bool) -> None:
        """A SIP scenario switched: account 1's registration changes, and says so as an event."""
        if name in (UNREGISTERED, REGISTRATION_FAILING):
            self.register_time = int(self.sim.clock.now().timestamp())
            state = "registered" if self.registered(self.accounts[0]) else "unregistered"
            self.sim.events.emit("RegistrationStateChanged", {"sipAccount": 1, "state": state})

    def dial(self, peer: str) -> SimCall:
        """Start an outgoing call; a number needs a registered account 1, a SIP URI goes direct."""
        call = SimCall(self._next_session, peer)
        self._next_session += 1
        self.calls[call.session] = call
        self._changed(call)
        # The document is silent on calls while unregistered: SIP URIs go direct, numbers fail (assumed).
        reachable = peer.startswith("sip") or self.registered(self.accounts[0])
        if reachable:
            self.sim.later(self.timing.ring_after, lambda: self._advance(call, "connecting", "ringing"))
        else:
            self.sim.later(self.timing.fail_after, lambda: self._end(call, "connecting"))
        return call

    def hangup(self, call: SimCall, reason: str) -> None:
        """End `call` from the intercom's side."""
        self._end(call, call.state, reason)

    def _advance(self, call: SimCall, expected: str, state: str) -> None:
        if self.calls.get(call.session) is not call or call.state != expected:
            return
        call.state = state
        if state == "connected":
            call.connected_at = self.sim.clock.monotonic()
        self._changed(call)
        if state == "ringing" and NOT_ANSWERING not in self.sim.scenarios.active:
            self.sim.later(self.timing.answer_after, lambda: self._advance(call, "ringing", "connected"))

    def _end(self, call: SimCall, expected: str, reason: str = "normal") -> None:
        if self.calls.get(call.session) is not call or call.state != expected:
            return
        del self.calls[call.session]
        call.state = "terminated"
        self._changed(call, reason)
        since = call.connected_at
        duration = int(self.sim.clock.monotonic() - since) if since is not None else 0
        # What `name` holds for a number outside the phone book is left open; the dialled peer is put there.
        record = {"id": self._next_record, "callType": "outgoing", "name": call.peer,
                  "date": self.sim.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"), "duration": duration}
        self._next_record += 1
        self.call_log.insert(0, record)
        del self.call_log[CALL_LOG_KEPT:]

    def _changed(self, call: SimCall, reason: str = "") -> None:
        params: dict[str, Any] = {"direction": "outgoing", "state": call.state, "peer": call.peer,
                                  "session": call.session, "call": call.session}
        if reason:
            params["reason"] = reason
        self.sim.events.emit("CallStateChanged", params)


async def phone_status(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/phone/status (§5.6.1)."""
    number = params.integer("account", low=1, high=2)
    accounts = [a for a in sim.phone.accounts if number is None or a.account == number]
    return ok(sim.state.sw_version, {"accounts": [sim.phone.account_json(a) for a in accounts]})


async def call_log(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/phone/calllog (§5.6.2): GET/POST lists newest first, DELETE removes one record or all."""
    if request.method != "DELETE":
        return ok(sim.state.sw_version, {"callLog": list(sim.phone.call_log)})
    account = request.state.account
    if account is not None and "phone.control" not in account.privileges:
        raise SimulatorError(10)
    record = params.text("id")
    if record is None:  # The document leaves open what DELETE without `id` does; all records are deleted.
        sim.phone.call_log.clear()
        return ok(sim.state.sw_version)
    kept = [entry for entry in sim.phone.call_log if str(entry["id"]) != record]
    if len(kept) == len(sim.phone.call_log):
        raise SimulatorError(12, "id", "record not found")
    sim.phone.call_log[:] = kept
    return ok(sim.state.sw_version)


def _call(sim: TwoNSimulator, params: Params) -> SimCall:
    session = params.integer("session", required=True)
    call = sim.phone.calls.get(session or 0)
    if call is None:  # The document gives no error for an unknown session; 12 names the parameter.
        raise SimulatorError(12, "session")
    return call


async def call_status(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/call/status (§5.7.1): the active calls, or the one asked for."""
    calls = [_call(sim, params)] if params.text("session") is not None else list(sim.phone.calls.values())
    sessions = [{"session": c.session, "direction": "outgoing", "state": c.state} for c in calls]
    return ok(sim.state.sw_version, {"sessions": sessions})


async def call_dial(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/call/dial (§5.7.2): exactly one of `number` and `users`."""
    number, users = params.text("number"), params.text("users")
    if number is not None and users is not None:  # The document says only "an error"; 17 is the closest code.
        raise SimulatorError(17, "users")
    if users is not None:  # The simulated intercom has an empty directory: no uuid names a user.
        raise SimulatorError(12, "users")
    if number is None:
        raise SimulatorError(11, "number")
    peer = number.strip()
    if not (_NUMBER.match(peer) or _SIP_URI.match(peer)):
        raise SimulatorError(12, "number")
    return ok(sim.state.sw_version, {"session": sim.phone.dial(peer).session})


async def call_hangup(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/call/hangup (§5.7.4): `reason` normal (default), rejected or busy."""
    call = _call(sim, params)
    reason = params.text("reason") or "normal"
    if reason not in _REASONS:
        raise SimulatorError(12, "reason")
    sim.phone.hangup(call, reason)
    return ok(sim.state.sw_version)


HANDLERS: dict[str, Handler] = {
    "/api/phone/status": phone_status, "/api/phone/calllog": call_log, "/api/call/status": call_status,
    "/api/call/dial": call_dial, "/api/call/hangup": call_hangup,
}
