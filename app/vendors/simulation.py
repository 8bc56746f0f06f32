"""What every simulator shares: the requests it received, and its named scenarios switched by name."""

from __future__ import annotations

import dataclasses
import enum
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qsl

from starlette.types import Message, Receive, Scope, Send

from app.core.clock import Clock

#: Bytes of each body kept; `size` still counts all of it (firmware images are tens of MB).
BODY_KEPT: Final = 64 * 1024
REQUESTS_KEPT: Final = 500


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request as a simulator received it, before any check (tests assert what the client sent).

    Header names are lower case; values are kept as sent, credentials included (a simulator knows them).
    `at` is the simulator clock's monotonic time on arrival; `status` the HTTP status answered, None
    until the simulator answers (a long poll, a request it never answers).
    """

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes
    size: int
    at: float
    status: int | None = None

    def json(self) -> Any:
        """The body decoded as JSON; ValueError when it is not JSON or was cut at BODY_KEPT."""
        return json.loads(self.body)

    def params(self) -> dict[str, str]:
        """The query parameters (the last of a repeated name wins)."""
        return dict(parse_qsl(self.query, keep_blank_values=True))


class RequestLog:
    """The latest REQUESTS_KEPT requests a simulator received, oldest first."""

    def __init__(self, clock: Clock, *, limit: int = REQUESTS_KEPT) -> None:
        self._clock = clock
        self._items: deque[RecordedRequest] = deque(maxlen=limit)

    def __iter__(self) -> Iterator[RecordedRequest]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: int) -> RecordedRequest:
        return self._items[index]

    def paths(self) -> list[str]:
        """The path of every recorded request, oldest first."""
        return [item.path for item in self._items]

    def for_path(self, path: str, method: str | None = None) -> list[RecordedRequest]:
        """The recorded requests to `path` (and with `method`, if given), oldest first."""
        return [r for r in self._items if r.path == path and (method is None or r.method == method)]

    def clear(self) -> None:
        """Forget every recorded request."""
        self._items.clear()

    async def record(self, scope: Scope, receive: Receive, send: Send) -> tuple[Receive, Send]:
        """Record one HTTP request as it arrives (its body read in full) and, later, the status answered.

        Returns the `receive` and `send` to serve it with: the first replays the body, the second notes
        the status.
        """
        messages: list[Message] = []
        kept, size = bytearray(), 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            kept += chunk[: max(0, BODY_KEPT - len(kept))]
            if not message.get("more_body", False):
                break
        item = RecordedRequest(
            method=str(scope["method"]),
            path=str(scope["path"]),
            query=bytes(scope.get("query_string", b"")).decode("latin-1"),
            headers={k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]},
            body=bytes(kept),
            size=size,
            at=self._clock.monotonic(),
        )
        self._items.append(item)
        pending = deque(messages)

        async def replay() -> Message:
            return pending.popleft() if pending else await receive()

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._answered(item, int(message["status"]))
            await send(message)

        return replay, answer

    def _answered(self, item: RecordedRequest, status: int) -> None:
        for index in range(len(self._items) - 1, -1, -1):
            if self._items[index] is item:
                self._items[index] = dataclasses.replace(item, status=status)
                return


class ScenarioKind(enum.Enum):
    """How a scenario acts once enabled."""

    STATE = "the device is in this state until it is disabled"
    PER_REQUEST = "acts on the requests it concerns: all until disabled, or `times` of them after `after`"
    MOMENTARY = "happens once, when it is enabled"


@dataclass(frozen=True, slots=True)
class Scenario:
    """A named behaviour a simulator can be switched into."""

    name: str
    description: str
    kind: ScenarioKind = ScenarioKind.STATE


#: Called with (name, True) when a scenario is enabled and (name, False) when it switches off.
ScenarioHook = Callable[[str, bool], None]


@dataclass(slots=True)
class _Arming:
    times: int | None
    skip: int


class Scenarios:
    """A simulator's named scenarios: list them, enable or disable one by name, ask which are on."""

    def __init__(self, declared: Iterable[Scenario], on_change: ScenarioHook | None = None) -> None:
        self._declared = {scenario.name: scenario for scenario in declared}
        self._on_change = on_change
        self._on: dict[str, _Arming] = {}

    def __iter__(self) -> Iterator[Scenario]:
        return iter(self._declared.values())

    def __contains__(self, name: object) -> bool:
        return name in self._on

    @property
    def names(self) -> tuple[str, ...]:
        """Every scenario this simulator knows, in declaration order."""
        return tuple(self._declared)

    @property
    def active(self) -> frozenset[str]:
        """The scenarios switched on now."""
        return frozenset(self._on)

    def enable(self, name: str, *, times: int | None = None, after: int = 0) -> None:
        """Switch `name` on; a PER_REQUEST one for `times` requests it concerns once `after` have passed."""
        scenario = self._known(name)
        if times is not None and times < 1:
            raise ValueError(f"times must be at least 1, not {times}")
        if scenario.kind is not ScenarioKind.PER_REQUEST and (times is not None or after):
            raise ValueError(f"scenario {name!r} {scenario.kind.value}; it takes no times or after")
        if scenario.kind is not ScenarioKind.MOMENTARY:
            self._on[name] = _Arming(times, after)
        if self._on_change is not None:
            self._on_change(name, True)

    def disable(self, name: str) -> None:
        """Switch `name` off (nothing happens if it is not on)."""
        self._known(name)
        if self._on.pop(name, None) is not None and self._on_change is not None:
            self._on_change(name, False)

    def take(self, name: str) -> bool:
        """Whether PER_REQUEST `name` acts on the request in hand; counts it against `after` and `times`."""
        if self._known(name).kind is not ScenarioKind.PER_REQUEST:
            raise ValueError(f"scenario {name!r} is not asked per request: {self._known(name).kind.value}")
        arming = self._on.get(name)
        if arming is None:
            return False
        if arming.skip:
            arming.skip -= 1
            return False
        if arming.times is not None:
            arming.times -= 1
            if arming.times == 0:
                self.disable(name)
        return True

    def _known(self, name: str) -> Scenario:
        scenario = self._declared.get(name)
        if scenario is None:
            raise ValueError(f"unknown scenario {name!r}; this simulator knows: {', '.join(self._declared)}")
        return scenario
