"""Garbage-collector settling for an interactive process: keeps full collections short."""

from __future__ import annotations

import gc
import threading

_settled_after: set[str] = set()
_guard = threading.Lock()


def settle_long_lived_objects(milestone: str) -> bool:
    """Once per `milestone`: collect, then freeze every survivor; return whether this call did it.

    Modules, classes and the main window live as long as the process, yet every full collection walks
    them again: tens of milliseconds that a live plot shows as a stutter. Frozen objects are skipped by
    later collections (and never freed, so freeze only at points where what exists is long-lived:
    after start-up, after a heavy library's first import).
    """
    with _guard:
        if milestone in _settled_after:
            return False
        _settled_after.add(milestone)
    gc.collect()
    gc.freeze()
    return True


def collect_if_due() -> int:
    """Run the collection the interpreter would have run by now (generation by its thresholds); return it.

    For a process whose automatic collection is off (`gc.disable()`) so that only the caller's thread
    collects; -1 when nothing was due.
    """
    counts, thresholds = gc.get_count(), gc.get_threshold()
    generation = -1
    for candidate in range(3):
        # A threshold of 0 means the interpreter never starts that generation by count (3.14's oldest).
        if thresholds[candidate] and counts[candidate] > thresholds[candidate]:
            generation = candidate
        else:
            break
    if generation >= 0:
        gc.collect(generation)
    return generation
