"""Live polling on a worker thread with its own asyncio loop and client, beside a painting GUI thread.

Painting and network polling then never wait for each other: a paint no longer delays the poll due
just after the sensor's next frame. The feed's lock-guarded buffer is the only shared structure.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from app.core.errors import AppError
from app.vendors.inxpect.live_feed import LiveFeed, LiveSource

log = logging.getLogger(__name__)

#: Opens a source bound to the calling (worker) loop, e.g. a client on its own httpx.AsyncClient.
OpenSource = Callable[[], AbstractAsyncContextManager[LiveSource]]


class LiveFeedThread:
    """Runs `feed.run()` on a daemon thread through a source it opens there; `stop()` never blocks.

    A device error ends the polling and is kept in `error` for the display to show.
    """

    def __init__(self, feed: LiveFeed, open_source: OpenSource, *, name: str = "inxpect-live") -> None:
        self.feed = feed
        self.error: AppError | None = None
        self._open_source = open_source
        self._thread = threading.Thread(target=self._main, name=name, daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._guard = threading.Lock()
        self._stopping = False

    def start(self) -> None:
        """Start polling on the worker thread."""
        self._thread.start()

    def stop(self) -> None:
        """Ask the worker to cancel its polling and close its client; returns at once (thread-safe)."""
        with self._guard:
            self._stopping = True
            loop, task = self._loop, self._task
        if loop is not None and task is not None:
            loop.call_soon_threadsafe(task.cancel)

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the worker to end (never on the GUI thread: use `await asyncio.to_thread(...)`)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def running(self) -> bool:
        """Whether the worker thread is still alive."""
        return self._thread.is_alive()

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except asyncio.CancelledError:
            log.debug("live polling thread stopped")  # stop(): the thread's work ends here, as asked

    async def _serve(self) -> None:
        with self._guard:
            if self._stopping:
                return
            self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()
        try:
            async with self._open_source() as source:
                await self.feed.run(source=source)
        except AppError as err:
            log.warning("live polling stopped: %s", err)
            self.error = err
