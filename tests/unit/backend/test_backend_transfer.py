"""Chunked uploads: offsets, byte progress, cancellation between chunks; off-loop hashing."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest

from app.backend.transfer import file_sha256, upload_chunks
from app.core.progress import Progress, ProgressReporter


async def test_bytes_are_sent_in_order_with_offsets_and_byte_progress() -> None:
    data = bytes(range(256)) * 40  # 10240 bytes
    sent: list[tuple[bytes, int, int]] = []
    seen: list[Progress] = []

    async def send(chunk: bytes, offset: int, total: int) -> None:
        sent.append((chunk, offset, total))

    reporter = ProgressReporter(["Upload", "Install"], seen.append)
    assert await upload_chunks(send, data, 4096, reporter, stage="Upload") == len(data)

    assert [(offset, len(chunk), total) for chunk, offset, total in sent] == [
        (0, 4096, 10240), (4096, 4096, 10240), (8192, 2048, 10240),
    ]
    assert b"".join(chunk for chunk, _, _ in sent) == data
    assert [(p.stage, p.done, p.total) for p in seen] == [
        ("Upload", 0, 10240), ("Upload", 4096, 10240), ("Upload", 8192, 10240), ("Upload", 10240, 10240),
    ]


async def test_a_file_is_read_and_sent_whole(tmp_path: Path) -> None:
    path = tmp_path / "firmware.bin"
    path.write_bytes(b"F" * 3000)
    received = bytearray()

    async def send(chunk: bytes, offset: int, total: int) -> None:
        assert offset == len(received)
        assert total == 3000
        received.extend(chunk)

    assert await upload_chunks(send, path, 1000, None) == 3000
    assert bytes(received) == b"F" * 3000


async def test_cancel_stops_between_chunks() -> None:
    sent: list[int] = []
    second_chunk_sent = asyncio.Event()

    async def send(chunk: bytes, offset: int, total: int) -> None:
        sent.append(offset)
        if len(sent) == 2:
            second_chunk_sent.set()

    task = asyncio.create_task(upload_chunks(send, b"x" * 10_000, 1000, None))
    await second_chunk_sent.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sent == [0, 1000]


async def test_chunk_size_must_be_positive() -> None:
    async def send(chunk: bytes, offset: int, total: int) -> None:
        raise AssertionError("nothing may be sent")

    with pytest.raises(ValueError, match="positive"):
        await upload_chunks(send, b"abc", 0, None)


async def test_file_sha256_matches_hashlib(tmp_path: Path) -> None:
    path = tmp_path / "image.bin"
    path.write_bytes(b"abc" * 500_000)
    assert await file_sha256(path) == hashlib.sha256(b"abc" * 500_000).hexdigest()
