"""MP4 files written by FFmpeg's encoders and muxer (through PyAV): what real tools make, for the parser."""

from __future__ import annotations

import io

import av
import numpy as np


def ffmpeg_mp4(width: int, height: int, fps: int, frames: int, codec: str = "libx264",
               options: dict[str, str] | None = None) -> bytes:
    """An MP4 of `frames` grey frames growing lighter, encoded with FFmpeg's `codec`."""
    out_file = io.BytesIO()
    with av.open(out_file, "w", format="mp4") as out:
        stream = out.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = options or {}
        for index in range(frames):
            picture = np.full((height, width, 3), (index * 8) % 256, np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return out_file.getvalue()


def decoded_frames(data: bytes) -> list[np.ndarray]:
    """Every frame FFmpeg's decoder makes of `data`, as RGB arrays."""
    with av.open(io.BytesIO(data)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
