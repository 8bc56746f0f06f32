"""Live events from a 2N intercom: a log channel pulled by long poll, resubscribed when it lapses (§5.10)."""

from __future__ import annotations

import contextlib
import logging
from collections import deque
from collections.abc import Callable

from app.core.clock import Clock, SystemClock
from app.core.errors import (
    AuthenticationError,
    DeviceError,
    DeviceTimeoutError,
    DeviceUnreachableError,
    NotSupportedError,
    PermissionDeniedError,
)
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.errors import TwoNInvalidParameterError
from app.vendors.two_n.models import LogEvent

log = logging.getLogger(__name__)

EventCallback = Callable[[LogEvent], None]
StatusCallback = Callable[[str], None]
RECONNECT_DELAY = 5.0
#: Seconds of history asked for when resubscribing, so events during the gap are not lost (`include=-t`).
BACKFILL_SECONDS = 60


#: Errors that subscribing again cannot cure: the account, the service or the function is the problem.
PERMANENT_ERRORS = (AuthenticationError, PermissionDeniedError, NotSupportedError)


def _what_failed(err: DeviceError) -> str:
    """A few words for a transient stream failure."""
    if isinstance(err, (DeviceUnreachableError, DeviceTimeoutError)):
        return "Device not answering"
    return "Event channel failed"


class EventStream:
    """Pulls one log channel until closed; push API: `subscribe(callback) -> unsubscribe`.

    A channel lapses `duration` s after the last pull and disappears when the device restarts; the
    stream then opens a new one with a short history back-fill and drops events it already delivered.
    """

    def __init__(
        self, client: TwoNClient, *, events: tuple[str, ...] = (), duration: int = 90,
        poll_timeout: int = 20, clock: Clock | None = None,
    ) -> None:
        self._client = client
        self._events = events
        self._duration = duration
        self._poll_timeout = poll_timeout
        self._clock = clock or SystemClock()
        self._callbacks: list[EventCallback] = []
        self._status_callbacks: list[StatusCallback] = []
        self._seen: deque[tuple[int, int]] = deque(maxlen=512)
        self.channel: int | None = None
        self.subscriptions = 0

    def subscribe(self, callback: EventCallback) -> Callable[[], None]:
        """Call `callback` for every new event; returns the function that stops it."""
        self._callbacks.append(callback)
        return lambda: self._callbacks.remove(callback) if callback in self._callbacks else None

    def on_status(self, callback: StatusCallback) -> None:
        """Call `callback` with a short line whenever the stream connects, lapses or loses the device."""
        self._status_callbacks.append(callback)

    async def run(self) -> None:
        """Pull until cancelled; always unsubscribes the channel on the way out."""
        try:
            while True:
                try:
                    await self._pull_channel()
                except PERMANENT_ERRORS as err:
                    self._status(f"Live events stopped: {err.message}")
                    raise
                except DeviceError as err:
                    again = f"subscribing again in {RECONNECT_DELAY:g} s"
                    self._status(f"{_what_failed(err)} ({err.message}); {again}")
                    self.channel = None
                    await self._clock.sleep(RECONNECT_DELAY)
        finally:
            await self._close_channel()

    async def _pull_channel(self) -> None:
        include = "new" if self.subscriptions == 0 else f"-{BACKFILL_SECONDS}"
        self.channel = await self._client.log_subscribe(
            include=include, events=self._events, duration=self._duration)
        self.subscriptions += 1
        self._status(f"Listening on channel {self.channel}")
        while True:
            try:
                batch = await self._client.log_pull(self.channel, timeout=self._poll_timeout)
            except TwoNInvalidParameterError as err:
                # The document does not name the error of a lapsed channel; invalid parameter "id" is assumed.
                if err.param != "id":
                    raise
                self._status("Event channel lapsed (device restarted or not pulled in time); resubscribing")
                return
            for event in batch:
                self._deliver(event)

    def _deliver(self, event: LogEvent) -> None:
        key = (event.id, event.utc_time)
        if key in self._seen:
            return
        self._seen.append(key)
        for callback in list(self._callbacks):
            callback(event)

    def _status(self, text: str) -> None:
        log.info("2N events: %s", text)
        for callback in list(self._status_callbacks):
            callback(text)

    async def _close_channel(self) -> None:
        channel, self.channel = self.channel, None
        if channel is None or self._client.closed:
            return  # on shutdown the channel simply lapses on the device after `duration` s
        # The transport's own timeout bounds this; a lapsed channel answers with an error, ignored here.
        with contextlib.suppress(DeviceError):
            await self._client.log_unsubscribe(channel)
