"""Reading a streamed response body with a byte cap: memory stays flat whatever the peer sends."""

from __future__ import annotations

import zlib

import httpx

from app.core.errors import DeviceProtocolError

#: The cap of probes and JSON answers; calls that download files pass their own larger cap.
DEFAULT_MAX_BODY = 1 << 20
#: Content codings the app accepts (and announces in Accept-Encoding).
ACCEPTED_ENCODINGS = "gzip, deflate"
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class BodyTooLargeError(DeviceProtocolError):
    """The device sent (or announced) more bytes than this call accepts."""


def describe_size(size: int) -> str:
    """`size` bytes as a short text for messages ("1 MiB", "512 KiB", "300 bytes")."""
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


async def read_capped(response: httpx.Response, max_bytes: int, label: str) -> bytes:
    """Read (and decode) the whole body of a streamed response, at most `max_bytes` after decoding.

    A larger Content-Length is refused before anything is read; while streaming, the decoded bytes
    are counted and reading stops at the first byte over the cap, so a gzip bomb or an endless body
    never costs more than the cap. Afterwards `response.content` holds the decoded body.
    Raises BodyTooLargeError, or DeviceProtocolError for an unknown or corrupt content coding.
    """
    if response.is_stream_consumed:  # read before (an in-process transport): check what is held
        if len(response.content) > max_bytes:
            raise _too_large(label, max_bytes)
        return response.content
    _check_declared_length(response, max_bytes, label)
    decoder = _decoder_for(response, label)
    parts: list[bytes] = []
    size = 0
    try:
        async for raw in response.aiter_raw():
            for piece in _decode(decoder, raw, max_bytes - size + 1, label):
                size += len(piece)
                if size > max_bytes:
                    raise _too_large(label, max_bytes)
                parts.append(piece)
        if decoder is not None:
            tail = decoder.flush()
            size += len(tail)
            if size > max_bytes:
                raise _too_large(label, max_bytes)
            parts.append(tail)
    finally:
        await response.aclose()
    if decoder is not None and not decoder.eof and size:
        raise DeviceProtocolError(f"{label} sent a compressed answer that is cut short.")
    content = b"".join(parts)
    response._content = content  # what .content, .text and .json() read from now on
    return content


def _check_declared_length(response: httpx.Response, max_bytes: int, label: str) -> None:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(label, max_bytes, f"it announced {describe_size(int(declared))}")


def _decoder_for(response: httpx.Response, label: str) -> zlib._Decompress | None:
    codings = [part.strip().lower() for part in response.headers.get("content-encoding", "").split(",")]
    codings = [coding for coding in codings if coding and coding != "identity"]
    if not codings:
        return None
    if len(codings) > 1 or codings[0] not in _WBITS:
        raise DeviceProtocolError(
            f"{label} answered in a content coding the app does not read.", detail=", ".join(codings)
        )
    return zlib.decompressobj(_WBITS[codings[0]])


def _decode(decoder: zlib._Decompress | None, raw: bytes, room: int, label: str) -> list[bytes]:
    """Decode one raw chunk into at most `room` bytes (the caller stops once its cap is passed)."""
    if decoder is None:
        return [raw]
    pieces: list[bytes] = []
    data = raw
    try:
        while data and room > 0:
            piece = decoder.decompress(data, room)
            pieces.append(piece)
            room -= len(piece)
            data = decoder.unconsumed_tail
    except zlib.error as err:
        raise DeviceProtocolError(f"{label} sent a corrupt compressed answer.", detail=str(err)) from err
    return pieces


def _too_large(label: str, max_bytes: int, why: str = "") -> BodyTooLargeError:
    reason = f" ({why})" if why else ""
    return BodyTooLargeError(
        f"{label} sent a longer answer than the {describe_size(max_bytes)} this call accepts{reason}; "
        "the rest was not read.",
    )
