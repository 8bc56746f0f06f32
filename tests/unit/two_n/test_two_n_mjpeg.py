"""The multipart/x-mixed-replace reader: parts with and without Content-Length, boundary spellings, split
chunks, and the bounds (oversized parts, endless headers, a stream that ends); and the frame-rate meter."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.vendors.two_n.mjpeg import FpsMeter, MultipartReader, StreamFormatError, boundary_of

FRAMES = [b"\xff\xd8first\xff\xd9", b"\xff\xd8second\r\n--not-the-boundary\xff\xd9",
          b"\xff\xd8" + bytes(5000)]


def stream(frames: Iterable[bytes], boundary: bytes = b"frame", *, lengths: bool = True) -> bytes:
    out = b""
    for frame in frames:
        length = f"Content-Length: {len(frame)}\r\n".encode() if lengths else b""
        out += b"--" + boundary + b"\r\nContent-Type: image/jpeg\r\n" + length + b"\r\n" + frame + b"\r\n"
    return out + b"--" + boundary + b"\r\n"


async def chunks(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


async def read_all(reader: MultipartReader, count: int) -> list[bytes]:
    return [(await reader.next_part()).body for _ in range(count)]


@pytest.mark.parametrize("lengths", [True, False])
@pytest.mark.parametrize("size", [1, 7, 4096, 1 << 20])
async def test_frames_come_out_whole_however_the_bytes_are_cut(lengths: bool, size: int) -> None:
    reader = MultipartReader(chunks(stream(FRAMES, lengths=lengths), size), b"frame")
    assert await read_all(reader, 3) == FRAMES


async def test_a_boundary_parameter_that_already_has_its_dashes() -> None:
    data = b"preamble\r\n" + stream(FRAMES[:2], b"myboundary")  # parts delimited by --myboundary
    boundary = boundary_of('multipart/x-mixed-replace; boundary="--myboundary"')
    reader = MultipartReader(chunks(data, 10), boundary)
    parts = [await reader.next_part() for _ in range(2)]
    assert [p.body for p in parts] == FRAMES[:2]
    assert parts[0].content_type == "image/jpeg"
    assert parts[0].headers["content-length"] == str(len(FRAMES[0]))


def test_boundary_of_refuses_what_is_no_multipart_stream() -> None:
    assert boundary_of("multipart/x-mixed-replace;boundary=abc") == b"abc"
    with pytest.raises(StreamFormatError, match="sent image/jpeg, not a picture stream"):
        boundary_of("image/jpeg")
    with pytest.raises(StreamFormatError, match="names no boundary"):
        boundary_of("multipart/x-mixed-replace")


async def test_a_part_larger_than_the_bound_is_refused_before_it_is_all_read() -> None:
    huge = b"\xff\xd8" + bytes(10_000)
    read: list[int] = []

    async def counted(data: bytes) -> AsyncIterator[bytes]:
        async for chunk in chunks(data, 512):
            read.append(len(chunk))
            yield chunk

    with pytest.raises(StreamFormatError, match="larger than the app accepts"):
        await MultipartReader(counted(stream([huge], lengths=False)), b"frame", max_part=2048).next_part()
    assert sum(read) < 4096
    with pytest.raises(StreamFormatError, match="announced a picture larger"):
        await MultipartReader(chunks(stream([huge]), 512), b"frame", max_part=2048).next_part()


async def test_endless_headers_and_a_missing_boundary_are_bounded() -> None:
    with pytest.raises(StreamFormatError, match="part headers larger"):
        await MultipartReader(chunks(b"--frame\r\nX: " + b"a" * 20_000, 100), b"frame").next_part()
    with pytest.raises(StreamFormatError, match="a preamble larger"):
        await MultipartReader(chunks(b"x" * 20_000, 100), b"frame").next_part()


async def test_a_stream_that_ends() -> None:
    reader = MultipartReader(chunks(stream(FRAMES[:1]), 64), b"frame")
    assert (await reader.next_part()).body == FRAMES[0]
    with pytest.raises(StreamFormatError, match="ended its picture stream"):
        await reader.next_part()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.integers(min_value=1, max_value=300))
async def test_any_bytes_give_parts_or_a_typed_error(noise: bytes, size: int) -> None:
    reader = MultipartReader(chunks(stream(FRAMES[:1]) + noise, size), b"frame", max_part=1024,
                             max_header=256)
    try:
        for _ in range(5):
            assert len((await reader.next_part()).body) <= 1024
    except StreamFormatError:
        pass


def test_the_meter_counts_what_arrived_in_its_window() -> None:
    now = [0.0]
    meter = FpsMeter(window=2.0, now=lambda: now[0])
    assert meter.fps == 0.0
    for _ in range(11):
        meter.tick()
        now[0] += 0.2
    assert meter.fps == pytest.approx(5.0)
    now[0] += 5.0  # the stream stalled
    assert meter.fps == 0.0
