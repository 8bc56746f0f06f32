"""Following the Hik-Partner Pro event queue: subscribe, long-poll, hand messages over, confirm."""

from __future__ import annotations

import logging
from collections.abc import Callable

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
) -> None:
    """Run until cancelled: messages go to `on_message`, then the batch is confirmed (mq/offset).

    A batch is confirmed only after every message was handed over, so a batch interrupted by
    cancellation comes back on the next poll (§3.35). Cloud errors are reported to `on_error` and
    the feed resumes after `retry_delay` seconds.
    """
    wait = (clock or SystemClock()).sleep
    while True:
        try:
            await client.subscribe_events()
            while True:
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
