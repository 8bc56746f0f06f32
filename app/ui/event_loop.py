"""The app's asyncio loop on Qt: qasync's, still asyncio's running loop whenever Qt runs its callbacks."""

from __future__ import annotations

import asyncio
from typing import Any

import qasync


class AppEventLoop(qasync.QEventLoop):  # type: ignore[misc]  # qasync ships no type information
    """qasync's QEventLoop that stays asyncio's running loop (of this thread) from its first run until closed.

    qasync unsets the running loop when a run ends, yet Qt keeps running the loop's callbacks whenever
    it processes events: the last pass of `run_until_complete`, pytest-qt between test phases, a nested
    dialog. A task stepped there found no running loop: `asyncio.timeout` raised RuntimeError, and a
    cancelled request's clean-up (httpcore asks sniffio which library runs) failed before it closed
    its socket, which the collector later found unclosed.
    """

    def run_forever(self) -> Any:
        """Run until stopped; afterwards the loop is still the running loop for callbacks Qt runs."""
        try:
            return super().run_forever()
        finally:
            asyncio.events._set_running_loop(self)

    def close(self) -> None:
        """Close the loop; it is no longer anybody's running loop."""
        if asyncio.events._get_running_loop() is self:
            asyncio.events._set_running_loop(None)
        super().close()
