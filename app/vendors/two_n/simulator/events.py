"""The simulated event log: 10000-event history, channels with long poll and expiry (§5.10)."""

from __future__ import annotations

import asyncio
import random
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core.clock import Clock

HISTORY_SIZE = 10_000
BATCH_SIZE = 128
DEFAULT_DURATION = 90
MAX_DURATION = 3600
#: §5.10.2: events a user lacks the privilege for are silently not queued on that user's channel.
EVENT_PRIVILEGES: dict[str, str] = {
    "KeyPressed": "keypad.monitoring", "KeyReleased": "keypad.monitoring", "CodeEntered": "keypad.monitoring",
    "CardEntered": "uid.monitoring", "InputChanged": "io.monitoring", "OutputChanged": "io.monitoring",
    "SwitchStateChanged": "io.monitoring", "CallStateChanged": "phone.monitoring",
    "RegistrationStateChanged": "phone.monitoring",
}


@dataclass(slots=True)
class Channel:
    """One subscription: its queue, filter and the moment it lapses without a pull."""

    id: int
    filter: frozenset[str]
    duration: int
    expires_at: float
    privileges: frozenset[str] | None = None
    queue: deque[dict[str, Any]] = field(default_factory=deque)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    #: Long polls (GET /api/log/pull) now waiting on this channel for an event.
    pulls_waiting: int = 0

    def wants(self, event: str) -> bool:
        """True when the filter (empty passes all) and the subscriber's privileges let `event` through."""
        if self.filter and event not in self.filter:
            return False
        needed = EVENT_PRIVILEGES.get(event)
        return self.privileges is None or needed is None or needed in self.privileges


class EventLog:
    """Event history and channels of one simulated intercom; ids restart at 1 after each boot."""

    def __init__(self, clock: Clock, rng: random.Random) -> None:
        self._clock = clock
        self._rng = rng
        self._history: deque[dict[str, Any]] = deque(maxlen=HISTORY_SIZE)
        self._channels: dict[int, Channel] = {}
        self._next_id = 1
        self._boot_mono = clock.monotonic()

    def reboot(self) -> None:
        """Forget history and channels as a restart does (the history is "empty by default")."""
        for channel in self._channels.values():
            channel.arrived.set()
        self._history.clear()
        self._channels.clear()
        self._next_id = 1
        self._boot_mono = self._clock.monotonic()

    def wake_all(self) -> None:
        """End every waiting long poll now (they answer with what is queued, possibly nothing)."""
        for channel in self._channels.values():
            channel.arrived.set()

    def emit(self, event: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """Record an event and queue it on every open channel whose filter wants it."""
        record = {
            "id": self._next_id, "utcTime": int(self._clock.now().timestamp()),
            "upTime": int(self._clock.monotonic() - self._boot_mono), "tzShift": 0,
            "event": event, "params": dict(params),
        }
        self._next_id += 1
        self._history.append(record)
        for channel in self._open_channels():
            if channel.wants(event):
                channel.queue.append(record)
                channel.arrived.set()
        return record

    def subscribe(
        self, include: str, events: frozenset[str], duration: int, privileges: frozenset[str] | None = None
    ) -> int:
        """Open a channel; `include` is "new", "all" or "-t"; `privileges` None = unauthenticated service."""
        channel_id = self._rng.randrange(1, 2**32)
        channel = Channel(channel_id, events, duration, self._clock.monotonic() + duration, privileges)
        backlog: list[dict[str, Any]] = []
        if include == "all":
            backlog = list(self._history)
        elif include.startswith("-"):
            since = int(self._clock.now().timestamp()) - int(include[1:])
            backlog = [record for record in self._history if record["utcTime"] >= since]
        channel.queue.extend(record for record in backlog if channel.wants(record["event"]))
        self._channels[channel_id] = channel
        return channel_id

    def channel(self, channel_id: int) -> Channel | None:
        """The open channel with this id, or None if unknown, unsubscribed or lapsed."""
        channel = self._channels.get(channel_id)
        if channel is not None and self._clock.monotonic() > channel.expires_at:
            del self._channels[channel_id]
            return None
        return channel

    def unsubscribe(self, channel_id: int) -> bool:
        """Close a channel; False when it was not open."""
        channel = self.channel(channel_id)
        if channel is None:
            return False
        del self._channels[channel_id]
        channel.arrived.set()
        return True

    async def pull(self, channel: Channel, timeout: int) -> list[dict[str, Any]]:
        """Up to 128 queued events; with none queued, wait for one or `timeout` seconds (long poll)."""
        channel.expires_at = self._clock.monotonic() + channel.duration
        if not channel.queue and timeout > 0:
            channel.arrived.clear()
            waiter = asyncio.ensure_future(channel.arrived.wait())
            sleeper = asyncio.ensure_future(self._clock.sleep(timeout))
            channel.pulls_waiting += 1
            try:
                await asyncio.wait((waiter, sleeper), return_when=asyncio.FIRST_COMPLETED)
            finally:
                channel.pulls_waiting -= 1
                waiter.cancel()
                sleeper.cancel()
            channel.expires_at = self._clock.monotonic() + channel.duration
        return [channel.queue.popleft() for _ in range(min(BATCH_SIZE, len(channel.queue)))]

    def _open_channels(self) -> list[Channel]:
        now = self._clock.monotonic()
        lapsed = [cid for cid, channel in self._channels.items() if now > channel.expires_at]
        for cid in lapsed:
            del self._channels[cid]
        return list(self._channels.values())
