"""No simulator answers HTTP 500 to malformed input: every route gets junk bodies and wrong-typed fields."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
from starlette.routing import Route

from app.core.clock import ManualClock
from app.vendors.audiocodes.simulator import AudioCodesSimulator
from app.vendors.axis.models import BASIC_DEVICE_INFO_PATH, SNAPSHOT_PATH, STITCHING_PATH
from app.vendors.axis.simulator import AxisSimulator
from app.vendors.hikvision.simulator import HikPartnerSimulator
from app.vendors.hikvision.simulator.app import AREA_PREFIX
from app.vendors.inxpect.simulator import InxpectSimulator
from app.vendors.two_n.endpoints import FUNCTIONS
from app.vendors.two_n.simulator import TwoNSimulator

VENDORS = Path(__file__).resolve().parents[3] / "app" / "vendors"
WRONG: tuple[Any, ...] = ("abc", -1, 1.5, True, None, [], {}, ["abc"], [{}], [{"min": "abc"}])
JUNK = (b"", b"{", b"[]", b"5", b'"x"', b"null")
#: Requests that would restart or reset the device, after which it only answers "restarting".
DISRUPTIVE = re.compile(r"reset|restart|reboot|factoryreset|apply|logout|changePassword|updateToken", re.I)
Request = tuple[str, str, dict[str, Any]]
UPDATE_HEADERS = {"X-Update-Filename": "x", "Content-Range": "bytes x"}


def field_names(vendor: str) -> list[str]:
    """Every identifier-like string in the vendor's package: the field names its simulator reads."""
    names: set[str] = set()
    for path in (VENDORS / vendor).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,40}", text):
                names.add(text)
    return sorted(names)


def json_bodies(names: list[str], wrap: Callable[[dict[str, Any]], Any] = lambda d: d) -> Iterator[bytes]:
    """Junk, then every field at once with each wrong type."""
    yield from JUNK
    for wrong in WRONG:
        yield json.dumps(wrap(dict.fromkeys(names, wrong))).encode()


def route_calls(sim: Any) -> list[tuple[str, str]]:
    """(method, path) of every route of a Starlette-based simulator."""
    routes = [r for r in sim._app.routes if isinstance(r, Route)]
    return [(m, r.path) for r in routes for m in sorted(r.methods or ()) if m != "HEAD"]


async def server_errors(
    sim: Any, requests: Iterator[Request], before_each: Callable[[], object] = lambda: None, **client: Any
) -> list[Request]:
    """The requests the simulator answered with HTTP 500 (a raised error in it is answered so, too)."""
    transport = httpx.ASGITransport(app=sim, raise_app_exceptions=False)
    failed = []
    async with httpx.AsyncClient(transport=transport, base_url="https://127.0.0.1", **client) as http:
        for method, path, kwargs in requests:
            before_each()
            if (await http.request(method, path, **kwargs)).status_code == 500:
                failed.append((method, path, kwargs))
    return failed


async def test_inxpect() -> None:
    sim = InxpectSimulator(device_id=1, seed=1, clock=ManualClock(), password="site-secret-42")
    token = sim._issue_token()
    names = field_names("inxpect")
    routes = route_calls(sim)

    def requests() -> Iterator[Request]:
        for method, path in routes:
            if DISRUPTIVE.search(path):
                continue
            for wrap in (lambda d: d, lambda d: {"configuration": d}):
                for body in json_bodies(names, wrap):
                    yield method, path, {"content": body, "headers": UPDATE_HEADERS}

    assert await server_errors(sim, requests(), headers={"Authorization": f"Bearer {token}"}) == []


async def test_two_n() -> None:
    sim = TwoNSimulator(serial_index=1, seed=1, clock=ManualClock())
    names = field_names("two_n")

    def requests() -> Iterator[Request]:
        for path, function in FUNCTIONS.items():
            if DISRUPTIVE.search(path):
                continue
            for method in sorted(function.methods):
                for wrong in ("abc", "-1", "1.5", "", "99999999999999999999"):
                    yield method, path, {"params": dict.fromkeys(names, wrong)}
                for body in JUNK:
                    yield method, path, {"content": body, "headers": {"Content-Type": "application/json"}}

    auth = httpx.DigestAuth(sim.info.username, sim.info.password)
    assert await server_errors(sim, requests(), auth=auth) == []


async def test_axis() -> None:
    sim = AxisSimulator(serial_index=1, seed=1, clock=ManualClock())
    names = [n for n in field_names("axis") if n[0].islower() and "_" not in n]
    methods = [n for n in names if n.startswith(("get", "set", "rotate", "restore"))]

    def requests() -> Iterator[Request]:
        for path in (STITCHING_PATH, BASIC_DEVICE_INFO_PATH):
            for body in JUNK:
                yield "POST", path, {"content": body}
            for method in methods:
                for version in ("3.0", "1.0", "abc", 3, None):
                    envelope = {"apiVersion": version, "method": method}
                    for body in json_bodies(names, lambda d, e=envelope: {**e, "params": d}):  # type: ignore[misc]
                        yield "POST", path, {"content": body}
        yield "GET", SNAPSHOT_PATH, {"params": dict.fromkeys(names, "abc")}

    auth = httpx.DigestAuth(sim.info.username, sim.info.password)
    assert await server_errors(sim, requests(), auth=auth) == []


async def test_audiocodes() -> None:
    sim = AudioCodesSimulator(serial_index=1, seed=1, clock=ManualClock())
    names = field_names("audiocodes")
    routes = [(method, re.sub(r"\{[^}]+\}", "1", path)) for method, path in route_calls(sim)]

    def requests() -> Iterator[Request]:
        for method, path in routes:
            if DISRUPTIVE.search(path):
                continue
            for body in json_bodies(names):
                yield method, path, {"content": body, "headers": {"Content-Type": "application/json"}}

    assert await server_errors(sim, requests(), auth=httpx.BasicAuth("Admin", "Admin")) == []


async def test_hikvision() -> None:
    clock = ManualClock()
    sim = HikPartnerSimulator(seed=1, clock=clock)
    names = field_names("hikvision")
    paths = [*sim._handlers._fixed, "v1/site/abc/delete", "v1/site/abc/update", "v1/site/share/cancel/abc"]

    def requests() -> Iterator[Request]:
        for body in JUNK:
            yield "POST", "/api/hpcgw/v1/token/get", {"content": body}
        for path in paths:
            if "mq/messages" in path:  # a long poll: it waits on the clock
                continue
            for body in json_bodies(names):
                yield "POST", f"{AREA_PREFIX}/api/hpcgw/{path}", {"content": body}

    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {await cloud_token(sim)}"}
    # A tenth of a second per call keeps the calls under the cloud's per-second limit.
    errors = await server_errors(sim, requests(), lambda: clock.advance(0.1), headers=headers)
    assert errors == []


async def cloud_token(sim: HikPartnerSimulator) -> str:
    """An access token from the simulated token host."""
    transport = httpx.ASGITransport(app=sim)
    async with httpx.AsyncClient(transport=transport, base_url="https://127.0.0.1") as http:
        keys = {"appKey": sim.app_key, "secretKey": sim.secret_key}
        answer = await http.post("/api/hpcgw/v1/token/get", json=keys)
        return str(answer.json()["data"]["accessToken"])
