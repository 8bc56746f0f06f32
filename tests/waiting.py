"""Waiting on a condition instead of sleeping a guessed time (Qt-free: integration and GUI tests share it)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

R = TypeVar("R")


async def wait_until(predicate: Callable[[], object], timeout: float = 10.0, interval: float = 0.01) -> None:
    """Await until `predicate()` is true (the loop keeps running), or fail after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s: {predicate}")
        await asyncio.sleep(interval)


async def read_until(
    read: Callable[[], Awaitable[R]],
    accept: Callable[[R], bool],
    timeout: float = 10.0,
    interval: float = 0.01,
) -> R:
    """Await `read()` until `accept(result)` and return that result, or fail after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not accept(result := await read()):
        if loop.time() > deadline:
            raise AssertionError(f"no accepted result within {timeout} s; last: {result!r}")
        await asyncio.sleep(interval)
    return result
