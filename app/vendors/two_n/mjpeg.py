"""Reading a camera's `multipart/x-mixed-replace` push stream (document §5.8.2, `fps` >= 1) part by part,
with every part's size bounded; and measuring the frame rate that actually arrives.

Qt-free and transport-free: the reader takes any async iterator of byte chunks.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from app.core.errors import DeviceProtocolError

#: A part's header block; a camera sends a few short lines.
MAX_HEADER_BYTES = 8 * 1024
#: One JPEG frame: the document's largest snapshot is 1280 x 960.
MAX_PART_BYTES = 4 * 1024 * 1024


class StreamFormatError(DeviceProtocolError):
    """The camera's stream is not the multipart stream the document describes, or a part is too large."""


@dataclass(frozen=True, slots=True)
class StreamPart:
    """One part of the stream: its headers (lower-case names) and its body."""

    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        """The part's media type without parameters."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def boundary_of(content_type: str) -> bytes:
    """The `boundary` parameter of a multipart Content-Type; StreamFormatError when there is none."""
    kind, _, rest = content_type.partition(";")
    if not kind.strip().lower().startswith("multipart/"):
        raise StreamFormatError(f"The camera sent {kind.strip() or 'no content type'}, not a picture stream.")
    for parameter in rest.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "boundary" and value.strip().strip('"'):
            return value.strip().strip('"').encode("latin-1")
    raise StreamFormatError("The camera's picture stream names no boundary between its pictures.")


class MultipartReader:
    """Parts of a multipart body, read incrementally; a part over `max_part` bytes is a StreamFormatError.

    Servers differ in whether the boundary parameter already starts with "--" and in whether parts
    carry Content-Length; both are handled.
    """

    def __init__(self, chunks: AsyncIterator[bytes], boundary: bytes, *, max_part: int = MAX_PART_BYTES,
                 max_header: int = MAX_HEADER_BYTES) -> None:
        self._chunks = chunks
        self._delimiter = boundary if boundary.startswith(b"--") else b"--" + boundary
        self._max_part = max_part
        self._max_header = max_header
        self._buffer = bytearray()
        self._started = False

    async def _fill(self) -> None:
        try:
            chunk = await anext(self._chunks)
        except StopAsyncIteration:
            raise StreamFormatError("The camera ended its picture stream.") from None
        self._buffer += chunk

    async def _find(self, needle: bytes, limit: int, what: str) -> int:
        """Index of `needle` in the buffer, reading more as needed; StreamFormatError past `limit` bytes."""
        start = 0
        while (index := self._buffer.find(needle, start)) < 0:
            if len(self._buffer) > limit + len(needle):
                raise StreamFormatError(f"The camera sent {what} larger than the app accepts.")
            start = max(len(self._buffer) - len(needle) + 1, 0)
            await self._fill()
        return index

    async def next_part(self) -> StreamPart:
        """The next complete part, returned as soon as its last byte is in (not when the next one starts)."""
        what = "the gap between pictures" if self._started else "a preamble"
        index = await self._find(self._delimiter, self._max_header, what)
        del self._buffer[:index + len(self._delimiter)]
        self._started = True
        end = await self._find(b"\r\n\r\n", self._max_header, "part headers")
        headers = _headers(bytes(self._buffer[:end]))
        del self._buffer[:end + 4]
        declared = headers.get("content-length", "")
        if declared.isdigit():
            size = int(declared)
            if size > self._max_part:
                raise StreamFormatError("The camera announced a picture larger than the app accepts.")
            while len(self._buffer) < size:
                await self._fill()
            body = bytes(self._buffer[:size])
            del self._buffer[:size]
        else:
            end = await self._find(b"\r\n" + self._delimiter, self._max_part, "a picture")
            body = bytes(self._buffer[:end])
            del self._buffer[:end]
        return StreamPart(headers, body)


def _headers(block: bytes) -> dict[str, str]:
    headers = {}
    for line in block.decode("latin-1").split("\r\n"):
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    return headers


class FpsMeter:
    """The frame rate over the last `window` seconds of arrivals (monotonic time)."""

    def __init__(self, window: float = 3.0, now: Callable[[], float] = time.monotonic) -> None:
        self._window = window
        self._now = now
        self._arrivals: deque[float] = deque()

    def tick(self) -> None:
        """A frame arrived now."""
        self._arrivals.append(self._now())
        self._drop_old()

    def _drop_old(self) -> None:
        horizon = self._now() - self._window
        while self._arrivals and self._arrivals[0] < horizon:
            self._arrivals.popleft()

    @property
    def fps(self) -> float:
        """Frames per second between the first and last arrival in the window (0 with fewer than two)."""
        self._drop_old()
        if len(self._arrivals) < 2:
            return 0.0
        span = self._arrivals[-1] - self._arrivals[0]
        return (len(self._arrivals) - 1) / span if span > 0 else 0.0
