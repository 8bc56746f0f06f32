"""What the 2N document demands of a display video (§5.9.2, 2N IP Verso `blob-video`), checked on the facts
an MP4 container states. Shared by the app (before it uploads) and the simulated intercom (which refuses)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.vendors.two_n.mp4 import VideoInfo

#: §5.9.2 (Verso, blob-video): "maximum duration of 60 s, maximum of 15 fps".
MAX_DURATION_S = 60.0
MAX_FPS = 15.0
#: Rounding a container's time scale may leave on a frame rate (1001-based rates, odd time scales).
FPS_TOLERANCE = 0.01
#: §5.9.2 video table: "MPEG4 / H264: Baseline profile, up to 5.2 level" (H.264 profile_idc 66, level 52).
BASELINE_PROFILE = 66
MAX_LEVEL_IDC = 52
#: §5.9.2 gives the Verso video as 320 x 214 (blob-video text) and 214 x 240 (video table): both are taken.
DOCUMENTED_VIDEO_SIZES: tuple[tuple[int, int], ...] = ((320, 214), (214, 240))
#: §5.9.2 names the video only for the 2N IP Verso; the Style and Vario sections have no `blob-video`.
VIDEO_MODELS = ("2N IP Verso",)
#: The largest video file the app sends (the document gives no limit; the example upload is 0.9 MB).
MAX_VIDEO_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class VideoCheck:
    """A video's facts and every way it breaks the document's rules (empty: the display should play it)."""

    info: VideoInfo
    problems: tuple[str, ...]

    @property
    def acceptable(self) -> bool:
        """True when no rule is broken."""
        return not self.problems


def video_supported(variant: str) -> bool:
    """True for a model whose display section in the document takes `blob-video`."""
    return any(model in variant for model in VIDEO_MODELS)


def accepted_sizes(width: int, height: int) -> tuple[tuple[int, int], ...]:
    """The video sizes a display of `width` x `height` (from /api/display/caps) plays."""
    return tuple(dict.fromkeys(((width, height), *DOCUMENTED_VIDEO_SIZES)))


def check_video(info: VideoInfo, sizes: Iterable[tuple[int, int]]) -> VideoCheck:
    """The document's rules applied to `info`; `sizes` are the resolutions the display takes."""
    allowed = tuple(dict.fromkeys(sizes))
    problems = [*_codec_problems(info)]
    if info.duration_s > MAX_DURATION_S:
        limit = f"{MAX_DURATION_S:.0f} s"
        problems.append(f"It lasts {info.duration_s:.1f} s; the display plays at most {limit}.")
    if info.peak_fps > MAX_FPS + FPS_TOLERANCE:
        problems.append(f"It plays at {info.peak_fps:.3g} fps; the display plays at most {MAX_FPS:.0f} fps.")
    if (info.width, info.height) not in allowed:
        wanted = " or ".join(f"{w} × {h}" for w, h in allowed)
        problems.append(f"It is {info.width} × {info.height} px; the display needs {wanted}.")
    return VideoCheck(info, tuple(problems))


def _codec_problems(info: VideoInfo) -> list[str]:
    # Assumed: "MPEG4 / H264" names one codec, H.264 (MPEG-4 AVC): the profile and level the table gives
    # are H.264's, and the document's own example upload is x264 output. MPEG-4 Part 2 is refused.
    if not info.is_h264:
        return [f"Its video is {info.codec_name}; the display plays H.264 (MPEG-4 AVC) only."]
    problems = []
    if info.profile_idc != BASELINE_PROFILE:
        problems.append(f"Its H.264 profile is {profile_name(info.profile_idc)}; the display needs Baseline.")
    if info.level_idc is None or info.level_idc > MAX_LEVEL_IDC:
        problems.append(f"Its H.264 level is {level_name(info.level_idc)}; the display takes up to 5.2.")
    return problems


_PROFILES = {66: "Baseline", 77: "Main", 88: "Extended", 100: "High", 110: "High 10", 122: "High 4:2:2",
             244: "High 4:4:4"}


def profile_name(profile_idc: int | None) -> str:
    """An H.264 profile_idc in words."""
    if profile_idc is None:
        return "not stated"
    return _PROFILES.get(profile_idc, f"profile {profile_idc}")


def level_name(level_idc: int | None) -> str:
    """An H.264 level_idc as the level number (31 -> "3.1")."""
    if level_idc is None:
        return "not stated"
    return f"{level_idc // 10}.{level_idc % 10}"


def describe(info: VideoInfo) -> str:
    """One line of facts for the technician."""
    codec = info.codec_name
    if info.is_h264:
        codec += f" {profile_name(info.profile_idc)} level {level_name(info.level_idc)}"
    return (f"{info.width} × {info.height} px, {info.duration_s:.1f} s, {info.peak_fps:.3g} fps, {codec}, "
            f"{info.frame_count} frames")
