"""Relays and inputs (document §5.5), Qt-free: read the ports, watch their levels, drive an output."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from app.core.clock import Clock
from app.core.errors import DeviceError
from app.core.progress import ProgressReporter
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.models import IoAction, LogEvent

#: Seconds between two io/status reads while the view is shown; one read is in flight at a time.
POLL_INTERVAL = 1.0
#: After failed reads the interval doubles up to this, so a device in trouble is not hammered.
POLL_MAX_INTERVAL = 16.0
#: How long a pulse holds an output at log. 1 unless the technician picks another length.
DEFAULT_PULSE_SECONDS = 2
PULSE_STAGES = ("Output on", "Holding", "Output off")
PORT_EVENTS = frozenset({"InputChanged", "OutputChanged"})


@dataclass(frozen=True, slots=True)
class IoPortView:
    """One port as the view shows it: its name, `input` or `output` (io/caps), its level (io/status)."""

    port: str
    kind: str
    level: int | None

    @property
    def is_output(self) -> bool:
        """True for a port io/ctrl can drive."""
        return self.kind == "output"

    @property
    def level_text(self) -> str:
        """"ON (1)", "off (0)" or "?" before the first read."""
        if self.level is None:
            return "?"
        return "ON (1)" if self.level else "off (0)"


def merge_levels(ports: tuple[IoPortView, ...], levels: dict[str, int | None]) -> tuple[IoPortView, ...]:
    """`ports` with the levels of a later io/status read (a port it did not list keeps "?")."""
    return tuple(IoPortView(p.port, p.kind, levels.get(p.port)) for p in ports)


def after_event(ports: tuple[IoPortView, ...], event: LogEvent) -> tuple[IoPortView, ...] | None:
    """`ports` after an InputChanged / OutputChanged event (boolean `state`, §5.10); None for any other
    event or a port not listed."""
    port, state = event.params.get("port"), event.params.get("state")
    if event.event not in PORT_EVENTS or not isinstance(state, bool) or all(p.port != port for p in ports):
        return None
    return tuple(IoPortView(p.port, p.kind, int(state)) if p.port == port else p for p in ports)


async def read_levels(client: TwoNClient) -> dict[str, int | None]:
    """GET /api/io/status: port name -> level."""
    return {port.port: port.state for port in await client.io_status()}


async def read_ports(client: TwoNClient) -> tuple[IoPortView, ...]:
    """GET /api/io/caps, then /api/io/status: every port with its kind and level."""
    caps = await client.io_caps()
    ports = tuple(IoPortView(port.port, port.type, None) for port in caps)
    return merge_levels(ports, await read_levels(client))


def describe_change(port: IoPortView, action: IoAction | None, pulse_seconds: int = 0) -> str:
    """What the technician confirms: the output, its level now and what it becomes (action None: a pulse)."""
    now = f"{port.port} is {port.level_text} now."
    wired = "Whatever is wired to it (a lock, a gate, a light) operates."
    if action is None:
        return f"{now} It goes ON (log. 1) for {pulse_seconds} s, then back off (log. 0). {wired}"
    target = "ON (log. 1)" if action is IoAction.ON else "off (log. 0)"
    if port.level is not None and bool(port.level) == (action is IoAction.ON):
        return f"{now} Switching it {target} changes nothing."
    return f"{now} It is switched {target} and stays so until changed again. {wired}"


async def drive_output(client: TwoNClient, port: str, action: IoAction) -> int | None:
    """GET /api/io/ctrl, then the port's level read back (it may differ: another command may drive it)."""
    await client.io_control(port, action)
    return (await read_levels(client)).get(port)


async def pulse_output(
    client: TwoNClient, port: str, seconds: float, clock: Clock, reporter: ProgressReporter
) -> int | None:
    """Drive `port` to log. 1, hold `seconds`, then back to 0 (also when cancelled); its final level."""
    reporter.stage(PULSE_STAGES[0])
    await client.io_control(port, IoAction.ON)
    try:
        reporter.stage(PULSE_STAGES[1])
        await clock.sleep(seconds)
    finally:
        reporter.stage(PULSE_STAGES[2])
        # A cancelled pulse must not leave the output on: the off goes out even then.
        await asyncio.shield(client.io_control(port, IoAction.OFF))
    return (await read_levels(client)).get(port)


async def watch_levels(
    client: TwoNClient,
    on_levels: Callable[[dict[str, int | None]], None],
    on_error: Callable[[DeviceError], None],
    clock: Clock,
    *,
    interval: float = POLL_INTERVAL,
    max_interval: float = POLL_MAX_INTERVAL,
) -> None:
    """Read io/status every `interval` s until cancelled; after a failure wait twice as long (at most
    `max_interval`), back to `interval` after the next good read."""
    wait = interval
    while True:
        try:
            on_levels(await read_levels(client))
            wait = interval
        except DeviceError as err:
            on_error(err)
            wait = min(wait * 2, max_interval)
        await clock.sleep(wait)
