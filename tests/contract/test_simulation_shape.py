"""The shared simulator shape: a request log that records before any check, and scenarios switched by name."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

from app.core.clock import ManualClock
from app.vendors.simulation import BODY_KEPT, RequestLog, Scenario, ScenarioKind, Scenarios
from tests.waiting import wait_until


class EchoDevice:
    """Answers the body's length (so the replayed body is checked), or waits on `hold` for /wait."""

    def __init__(self, clock: ManualClock) -> None:
        self.requests = RequestLog(clock)
        self.hold = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        receive, send = await self.requests.record(scope, receive, send)
        request = Request(scope, receive)
        if request.url.path == "/wait":
            await self.hold.wait()
        body = await request.body()
        await PlainTextResponse(str(len(body)), status_code=201)(scope, receive, send)


async def test_a_request_is_recorded_with_its_answer_and_the_app_still_reads_the_whole_body() -> None:
    clock = ManualClock()
    clock.advance(12.5)
    device = EchoDevice(clock)
    big = bytes(range(256)) * (BODY_KEPT // 256 + 10)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=device), base_url="https://d") as http:
        response = await http.put("/upload?part=2&x=", content=big, headers={"X-Update-Filename": "a.bin"})
    assert response.text == str(len(big))
    [recorded] = device.requests
    assert (recorded.method, recorded.path, recorded.query) == ("PUT", "/upload", "part=2&x=")
    assert recorded.params() == {"part": "2", "x": ""}
    assert recorded.headers["x-update-filename"] == "a.bin"
    assert (recorded.size, recorded.body) == (len(big), big[:BODY_KEPT])
    assert (recorded.at, recorded.status) == (12.5, 201)
    with pytest.raises(ValueError):
        recorded.json()


async def test_a_request_is_recorded_on_arrival_and_its_status_once_answered() -> None:
    device = EchoDevice(ManualClock())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=device), base_url="https://d") as http:
        pending = asyncio.ensure_future(http.post("/wait", json={"a": 1}))
        await wait_until(device.requests.paths)
        assert device.requests[-1].status is None
        assert device.requests[-1].json() == {"a": 1}
        device.hold.set()
        await pending
        await http.get("/other")
    assert [(r.method, r.path, r.status) for r in device.requests] == [
        ("POST", "/wait", 201), ("GET", "/other", 201)
    ]
    assert device.requests.for_path("/wait", "GET") == []
    device.requests.clear()
    assert len(device.requests) == 0


def test_scenarios_are_listed_and_unknown_names_are_refused_with_the_known_ones() -> None:
    scenarios = Scenarios([
        Scenario("busy", "answers busy", ScenarioKind.PER_REQUEST),
        Scenario("reboot", "restarts", ScenarioKind.MOMENTARY),
        Scenario("masked", "covered"),
    ])
    assert scenarios.names == ("busy", "reboot", "masked")
    assert [s.description for s in scenarios] == ["answers busy", "restarts", "covered"]
    with pytest.raises(ValueError, match="busy, reboot, masked"):
        scenarios.enable("explode")
    with pytest.raises(ValueError, match="at least 1"):
        scenarios.enable("busy", times=0)
    with pytest.raises(ValueError, match="happens once"):
        scenarios.enable("reboot", times=2)
    with pytest.raises(ValueError, match="until it is disabled"):
        scenarios.enable("masked", after=1)


def test_a_scenario_acts_until_disabled_or_for_its_times_after_skipping_after() -> None:
    changes: list[tuple[str, bool]] = []
    busy = Scenario("busy", "answers busy", ScenarioKind.PER_REQUEST)
    scenarios = Scenarios([busy], lambda name, on: changes.append((name, on)))
    assert not scenarios.take("busy")
    scenarios.enable("busy")
    assert "busy" in scenarios
    assert [scenarios.take("busy") for _ in range(3)] == [True, True, True]
    scenarios.disable("busy")
    assert scenarios.active == frozenset()
    scenarios.enable("busy", times=2, after=1)
    assert [scenarios.take("busy") for _ in range(5)] == [False, True, True, False, False]
    assert changes == [("busy", True), ("busy", False), ("busy", True), ("busy", False)]


def test_a_momentary_scenario_happens_when_enabled_and_is_never_on() -> None:
    changes: list[tuple[str, bool]] = []
    reboot = Scenario("reboot", "restarts", ScenarioKind.MOMENTARY)
    scenarios = Scenarios([reboot], lambda name, on: changes.append((name, on)))
    scenarios.enable("reboot")
    scenarios.enable("reboot")
    assert changes == [("reboot", True), ("reboot", True)]
    assert "reboot" not in scenarios
    with pytest.raises(ValueError, match="not asked per request"):
        scenarios.take("reboot")


def test_a_state_scenario_is_on_until_disabled() -> None:
    changes: list[tuple[str, bool]] = []
    scenarios = Scenarios([Scenario("masked", "covered")], lambda name, on: changes.append((name, on)))
    scenarios.enable("masked")
    assert scenarios.active == frozenset({"masked"})
    scenarios.disable("masked")
    scenarios.disable("masked")
    assert changes == [("masked", True), ("masked", False)]
