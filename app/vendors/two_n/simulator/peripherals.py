"""Simulated switches, event log and audio test (§5.4, §5.10, §5.11)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from app.vendors.two_n.simulator.envelope import Params, SimulatorError, ok
from app.vendors.two_n.simulator.events import DEFAULT_DURATION, MAX_DURATION
from app.vendors.two_n.simulator.state import SwitchRuntime

if TYPE_CHECKING:
    from app.vendors.two_n.simulator.device import Handler, TwoNSimulator

_ACTIONS = ("on", "off", "trigger", "lock", "unlock", "hold", "release")


def _switches(sim: TwoNSimulator, params: Params) -> list[SwitchRuntime]:
    number = params.integer("switch", low=1, high=len(sim.state.switches))
    runtimes = sim.state.switches
    return [runtimes[number]] if number is not None else list(runtimes.values())


async def switch_caps(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/switch/caps (§5.4.1): a disabled switch carries only its number and `enabled`."""
    items: list[dict[str, Any]] = []
    for runtime in _switches(sim, params):
        spec = runtime.spec
        item: dict[str, Any] = {"switch": spec.switch, "enabled": spec.enabled}
        if spec.enabled:
            item["mode"] = spec.mode
            if spec.mode == "monostable":
                item["switchOnDuration"] = spec.switch_on_duration
            item["type"] = spec.type
        items.append(item)
    return ok(sim.state.sw_version, {"switches": items})


async def switch_status(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/switch/status (§5.4.2); `holdTimeout` only while a timed hold runs."""
    items = []
    for runtime in _switches(sim, params):
        item: dict[str, Any] = {"switch": runtime.spec.switch, "active": runtime.effective,
                                "locked": runtime.locked, "held": runtime.held}
        if runtime.hold_until is not None:
            item["holdTimeout"] = max(int(runtime.hold_until - sim.clock.monotonic()), 0)
        items.append(item)
    return ok(sim.state.sw_version, {"switches": items})


def _notify(sim: TwoNSimulator, runtime: SwitchRuntime, before: bool) -> None:
    if runtime.effective == before:
        return
    number = runtime.spec.switch
    sim.events.emit("SwitchStateChanged", {"switch": number, "state": runtime.effective, "originator": "api"})
    sim.ports.switch_changed(number, runtime.effective)


def _schedule_off(sim: TwoNSimulator, runtime: SwitchRuntime, seconds: float, *, hold: bool) -> None:
    runtime.generation += 1
    generation = runtime.generation
    if hold:
        runtime.hold_until = sim.clock.monotonic() + seconds

    def off() -> None:
        if runtime.generation != generation:
            return
        before = runtime.effective
        if hold:
            runtime.held, runtime.hold_until = False, None
        else:
            runtime.active = False
        _notify(sim, runtime, before)

    sim.later(seconds, off)


def _apply(sim: TwoNSimulator, runtime: SwitchRuntime, action: str, timeout: int | None) -> None:
    spec = runtime.spec
    if not spec.enabled:
        raise SimulatorError(14, description="action failed")
    if action in ("on", "trigger") and runtime.locked:
        raise SimulatorError(14, description="action failed")
    if action == "off" and runtime.held:
        raise SimulatorError(14, description="action failed")
    pulse = spec.mode == "monostable" and action in ("on", "trigger")
    if action == "trigger" and spec.mode == "bistable":
        runtime.active = not runtime.active
    elif action in ("on", "off"):
        runtime.active = action == "on"
    elif action == "trigger":
        runtime.active = True
    elif action in ("lock", "unlock"):
        runtime.locked = action == "lock"
        runtime.active = runtime.active and not runtime.locked
    elif action in ("hold", "release"):
        runtime.held, runtime.hold_until = action == "hold", None
        runtime.generation += 1
    if action == "hold" and timeout is not None:
        _schedule_off(sim, runtime, timeout, hold=True)
    elif pulse or (action == "on" and timeout is not None):
        _schedule_off(sim, runtime, timeout or spec.switch_on_duration, hold=False)


async def switch_ctrl(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/switch/ctrl (§5.4.3); error 14 "action failed" when the state cannot be reached."""
    number = params.integer("switch", required=True, low=1, high=len(sim.state.switches))
    action = params.text("action", required=True)
    if action not in _ACTIONS:
        raise SimulatorError(12, "action")
    timeout = params.integer("timeout", low=1, high=86_400)
    assert number is not None
    assert action is not None
    runtime = sim.state.switches[number]
    before = runtime.effective
    _apply(sim, runtime, action, timeout)
    _notify(sim, runtime, before)
    text = params.text("response")
    if text is not None:
        return Response(text, 200, {"Server": f"HIP{sim.state.sw_version}"}, media_type="text/plain")
    return ok(sim.state.sw_version)


async def log_caps(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/log/caps (§5.10.1)."""
    return ok(sim.state.sw_version, {"events": list(sim.profile.events)})


async def log_subscribe(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/log/subscribe (§5.10.2)."""
    include = params.text("include") or "new"
    if include not in ("new", "all") and not (include.startswith("-") and include[1:].isdigit()):
        raise SimulatorError(12, "include")
    duration = params.integer("duration", low=1, high=MAX_DURATION) or DEFAULT_DURATION
    events = frozenset(e.strip() for e in (params.text("filter") or "").split(",") if e.strip())
    account = getattr(request.state, "account", None)
    privileges = account.privileges if account is not None else None
    channel_id = sim.events.subscribe(include, events, duration, privileges)
    return ok(sim.state.sw_version, {"id": channel_id})


async def log_unsubscribe(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/log/unsubscribe (§5.10.3); an unknown or closed id is error 12 (the document names none)."""
    channel_id = params.integer("id", required=True)
    assert channel_id is not None
    if not sim.events.unsubscribe(channel_id):
        raise SimulatorError(12, "id")
    return ok(sim.state.sw_version)


async def log_pull(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/log/pull (§5.10.4): long poll up to `timeout` s, batches of 128."""
    channel_id = params.integer("id", required=True)
    timeout = params.integer("timeout", low=0) or 0
    assert channel_id is not None
    channel = sim.events.channel(channel_id)
    if channel is None:
        raise SimulatorError(12, "id")
    events = await sim.events.pull(channel, timeout)
    return ok(sim.state.sw_version, {"events": events})


async def audio_test(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/audio/test (§5.11.1): the result follows as an AudioLoopTest event."""
    sim.later(3.0, lambda: sim.events.emit("AudioLoopTest", {"result": "passed"}))
    return ok(sim.state.sw_version)


HANDLERS: dict[str, Handler] = {
    "/api/switch/caps": switch_caps, "/api/switch/status": switch_status, "/api/switch/ctrl": switch_ctrl,
    "/api/log/caps": log_caps, "/api/log/subscribe": log_subscribe,
    "/api/log/unsubscribe": log_unsubscribe, "/api/log/pull": log_pull, "/api/audio/test": audio_test,
}
