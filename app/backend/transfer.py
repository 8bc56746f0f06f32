"""Chunked uploads with byte progress and cancellation, and off-loop file hashing."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from pathlib import Path

from app.core.progress import ProgressReporter

SendChunk = Callable[[bytes, int, int], Awaitable[None]]
_HASH_BLOCK = 1 << 20


async def upload_chunks(
    send_chunk: SendChunk,
    data: bytes | Path,
    chunk_size: int,
    reporter: ProgressReporter | None = None,
    stage: str | None = None,
) -> int:
    """Send `data` as consecutive chunks via `send_chunk(chunk, offset, total)`; return the bytes sent.

    When `stage` is given the reporter enters it with the byte total; progress advances by the bytes
    of each chunk once `send_chunk` returns. Cancellation between (or during) chunks propagates.
    """
    if chunk_size <= 0:
        raise ValueError("chunk_size must be positive")
    payload = await asyncio.to_thread(data.read_bytes) if isinstance(data, Path) else data
    total = len(payload)
    if reporter is not None and stage is not None:
        reporter.stage(stage, total=total)
    offset = 0
    while offset < total:
        chunk = payload[offset : offset + chunk_size]  # one copy per chunk; none when one chunk is all
        await send_chunk(chunk, offset, total)
        offset += len(chunk)
        if reporter is not None:
            reporter.advance(len(chunk))
        await asyncio.sleep(0)  # a checkpoint: Cancel lands between chunks even if send_chunk never yields
    return offset


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


async def file_sha256(path: Path) -> str:
    """Lower-case hex SHA-256 of a file, computed in the default executor (off the event loop)."""
    return await asyncio.get_running_loop().run_in_executor(None, _sha256_of, path)
