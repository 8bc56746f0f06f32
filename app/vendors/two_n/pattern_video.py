"""A test-pattern video the app makes itself: H.264 in MP4, any size, frame rate and length, no encoder.

Colour bars with a white square that travels across them. The first frame is an IDR picture of
I_PCM macroblocks (raw samples, ITU-T H.264 §7.3.5); every later frame is a P picture that skips
every macroblock but those the square leaves or enters, sent again as I_PCM. Any H.264 decoder plays
it. `profile_idc` and `level_idc` are only written into the headers (tests make files the display refuses).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

_BARS = ((235, 235, 235), (235, 235, 16), (16, 235, 235), (16, 235, 16), (235, 16, 235), (235, 16, 16),
         (16, 16, 235), (16, 16, 16))
_MB = 16
_I_PCM_IN_I_SLICE = 25
_I_PCM_IN_P_SLICE = 30
_HIGH_PROFILES = frozenset({100, 110, 122, 244, 44, 83, 86, 118, 128})


@dataclass(frozen=True, slots=True)
class PatternSpec:
    """The video to make."""

    width: int = 320
    height: int = 214
    fps: int = 10
    seconds: float = 3.0
    profile_idc: int = 66
    level_idc: int = 30


class _Bits:
    """An RBSP bit writer with Exp-Golomb codes."""

    def __init__(self) -> None:
        self.bits: list[int] = []
        self.raw = bytearray()

    def u(self, value: int, count: int) -> None:
        self.bits.extend((value >> shift) & 1 for shift in range(count - 1, -1, -1))

    def ue(self, value: int) -> None:
        code = value + 1
        self.u(0, code.bit_length() - 1)
        self.u(code, code.bit_length())

    def se(self, value: int) -> None:
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def align_zero(self) -> None:
        while len(self.bits) % 8:
            self.bits.append(0)
        self._flush()

    def append_bytes(self, data: bytes) -> None:
        self.align_zero()
        self.raw += data

    def _flush(self) -> None:
        for i in range(0, len(self.bits), 8):
            byte = 0
            for bit in self.bits[i:i + 8]:
                byte = (byte << 1) | bit
            self.raw.append(byte)
        self.bits.clear()

    def trailing(self) -> bytes:
        self.u(1, 1)
        self.align_zero()
        return bytes(self.raw)


def _nal(ref_idc: int, kind: int, rbsp: bytes) -> bytes:
    """A NAL unit with emulation prevention bytes (§7.4.1)."""
    out = bytearray([(ref_idc << 5) | kind])
    zeros = 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


class _Geometry:
    def __init__(self, spec: PatternSpec) -> None:
        self.spec = spec
        self.mbs_wide = -(-spec.width // _MB)
        self.mbs_high = -(-spec.height // _MB)
        self.log2_frame_num = 16


def _sps(geo: _Geometry) -> bytes:
    spec, bits = geo.spec, _Bits()
    bits.u(spec.profile_idc, 8)
    bits.u(0b11000000 if spec.profile_idc == 66 else 0, 8)  # constraint_set0/1: constrained baseline
    bits.u(spec.level_idc, 8)
    bits.ue(0)  # seq_parameter_set_id
    if spec.profile_idc in _HIGH_PROFILES:
        bits.ue(1)  # chroma_format_idc 4:2:0
        bits.ue(0)
        bits.ue(0)  # bit depths 8
        bits.u(0, 1)
        bits.u(0, 1)  # no transform bypass, no scaling matrices
    bits.ue(geo.log2_frame_num - 4)
    bits.ue(2)  # pic_order_cnt_type 2: output order is decoding order
    bits.ue(1)  # max_num_ref_frames
    bits.u(0, 1)
    bits.ue(geo.mbs_wide - 1)
    bits.ue(geo.mbs_high - 1)
    bits.u(1, 1)  # frame_mbs_only_flag
    bits.u(1, 1)  # direct_8x8_inference_flag
    crop_right, crop_bottom = geo.mbs_wide * _MB - spec.width, geo.mbs_high * _MB - spec.height
    cropped = bool(crop_right or crop_bottom)
    bits.u(int(cropped), 1)
    if cropped:  # in 2-sample units for 4:2:0 frames (§7.4.2.1.1)
        for value in (0, crop_right // 2, 0, crop_bottom // 2):
            bits.ue(value)
    bits.u(0, 1)  # no VUI: the MP4 sample times carry the frame rate
    return _nal(3, 7, bits.trailing())


def _pps() -> bytes:
    bits = _Bits()
    bits.ue(0)
    bits.ue(0)
    bits.u(0, 1)  # CAVLC
    bits.u(0, 1)
    bits.ue(0)  # one slice group
    bits.ue(0)
    bits.ue(0)
    bits.u(0, 1)
    bits.u(0, 2)
    bits.se(0)
    bits.se(0)
    bits.se(0)
    bits.u(1, 1)  # deblocking_filter_control_present_flag: slices switch it off
    bits.u(0, 1)
    bits.u(0, 1)
    return _nal(3, 8, bits.trailing())


def _picture(spec: PatternSpec, square_at: int, padded: tuple[int, int]) -> tuple[np.ndarray, ...]:
    """Y, Cb and Cr planes (video range) of one frame padded to whole macroblocks."""
    image = Image.new("RGB", padded, (16, 16, 16))
    draw = ImageDraw.Draw(image)
    bar = max(spec.width // len(_BARS), 1)
    for index, colour in enumerate(_BARS):
        draw.rectangle([index * bar, 0, (index + 1) * bar - 1, spec.height - 1], fill=colour)
    top = (spec.height // _MB // 2) * _MB
    draw.rectangle([square_at, top, square_at + 2 * _MB - 1, top + 2 * _MB - 1], fill=(235, 235, 235))
    y, cb, cr = (np.asarray(plane, dtype=np.uint8) for plane in image.convert("YCbCr").split())
    return y, cb[::2, ::2].copy(), cr[::2, ::2].copy()


def _macroblock(planes: tuple[np.ndarray, ...], mb_x: int, mb_y: int) -> bytes:
    y, cb, cr = planes
    luma = y[mb_y * 16:(mb_y + 1) * 16, mb_x * 16:(mb_x + 1) * 16]
    chroma = [plane[mb_y * 8:(mb_y + 1) * 8, mb_x * 8:(mb_x + 1) * 8] for plane in (cb, cr)]
    return luma.tobytes() + b"".join(c.tobytes() for c in chroma)


def _slice_header(bits: _Bits, geo: _Geometry, frame: int) -> None:
    idr = frame == 0
    bits.ue(0)  # first_mb_in_slice
    bits.ue(7 if idr else 5)  # I or P, every slice of the picture alike
    bits.ue(0)
    bits.u(frame % (1 << geo.log2_frame_num), geo.log2_frame_num)
    if idr:
        bits.ue(0)  # idr_pic_id
    else:
        bits.u(0, 1)  # num_ref_idx_active_override_flag
        bits.u(0, 1)  # ref_pic_list_modification_flag_l0
    bits.u(0, 1)  # no_output_of_prior_pics / adaptive_ref_pic_marking_mode
    if idr:
        bits.u(0, 1)  # long_term_reference_flag
    bits.se(0)  # slice_qp_delta
    bits.ue(1)  # disable_deblocking_filter_idc


def _frame(geo: _Geometry, planes: tuple[np.ndarray, ...], frame: int, changed: set[int]) -> bytes:
    bits = _Bits()
    _slice_header(bits, geo, frame)
    total = geo.mbs_wide * geo.mbs_high
    skipped = 0
    for address in range(total):
        if frame and address not in changed:
            skipped += 1
            continue
        if frame:
            bits.ue(skipped)
            skipped = 0
        bits.ue(_I_PCM_IN_P_SLICE if frame else _I_PCM_IN_I_SLICE)
        bits.append_bytes(_macroblock(planes, address % geo.mbs_wide, address // geo.mbs_wide))
    if skipped:
        bits.ue(skipped)
    return _nal(3 if frame == 0 else 2, 5 if frame == 0 else 1, bits.trailing())


def _square_mbs(geo: _Geometry, square_at: int) -> set[int]:
    row = geo.spec.height // _MB // 2
    first = square_at // _MB
    columns = range(first, min(first + 3, geo.mbs_wide))
    return {r * geo.mbs_wide + c for r in (row, row + 1) for c in columns if r < geo.mbs_high}


def encode_frames(spec: PatternSpec) -> tuple[bytes, bytes, list[bytes]]:
    """SPS, PPS and one NAL unit per frame."""
    geo = _Geometry(spec)
    padded = (geo.mbs_wide * _MB, geo.mbs_high * _MB)
    count = max(round(spec.seconds * spec.fps), 1)
    travel = max(spec.width - 2 * _MB, 1)
    frames, previous = [], 0
    for frame in range(count):
        square_at = (frame * 4) % travel
        planes = _picture(spec, square_at, padded)
        changed = _square_mbs(geo, previous) | _square_mbs(geo, square_at)
        frames.append(_frame(geo, planes, frame, changed))
        previous = square_at
    return _sps(geo), _pps(), frames


def _box(kind: bytes, *payload: bytes) -> bytes:
    body = b"".join(payload)
    return struct.pack(">I4s", 8 + len(body), kind) + body


def _full(kind: bytes, version_flags: int, *payload: bytes) -> bytes:
    return _box(kind, struct.pack(">I", version_flags), *payload)


_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def _avc_config(spec: PatternSpec, sps: bytes, pps: bytes) -> bytes:
    config = bytes([1, spec.profile_idc, sps[2], spec.level_idc, 0xFF, 0xE1]) + struct.pack(">H", len(sps))
    config += sps + bytes([1]) + struct.pack(">H", len(pps)) + pps
    if spec.profile_idc in _HIGH_PROFILES:
        config += bytes([0xFD, 0xF8, 0xF8, 0])  # 4:2:0, 8-bit, no SPS extensions (ISO/IEC 14496-15)
    return _box(b"avcC", config)


def _sample_table(spec: PatternSpec, sps: bytes, pps: bytes, sizes: list[int], offset: int) -> bytes:
    entry = _box(b"avc1", bytes(6), struct.pack(">H", 1), bytes(16),
                 struct.pack(">HHIIIH", spec.width, spec.height, 0x480000, 0x480000, 0, 1),
                 bytes(32), struct.pack(">Hh", 0x18, -1), _avc_config(spec, sps, pps))
    return _box(b"stbl",
                _full(b"stsd", 0, struct.pack(">I", 1), entry),
                _full(b"stts", 0, struct.pack(">III", 1, len(sizes), 1)),
                _full(b"stss", 0, struct.pack(">II", 1, 1)),
                _full(b"stsc", 0, struct.pack(">IIII", 1, 1, len(sizes), 1)),
                _full(b"stsz", 0, struct.pack(">II", 0, len(sizes)), struct.pack(f">{len(sizes)}I", *sizes)),
                _full(b"stco", 0, struct.pack(">II", 1, offset)))


def _movie(spec: PatternSpec, sps: bytes, pps: bytes, sizes: list[int], offset: int) -> bytes:
    count = len(sizes)
    duration_ms = round(count * 1000 / spec.fps)
    media = _box(b"mdia",
                 _full(b"mdhd", 0, struct.pack(">IIIIHH", 0, 0, spec.fps, count, 0x55C4, 0)),
                 _full(b"hdlr", 0, struct.pack(">I4s12s", 0, b"vide", bytes(12)), b"VideoHandler\0"),
                 _box(b"minf", _full(b"vmhd", 1, bytes(8)),
                      _box(b"dinf", _full(b"dref", 0, struct.pack(">I", 1), _full(b"url ", 1))),
                      _sample_table(spec, sps, pps, sizes, offset)))
    track = _box(b"trak",
                 _full(b"tkhd", 3, struct.pack(">IIIII", 0, 0, 1, 0, duration_ms), bytes(8),
                       struct.pack(">hhHH", 0, 0, 0, 0), _MATRIX,
                       struct.pack(">II", spec.width << 16, spec.height << 16)),
                 media)
    header = _full(b"mvhd", 0, struct.pack(">IIII", 0, 0, 1000, duration_ms),
                   struct.pack(">IH", 0x10000, 0x100), bytes(10), _MATRIX, bytes(24), struct.pack(">I", 2))
    return _box(b"moov", header, track)


def make_pattern_video(spec: PatternSpec | None = None) -> bytes:
    """The whole MP4 file (`moov` before `mdat`, one chunk, 4-byte NAL lengths)."""
    spec = spec or PatternSpec()
    sps, pps, frames = encode_frames(spec)
    samples = [struct.pack(">I", len(frame)) + frame for frame in frames]
    sizes = [len(sample) for sample in samples]
    ftyp = _box(b"ftyp", b"isom", struct.pack(">I", 512), b"isomiso2avc1mp41")
    moov_size = len(_movie(spec, sps, pps, sizes, 0))
    offset = len(ftyp) + moov_size + 8
    return ftyp + _movie(spec, sps, pps, sizes, offset) + _box(b"mdat", *samples)
