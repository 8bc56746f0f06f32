"""Progress reporting and cancellation contract for long operations (Qt-free)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Progress:
    """A snapshot of an operation: which stage, how far within it, and a line for the technician."""

    stage: str
    stage_index: int
    stage_count: int
    done: int = 0
    total: int | None = None
    message: str = ""

    @property
    def fraction(self) -> float | None:
        """Overall completion 0..1 across stages, or None when the current stage has no known total."""
        if self.total is None or self.total <= 0:
            return None
        within = min(self.done / self.total, 1.0)
        return (self.stage_index + within) / max(self.stage_count, 1)


ProgressCallback = Callable[[Progress], None]


class ProgressReporter:
    """Handed to an operation; it announces stages and advances counts, the UI listens."""

    def __init__(self, stages: Sequence[str], callback: ProgressCallback | None = None) -> None:
        self._stages = list(stages)
        self._callback = callback
        self._index = 0
        self._done = 0
        self._total: int | None = None
        self._message = ""

    @property
    def current(self) -> Progress:
        """The latest snapshot."""
        stage = self._stages[self._index] if self._stages else ""
        return Progress(stage, self._index, len(self._stages), self._done, self._total, self._message)

    def stage(self, name: str, total: int | None = None, message: str = "") -> None:
        """Enter the named stage (must be one of the declared stages) with an optional total."""
        self._index = self._stages.index(name)
        self._done = 0
        self._total = total
        self._message = message
        self._emit()

    def advance(self, amount: int = 1, message: str | None = None) -> None:
        """Add `amount` to the current stage's count."""
        self._done += amount
        if message is not None:
            self._message = message
        self._emit()

    def set(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Set the current stage's count (and total) directly."""
        self._done = done
        if total is not None:
            self._total = total
        if message is not None:
            self._message = message
        self._emit()

    def _emit(self) -> None:
        if self._callback is not None:
            self._callback(self.current)


@dataclass(frozen=True, slots=True)
class Operation(Generic[T]):
    """A named long-running piece of work: declared stages and a coroutine function that reports on them.

    Cancellation is asyncio cancellation of the task running `run`; `run` cleans up in `finally`
    and, where a device is left mid-way, raises an error saying which state it is in.
    """

    title: str
    stages: tuple[str, ...]
    run: Callable[[ProgressReporter], Awaitable[T]]
    device_key: str | None = None
    #: False for reads and checks that change nothing: only a failure is kept in the device's history.
    record_success: bool = True
