"""What an MP4 (ISO base media) file's container says about its video track: codec, profile, level,
size, duration and frame rate, read from the `ftyp`, `mvhd`, `tkhd`, `mdhd`, `hdlr`, `stsd` and `stts` boxes.

Bounded: every box is checked against the bytes that hold it, nesting is limited, and nothing is
decoded beyond the headers. A file that is not an MP4 or is damaged raises VideoFileError.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

from app.core.errors import InvalidParameterError

#: Containers whose children are boxes (the rest are leaves, or sample entries read on their own).
_CONTAINERS = frozenset({b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf"})
_MAX_DEPTH = 8
#: Sample entry fourccs of H.264 (ISO/IEC 14496-15) and MPEG-4 Part 2 video (ISO/IEC 14496-14).
H264_ENTRIES = frozenset({b"avc1", b"avc2", b"avc3", b"avc4"})
MPEG4_VISUAL_ENTRY = b"mp4v"
#: esds objectTypeIndication of MPEG-4 Visual (ISO/IEC 14496-1 table 5).
MPEG4_VISUAL_OTI = 0x20
#: Bytes of a VisualSampleEntry before its child boxes (ISO/IEC 14496-12 §12.1.3).
_VISUAL_ENTRY_HEADER = 78


class VideoFileError(InvalidParameterError):
    """The file is not an MP4 video the app can read (no `ftyp`, no video track, damaged boxes)."""


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """The container's account of a file's first video track."""

    brand: str
    codec: str
    """Sample entry fourcc: "avc1" (H.264), "mp4v" (MPEG-4 Part 2 or another esds stream), …"""
    object_type: int | None
    """esds objectTypeIndication of an "mp4v" entry (0x20 MPEG-4 Visual); None otherwise."""
    profile_idc: int | None
    """H.264 profile from `avcC` (66 Baseline, 77 Main, 100 High); None for other codecs."""
    level_idc: int | None
    """H.264 level times ten from `avcC` (52 = level 5.2)."""
    width: int
    height: int
    duration_s: float
    frame_count: int
    peak_fps: float
    """The highest frame rate any stretch of the file plays at (timescale / shortest frame time)."""

    @property
    def is_h264(self) -> bool:
        """True for an H.264 (MPEG-4 AVC) track."""
        return self.codec.encode() in H264_ENTRIES

    @property
    def codec_name(self) -> str:
        """The codec in words."""
        if self.is_h264:
            return "H.264"
        if self.codec == MPEG4_VISUAL_ENTRY.decode() and self.object_type == MPEG4_VISUAL_OTI:
            return "MPEG-4 Part 2"
        return f"'{self.codec}'"

    @property
    def average_fps(self) -> float:
        """Frames per second over the whole track."""
        return self.frame_count / self.duration_s if self.duration_s > 0 else 0.0


@dataclass(slots=True)
class _Track:
    handler: bytes = b""
    width: int = 0
    height: int = 0
    timescale: int = 0
    duration: int = 0
    entry: bytes = b""
    entry_size: tuple[int, int] = (0, 0)
    object_type: int | None = None
    profile: int | None = None
    level: int | None = None
    frame_count: int = 0
    shortest_delta: int = 0


def _boxes(data: memoryview, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of each box in data[start:end]; VideoFileError if one overruns."""
    offset = start
    while offset + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, offset)
        header = 8
        if size == 1:
            if offset + 16 > end:
                raise VideoFileError("The video file is damaged (a box header is cut short).")
            size = struct.unpack_from(">Q", data, offset + 8)[0]
            header = 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            raise VideoFileError(f"The video file is damaged (box {_name(kind)} overruns).")
        yield bytes(kind), offset + header, offset + size
        offset += size


def _name(kind: bytes) -> str:
    """A box type for a message: its four letters, or hex when they are not printable."""
    text = kind.decode("latin-1")
    return f"'{text}'" if text.isascii() and text.isprintable() else kind.hex()


def _full_box_version(data: memoryview, start: int, end: int, needed_v0: int, needed_v1: int) -> int:
    if start + 4 > end:
        raise VideoFileError("The video file is damaged (a header box is empty).")
    version = data[start]
    if end - start < 4 + (needed_v1 if version == 1 else needed_v0):
        raise VideoFileError("The video file is damaged (a header box is cut short).")
    return int(version)


def _read_mdhd(track: _Track, data: memoryview, start: int, end: int) -> None:
    version = _full_box_version(data, start, end, 16, 28)
    if version == 1:
        track.timescale, track.duration = struct.unpack_from(">IQ", data, start + 4 + 16)
    else:
        track.timescale, track.duration = struct.unpack_from(">II", data, start + 4 + 8)


def _read_tkhd(track: _Track, data: memoryview, start: int, end: int) -> None:
    version = _full_box_version(data, start, end, 80, 92)
    size_at = start + 4 + (84 if version == 1 else 72)
    width, height = struct.unpack_from(">II", data, size_at)
    track.width, track.height = width >> 16, height >> 16


def _read_stts(track: _Track, data: memoryview, start: int, end: int) -> None:
    if end - start < 8:
        raise VideoFileError("The video file is damaged (no frame timing).")
    count = struct.unpack_from(">I", data, start + 4)[0]
    if end - start < 8 + 8 * count:
        raise VideoFileError("The video file is damaged (the frame timing is cut short).")
    deltas = [struct.unpack_from(">II", data, start + 8 + 8 * i) for i in range(count)]
    track.frame_count = sum(samples for samples, _ in deltas)
    positive = [delta for samples, delta in deltas if samples and delta]
    track.shortest_delta = min(positive, default=0)


def _descriptor(data: memoryview, offset: int, end: int) -> tuple[int, int, int]:
    """(tag, payload start, payload end) of an MPEG-4 descriptor with its 1-4 byte length."""
    if offset + 2 > end:
        raise VideoFileError("The video file is damaged (esds is cut short).")
    tag, length, offset = data[offset], 0, offset + 1
    for _ in range(4):
        if offset >= end:
            raise VideoFileError("The video file is damaged (esds is cut short).")
        byte = data[offset]
        offset += 1
        length = (length << 7) | (byte & 0x7F)
        if not byte & 0x80:
            break
    return int(tag), offset, min(offset + length, end)


def _read_esds(track: _Track, data: memoryview, start: int, end: int) -> None:
    tag, offset, es_end = _descriptor(data, start + 4, end)
    if tag != 0x03 or offset + 3 > es_end:
        return
    flags = data[offset + 2]
    offset += 3 + (2 if flags & 0x80 else 0)
    if flags & 0x40:
        offset += 1 + data[offset] if offset < es_end else 0
    offset += 2 if flags & 0x20 else 0
    tag, offset, _ = _descriptor(data, offset, es_end)
    if tag == 0x04 and offset < es_end:
        track.object_type = int(data[offset])


def _read_stsd(track: _Track, data: memoryview, start: int, end: int) -> None:
    entries = _boxes(data, start + 8, end)
    entry = next(entries, None)
    if entry is None:
        raise VideoFileError("The video file is damaged (no sample description).")
    kind, entry_start, entry_end = entry
    track.entry = kind
    if entry_end - entry_start < _VISUAL_ENTRY_HEADER:
        return
    track.entry_size = struct.unpack_from(">HH", data, entry_start + 24)
    for child, child_start, child_end in _boxes(data, entry_start + _VISUAL_ENTRY_HEADER, entry_end):
        if child == b"avcC" and child_end - child_start >= 4:
            track.profile, track.level = int(data[child_start + 1]), int(data[child_start + 3])
        elif child == b"esds":
            _read_esds(track, data, child_start, child_end)


_LEAVES = {b"mdhd": _read_mdhd, b"tkhd": _read_tkhd, b"stts": _read_stts, b"stsd": _read_stsd}


def _walk_track(track: _Track, data: memoryview, start: int, end: int, depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise VideoFileError("The video file is damaged (boxes nested too deep).")
    for kind, child_start, child_end in _boxes(data, start, end):
        if kind in _CONTAINERS:
            _walk_track(track, data, child_start, child_end, depth + 1)
        elif kind == b"hdlr" and child_end - child_start >= 12:
            track.handler = bytes(data[child_start + 8:child_start + 12])
        elif kind in _LEAVES:
            _LEAVES[kind](track, data, child_start, child_end)


def _brand(data: memoryview) -> str:
    if bytes(data[4:8]) != b"ftyp":
        raise VideoFileError("This file is not an MP4 video (it does not start with an 'ftyp' box).")
    kinds = _boxes(data, 0, min(len(data), 1 << 16))
    first = next(kinds, None)
    if first is None or first[0] != b"ftyp" or first[2] - first[1] < 4:
        raise VideoFileError("This file is not an MP4 video (it does not start with an 'ftyp' box).")
    return bytes(data[first[1]:first[1] + 4]).decode("latin-1").strip()


def read_video_info(content: bytes) -> VideoInfo:
    """The first video track's facts; VideoFileError when the file is no MP4 or has no readable video."""
    data = memoryview(content)
    brand = _brand(data)
    moov = next(((s, e) for kind, s, e in _boxes(data, 0, len(data)) if kind == b"moov"), None)
    if moov is None:
        raise VideoFileError("The MP4 file has no 'moov' box: it holds no playable video description.")
    for kind, start, end in _boxes(data, *moov):
        if kind != b"trak":
            continue
        track = _Track()
        _walk_track(track, data, start, end, 1)
        if track.handler == b"vide":
            return _info(brand, track)
    raise VideoFileError("The MP4 file has no video track.")


def _info(brand: str, track: _Track) -> VideoInfo:
    if not track.timescale or not track.frame_count:
        raise VideoFileError("The MP4 file's video track has no frames or no time scale.")
    width, height = track.entry_size if any(track.entry_size) else (track.width, track.height)
    peak = track.timescale / track.shortest_delta if track.shortest_delta else 0.0
    return VideoInfo(
        brand=brand, codec=track.entry.decode("latin-1"), object_type=track.object_type,
        profile_idc=track.profile, level_idc=track.level, width=width, height=height,
        duration_s=track.duration / track.timescale, frame_count=track.frame_count, peak_fps=peak,
    )
