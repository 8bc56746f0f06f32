"""Relays and inputs: io/caps, io/status and io/ctrl against the simulated intercom (document §5.5)."""

from __future__ import annotations

import asyncio
import itertools

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.errors import DeviceError
from app.core.progress import ProgressReporter
from app.vendors.simulation import RecordedRequest, RequestLog
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.errors import TwoNInvalidParameterError, TwoNRequestRejectedError
from app.vendors.two_n.io_control import (
    IoPortView,
    after_event,
    describe_change,
    drive_output,
    pulse_output,
    read_ports,
    watch_levels,
)
from app.vendors.two_n.models import IoAction, LogEvent, SwitchAction
from app.vendors.two_n.simulator import TwoNSimulator
from app.vendors.two_n.simulator.io_ports import INPUT1_ACTIVE
from tests.unit.two_n.conftest import advance, drive


def answered(received: RequestLog, path: str) -> list[RecordedRequest]:
    """The requests to `path` that got past the Digest challenge (the first of each is answered 401)."""
    return [r for r in received.for_path(path) if r.status == 200]


async def test_io_ctrl_drives_an_output_and_status_reads_it_back(
    client: TwoNClient, sim: TwoNSimulator, received: RequestLog
) -> None:
    channel = sim.events.subscribe("new", frozenset(), 90, None)
    level = await drive_output(client, "relay2", IoAction.ON)
    ctrl = answered(received, "/api/io/ctrl")[-1]
    assert (ctrl.method, ctrl.params()) == ("GET", {"port": "relay2", "action": "on"})
    assert level == 1
    assert sim.ports.outputs["relay2"] is True
    assert await drive_output(client, "relay2", IoAction.OFF) == 0
    events = sim.events.channel(channel)
    assert events is not None
    changes = [(e["event"], e["params"]) for e in await sim.events.pull(events, 0)]
    assert changes == [("OutputChanged", {"port": "relay2", "state": True}),
                       ("OutputChanged", {"port": "relay2", "state": False})]


async def test_read_ports_merges_caps_and_levels(client: TwoNClient, sim: TwoNSimulator) -> None:
    sim.scenarios.enable(INPUT1_ACTIVE)
    ports = await read_ports(client)
    assert ports == (
        IoPortView("input1", "input", 1), IoPortView("input2", "input", 0), IoPortView("tamper", "input", 0),
        IoPortView("relay1", "output", 0), IoPortView("relay2", "output", 0),
        IoPortView("led_secured", "output", 0),
    )
    assert [p.port for p in ports if p.is_output] == ["relay1", "relay2", "led_secured"]


async def test_a_switch_drives_its_relay(client: TwoNClient, clock: ManualClock) -> None:
    await client.switch_control(1, SwitchAction.ON)
    assert (await client.io_status("relay1"))[0].state == 1
    await advance(clock, 5.0)  # switch 1 is monostable, 5 s
    assert (await client.io_status("relay1"))[0].state == 0


@pytest.mark.parametrize(("query", "code", "param"), [
    ("port=relay9&action=on", 12, "port"),
    ("port=input1&action=on", 12, "port"),
    ("port=relay1&action=toggle", 12, "action"),
    ("port=relay1&action=", 12, "action"),
    ("action=on", 11, "port"),
    ("port=relay1", 11, "action"),
    ("port=%FF%FE&action=on", 12, "port"),
])
async def test_bad_io_ctrl_gets_the_documents_error_form(
    http: httpx.AsyncClient, sim: TwoNSimulator, query: str, code: int, param: str
) -> None:
    sim.services[next(s for s in sim.services if s.value == "I/O API")].auth = "none"
    response = await http.get(f"/api/io/ctrl?{query}")
    assert response.status_code == 200
    assert response.json() == {"success": False, "error": {
        "code": code, "param": param,
        "description": "invalid parameter value" if code == 12 else "missing mandatory parameter"}}
    assert not any(sim.ports.outputs.values())


async def test_unknown_port_is_a_typed_error_naming_the_parameter(client: TwoNClient) -> None:
    with pytest.raises(TwoNInvalidParameterError) as caught:
        await client.io_control("relay9", IoAction.ON)
    assert caught.value.code == 12
    assert caught.value.param == "port"
    with pytest.raises(TwoNInvalidParameterError):
        await client.io_status("nowhere")


async def test_response_parameter_replaces_the_json(http: httpx.AsyncClient, sim: TwoNSimulator) -> None:
    sim.services[next(s for s in sim.services if s.value == "I/O API")].auth = "none"
    response = await http.get("/api/io/ctrl?port=relay1&action=on&response=done")
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == "done"
    assert sim.ports.outputs["relay1"] is True


async def test_a_pulse_switches_back_off(client: TwoNClient, sim: TwoNSimulator, received: RequestLog,
                                         clock: ManualClock) -> None:
    reporter = ProgressReporter(("Output on", "Holding", "Output off"))
    level = await drive(clock, pulse_output(client, "relay1", 3, clock, reporter), step=1.0)
    ctrl = answered(received, "/api/io/ctrl")
    assert [r.params()["action"] for r in ctrl] == ["on", "off"]
    assert ctrl[1].at - ctrl[0].at == 3.0
    assert level == 0
    assert sim.ports.outputs["relay1"] is False


async def test_a_cancelled_pulse_still_switches_the_output_off(
    client: TwoNClient, sim: TwoNSimulator, received: RequestLog, clock: ManualClock
) -> None:
    reporter = ProgressReporter(("Output on", "Holding", "Output off"))
    task = asyncio.ensure_future(pulse_output(client, "relay1", 30, clock, reporter))
    while sim.ports.outputs["relay1"] is False:
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [r.params()["action"] for r in answered(received, "/api/io/ctrl")] == ["on", "off"]
    assert sim.ports.outputs["relay1"] is False


async def test_watching_backs_off_while_the_intercom_refuses(
    client: TwoNClient, sim: TwoNSimulator, received: RequestLog, clock: ManualClock
) -> None:
    seen: list[dict[str, int | None]] = []
    errors: list[DeviceError] = []
    sim.scenarios.enable("busy")
    task = asyncio.ensure_future(watch_levels(
        client, seen.append, errors.append, clock, interval=1.0, max_interval=4.0))
    for _ in range(12):
        await advance(clock, 1.0)
    sim.scenarios.disable("busy")
    for _ in range(8):
        await advance(clock, 1.0)
    task.cancel()
    times = [r.at for r in answered(received, "/api/io/status")]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert gaps[:4] == [2.0, 4.0, 4.0, 4.0]
    assert gaps[-3:] == [1.0, 1.0, 1.0]
    assert all(isinstance(e, TwoNRequestRejectedError) for e in errors)
    assert seen[-1]["relay1"] == 0


def test_the_confirmation_says_what_changes() -> None:
    relay = IoPortView("relay1", "output", 0)
    assert describe_change(relay, IoAction.ON) == (
        "relay1 is off (0) now. It is switched ON (log. 1) and stays so until changed again. "
        "Whatever is wired to it (a lock, a gate, a light) operates.")
    assert describe_change(relay, IoAction.OFF) == (
        "relay1 is off (0) now. Switching it off (log. 0) changes nothing.")
    assert describe_change(relay, None, 2) == (
        "relay1 is off (0) now. It goes ON (log. 1) for 2 s, then back off (log. 0). "
        "Whatever is wired to it (a lock, a gate, a light) operates.")


def test_port_events_change_only_the_port_they_name() -> None:
    ports = (IoPortView("input1", "input", 0), IoPortView("relay1", "output", 0))
    event = LogEvent(1, 0, 0, 0, "InputChanged", {"port": "input1", "state": True})
    assert after_event(ports, event) == (IoPortView("input1", "input", 1), IoPortView("relay1", "output", 0))
    assert after_event(ports, LogEvent(2, 0, 0, 0, "InputChanged", {"port": "input9", "state": True})) is None
    assert after_event(ports, LogEvent(3, 0, 0, 0, "InputChanged", {"port": "input1", "state": 1})) is None
    assert after_event(ports, LogEvent(4, 0, 0, 0, "KeyPressed", {"key": "1"})) is None
