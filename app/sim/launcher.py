"""Start `commissioner sim --json` as a child process and follow its device lines (Qt-free; asyncio)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Self

log = logging.getLogger(__name__)

DeviceCallback = Callable[[dict[str, Any]], None]
#: Long enough for a few hundred devices to start on a slow laptop.
READY_TIMEOUT_S = 60.0
TERMINATE_TIMEOUT_S = 10.0
# A cloud simulator's line lists its whole device inventory; asyncio's default line limit is 64 KiB.
_LINE_LIMIT = 4 * 1024 * 1024


def sim_command(args: Sequence[str]) -> list[str]:
    """The argv of `commissioner sim --json <args>`: `python -m app` from source, the exe if frozen."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "sim", "--json", *args]
    return [sys.executable, "-m", "app", "sim", "--json", *args]


class SimProcessError(RuntimeError):
    """The simulated site exited or failed before it was ready."""


class SimProcess:
    """A running `commissioner sim` child: the devices it reported so far, readiness, and clean stop."""

    def __init__(self, process: asyncio.subprocess.Process, on_device: DeviceCallback | None = None) -> None:
        self.process = process
        self.devices: list[dict[str, Any]] = []
        self._on_device = on_device
        self._ready = asyncio.Event()
        self._reader = asyncio.get_running_loop().create_task(self._read_lines())

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.process.pid

    @property
    def ready(self) -> bool:
        """True once the child printed its final ready line."""
        return self._ready.is_set()

    async def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> list[dict[str, Any]]:
        """Wait for the ready line; return every device. Raises SimProcessError if the child ends first."""
        ready = asyncio.ensure_future(self._ready.wait())
        try:
            done, _ = await asyncio.wait({ready, self._reader}, timeout=timeout,
                                         return_when=asyncio.FIRST_COMPLETED)
        finally:
            ready.cancel()
        if not self._ready.is_set():
            reason = "exited" if self._reader in done else f"was not ready within {timeout:.0f} s"
            raise SimProcessError(f"the simulated site {reason} (exit code {self.process.returncode})")
        return list(self.devices)

    async def terminate(self, timeout: float = TERMINATE_TIMEOUT_S) -> int:
        """Ask the child to stop (SIGTERM), kill it if it does not within `timeout`; returns its exit code."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), timeout)
            except TimeoutError:
                log.warning("simulated site %d did not stop in %.0f s; killing it", self.pid, timeout)
                with contextlib.suppress(ProcessLookupError):
                    self.process.kill()
                await self.process.wait()
        await asyncio.gather(self._reader, return_exceptions=True)
        return self.process.returncode if self.process.returncode is not None else -1

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.terminate()

    async def _read_lines(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while line := await stream.readline():
            try:
                item = json.loads(line)
            except ValueError:
                log.warning("unexpected line from the simulated site: %r", line[:200])
                continue
            if not isinstance(item, dict):
                continue
            if item.get("ready") is True:
                self._ready.set()
            elif "vendor" in item:
                self.devices.append(item)
                if self._on_device is not None:
                    self._on_device(item)


async def start_sim_subprocess(
    args: Sequence[str] = (), *, on_device: DeviceCallback | None = None
) -> SimProcess:
    """Start `commissioner sim --json <args>` (e.g. ["--count", "5"]) and follow its output.

    `on_device(obj)` is called for each device line as it arrives; stderr is inherited (logs).
    """
    process = await asyncio.create_subprocess_exec(
        *sim_command(args), stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        limit=_LINE_LIMIT,
    )
    return SimProcess(process, on_device)
