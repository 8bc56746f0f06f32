"""The MP4 container reader against files FFmpeg writes, the app's own test pattern, and damaged input."""

from __future__ import annotations

import contextlib
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.vendors.two_n.mp4 import VideoFileError, read_video_info
from app.vendors.two_n.pattern_video import PatternSpec, make_pattern_video
from tests.unit.two_n.ffmpeg_video import decoded_frames, ffmpeg_mp4


def test_ffmpeg_h264_baseline_facts() -> None:
    info = read_video_info(ffmpeg_mp4(320, 214, 10, 20, options={"profile": "baseline", "level": "3.1"}))
    assert (info.codec, info.is_h264, info.profile_idc, info.level_idc) == ("avc1", True, 66, 31)
    assert (info.width, info.height, info.frame_count) == (320, 214, 20)
    assert info.duration_s == pytest.approx(2.0)
    assert info.peak_fps == pytest.approx(10.0)
    assert info.codec_name == "H.264"


def test_ffmpeg_h264_high_profile_and_frame_rate() -> None:
    info = read_video_info(ffmpeg_mp4(214, 240, 25, 30, options={"profile": "high"}))
    assert (info.profile_idc, info.width, info.height) == (100, 214, 240)
    assert info.peak_fps == pytest.approx(25.0)
    assert info.duration_s == pytest.approx(1.2)


def test_ffmpeg_mpeg4_part2_is_told_apart_from_h264() -> None:
    info = read_video_info(ffmpeg_mp4(320, 214, 15, 15, codec="mpeg4"))
    assert (info.codec, info.object_type, info.is_h264) == ("mp4v", 0x20, False)
    assert info.codec_name == "MPEG-4 Part 2"
    assert info.profile_idc is None


def test_the_apps_test_pattern_is_h264_ffmpeg_decodes_with_a_moving_square() -> None:
    spec = PatternSpec(320, 214, fps=10, seconds=2.0)
    data = make_pattern_video(spec)
    info = read_video_info(data)
    assert (info.codec, info.profile_idc, info.level_idc) == ("avc1", 66, 30)
    assert (info.width, info.height, info.frame_count, info.peak_fps) == (320, 214, 20, 10.0)
    frames = decoded_frames(data)
    assert len(frames) == 20
    assert frames[0].shape == (214, 320, 3)
    bar = frames[0][10, 60]
    assert (bar[0] > 200, bar[1] > 200, bar[2] < 60) == (True, True, True)  # the yellow bar
    square_row = 96 + 16

    def square_left(frame: np.ndarray) -> int:
        white = np.flatnonzero((frame[square_row] > 220).all(axis=1) & (np.arange(320) >= 40))
        return int(white[0])

    assert square_left(frames[19]) - square_left(frames[10]) == 36  # 4 px a frame
    assert (frames[19][200] == frames[0][200]).all()  # the rest of the picture stays as it was


def test_odd_sizes_are_cropped_in_the_stream() -> None:
    data = make_pattern_video(PatternSpec(214, 240, fps=5, seconds=1.0))
    assert [frame.shape for frame in decoded_frames(data)] == [(240, 214, 3)] * 5


def test_not_an_mp4() -> None:
    with pytest.raises(VideoFileError, match="does not start with an 'ftyp' box"):
        read_video_info(b"\x89PNG\r\n\x1a\n" + bytes(100))


def test_a_truncated_file_is_damaged() -> None:
    data = ffmpeg_mp4(64, 48, 10, 5)
    with pytest.raises(VideoFileError, match="damaged"):
        read_video_info(data[: len(data) - 40])


def test_no_video_track() -> None:
    ftyp = struct.pack(">I4s4sI", 16, b"ftyp", b"isom", 0)
    hdlr = struct.pack(">I4sII4s12s", 32, b"hdlr", 0, 0, b"soun", bytes(12))
    mdia = struct.pack(">I4s", 8 + len(hdlr), b"mdia") + hdlr
    trak = struct.pack(">I4s", 8 + len(mdia), b"trak") + mdia
    moov = struct.pack(">I4s", 8 + len(trak), b"moov") + trak
    with pytest.raises(VideoFileError, match="no video track"):
        read_video_info(ftyp + moov)


def test_boxes_that_claim_more_than_the_file_holds() -> None:
    ftyp = struct.pack(">I4s4sI", 16, b"ftyp", b"isom", 0)
    with pytest.raises(VideoFileError, match="overruns"):
        read_video_info(ftyp + struct.pack(">I4s", 1 << 30, b"moov") + bytes(8))
    with pytest.raises(VideoFileError, match="cut short"):
        read_video_info(ftyp + struct.pack(">I4s", 1, b"moov") + bytes(4))


SMALL_PATTERN = make_pattern_video(PatternSpec(32, 32, fps=5, seconds=0.4))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.integers(min_value=0, max_value=len(SMALL_PATTERN)))
def test_any_bytes_give_facts_or_a_typed_error(noise: bytes, cut: int) -> None:
    for data in (noise, SMALL_PATTERN[:cut] + noise, b"\x00\x00\x00\x10ftypisom\x00\x00\x00\x00" + noise):
        with contextlib.suppress(VideoFileError):
            assert read_video_info(data).frame_count > 0
