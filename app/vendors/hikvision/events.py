"""Following the Hik-Partner Pro event queue: subscribe, long-poll, hand messages over, confirm."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from app.core.clock import Clock, SystemClock
from app.core.errors import DeviceError
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.reports import AlarmMessage

log = logging.getLogger(__name__)


async def follow_events(
    client: HikPartnerClient,
    on_message: Callable[[AlarmMessage], None],
    *,
    on_error: Callable[[DeviceError], None] | None = None,
    clock: Clock | None = None,
    retry_delay: float = 10.0,
    serials: Callable[[], Sequence[str]] | None = None,
    subscription: EventSubscription | None = None,
) -> None:
    """Run until cancelled: messages go to `on_message`, then the batch is confirmed (mq/offset).

    With `serials` (the site's devices) only those are subscribed ("list"), again before each poll
    when they change; without it the whole account is ("all"). A batch is confirmed only after every
    message was handed over, so a batch interrupted by cancellation comes back on the next poll
    (§3.35). Cloud errors are reported to `on_error` and the feed resumes after `retry_delay` seconds.
    `subscription` is shared with whoever else subscribes devices (registration, before they come online).
    """
    wait = (clock or SystemClock()).sleep
    subscription = subscription or EventSubscription(client)
    while True:
        try:
            while True:
                await subscription.follow(None if serials is None else serials())
                batch = await client.poll_events()
                for message in batch.messages:
                    on_message(message)
                if batch.batch_id:
                    await client.confirm_events(batch.batch_id)
        except DeviceError as err:
            log.warning("Hik-Partner Pro event feed interrupted: %s", err)
            if on_error is not None:
                on_error(err)
            await wait(retry_delay)


class EventSubscription:
    """What the account is subscribed to; `follow` brings it to the wanted devices (None: all).

    Devices subscribed with `add` (just registered, not listed yet) stay subscribed until `release`.
    """

    def __init__(self, client: HikPartnerClient) -> None:
        self._client = client
        self._all = False
        self._serials: frozenset[str] = frozenset()
        self._added: frozenset[str] = frozenset()

    async def add(self, serials: Sequence[str]) -> None:
        """Subscribe `serials` now and keep them subscribed until `release`."""
        self._added |= frozenset(serials)
        await self.follow(sorted(self._serials | self._added))

    def release(self) -> None:
        """Devices added with `add` follow the wanted list again (another site was chosen)."""
        self._added = frozenset()

    async def follow(self, wanted: Sequence[str] | None) -> None:
        """Subscribe the whole account once, or exactly the `wanted` serials (added and removed)."""
        if wanted is None:
            if not self._all:
                await self._client.subscribe_events()
                self._all = True
            return
        target = frozenset(wanted) | self._added
        added, removed = sorted(target - self._serials), sorted(self._serials - target)
        self._serials = target
        if added:
            await self._client.subscribe_events(added)
        if removed:
            await self._client.unsubscribe_events(removed)
