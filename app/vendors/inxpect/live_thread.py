"""Live polling on a worker thread with its own asyncio loop and client, beside a painting GUI thread.

Painting and network polling then never wait for each other: a paint no longer delays the poll due
just after the sensor's next frame. The feed's lock-guarded buffer is the only shared structure.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Final

import httpx

from app.core.errors import AppError
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.live_feed import LiveFeed, LiveSource

log = logging.getLogger(__name__)

#: Opens a source bound to the calling (worker) loop, e.g. a client on its own httpx.AsyncClient.
OpenSource = Callable[[], AbstractAsyncContextManager[LiveSource]]
#: Opens a new verified httpx client to the same device on the calling loop (the panel context's).
OpenHttp = Callable[[], Awaitable[httpx.AsyncClient]]
#: How long a cancelled `run()` waits for the worker to log out and close before it lets go.
STOP_WAIT_S: Final = 3.0


def sibling_source(client: InxpectClient, open_http: OpenHttp) -> OpenSource:
    """Sources that poll through a second session of `client`'s sensor, logged out when they close."""

    @contextlib.asynccontextmanager
    async def open_source() -> AsyncIterator[LiveSource]:
        http = await open_http()
        try:
            sibling = client.sibling(http)
            await sibling.login()
            try:
                yield sibling
            finally:
                await sibling.aclose()
        finally:
            await http.aclose()

    return open_source


class LiveFeedThread:
    """Runs `feed.run()` on a daemon thread through a source it opens there; `stop()` never blocks.

    A device error (or any other failure) ends the polling and is kept in `error`; `run()` re-raises it.
    """

    def __init__(self, feed: LiveFeed, open_source: OpenSource, *, name: str = "inxpect-live") -> None:
        self.feed = feed
        self.error: Exception | None = None
        self._open_source = open_source
        self._thread = threading.Thread(target=self._main, name=name, daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._guard = threading.Lock()
        self._stopping = False
        self._on_end: Callable[[], object] | None = None

    def start(self) -> None:
        """Start polling on the worker thread."""
        self._thread.start()

    async def run(self) -> None:
        """Poll on the worker until cancelled, awaited on the calling loop; re-raise the error that ended it.

        Cancelling stops the worker and waits (up to STOP_WAIT_S) for it to log out and close.
        """
        loop = asyncio.get_running_loop()
        ended: asyncio.Future[None] = loop.create_future()
        self._on_end = lambda: loop.call_soon_threadsafe(_settle, ended)
        self.start()
        try:
            await asyncio.shield(ended)
        except asyncio.CancelledError:
            self.stop()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(ended), STOP_WAIT_S)
            raise
        if self.error is not None:
            raise self.error

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
        except Exception as err:  # a failure ends the polling; run() re-raises it on the caller's loop
            log.exception("live polling failed")
            self.error = err
        finally:
            if self._on_end is not None:
                with contextlib.suppress(RuntimeError):  # the awaiting loop has already closed
                    self._on_end()

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


def _settle(ended: asyncio.Future[None]) -> None:
    if not ended.done():
        ended.set_result(None)
