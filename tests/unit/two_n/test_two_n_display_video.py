"""Video on the display (§5.9.2, 2N IP Verso): the document's rules, the simulated intercom refusing what they
rule out with its error form, notification timing from `duration` and `repeat`, and the app's pre-check."""

from __future__ import annotations

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.errors import InvalidParameterError
from app.core.models import Credentials, Endpoint
from app.core.progress import ProgressReporter
from app.vendors.simulation import RequestLog
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.display_video import accepted_sizes, check_video, video_supported
from app.vendors.two_n.errors import TwoNInvalidParameterError, TwoNParameterConflictError
from app.vendors.two_n.image import DisplayTarget
from app.vendors.two_n.mp4 import read_video_info
from app.vendors.two_n.pattern_video import PatternSpec, make_pattern_video
from app.vendors.two_n.simulator import TwoNSimulator
from app.vendors.two_n.transfers import DISPLAY_VIDEO_STAGES, check_display_video, upload_display_video
from tests.unit.two_n.conftest import BASE_URL
from tests.unit.two_n.ffmpeg_video import ffmpeg_mp4

VERSO = DisplayTarget("ext1", 320, 214, frozenset({"JPEG", "BMP", "PNG"}))


def pattern(width: int = 320, height: int = 214, fps: int = 10, seconds: float = 2.0, **kw: int) -> bytes:
    return make_pattern_video(PatternSpec(width, height, fps, seconds, **kw))


def problems(data: bytes) -> tuple[str, ...]:
    return check_video(read_video_info(data), accepted_sizes(320, 214)).problems


def test_within_every_limit() -> None:
    assert problems(pattern(fps=15, seconds=60.0)) == ()
    assert problems(pattern(214, 240)) == ()  # the document's video table gives the Verso 214 x 240
    assert problems(ffmpeg_mp4(320, 214, 15, 30, options={"profile": "baseline", "level": "5.2"})) == ()


def test_each_rule_of_the_document() -> None:
    assert problems(pattern(seconds=60.2)) == ("It lasts 60.2 s; the display plays at most 60 s.",)
    assert problems(pattern(fps=16)) == ("It plays at 16 fps; the display plays at most 15 fps.",)
    assert problems(pattern(640, 480, seconds=0.5)) == (
        "It is 640 × 480 px; the display needs 320 × 214 or 214 × 240.",)
    assert problems(pattern(profile_idc=100)) == ("Its H.264 profile is High; the display needs Baseline.",)
    assert problems(pattern(level_idc=60)) == ("Its H.264 level is 6.0; the display takes up to 5.2.",)
    assert problems(ffmpeg_mp4(320, 214, 10, 10, codec="mpeg4")) == (
        "Its video is MPEG-4 Part 2; the display plays H.264 (MPEG-4 AVC) only.",)


def test_only_the_verso_section_offers_video() -> None:
    assert video_supported("2N IP Verso")
    assert not video_supported("2N IP Style")
    assert not video_supported("2N IP Vario")


async def test_the_intercom_plays_a_video_as_overlay_until_removed(
    client: TwoNClient, sim: TwoNSimulator, received: RequestLog
) -> None:
    await client.upload_display_video("ext2", pattern(), "video/mp4")
    assert received[-1].params() == {"display": "ext2"}
    shown = sim.state.shown["ext2"]
    assert (shown.kind, shown.notification, shown.until) == ("video", False, None)
    assert "ext1" not in sim.state.shown


@pytest.mark.parametrize(("duration_ms", "repeat", "ends_after"), [
    (None, 3, 6.0),        # three plays of a 2 s video
    (5000, None, 5.0),
    (5000, 2, 4.0),        # "terminated by the event that is generated earlier"
    (3000, 4, 3.0),
])
async def test_a_notification_ends_at_the_earlier_of_time_and_plays(
    client: TwoNClient, sim: TwoNSimulator, clock: ManualClock,
    duration_ms: int | None, repeat: int | None, ends_after: float,
) -> None:
    await client.upload_display_video("ext1", pattern(), "video/mp4", duration_ms=duration_ms, repeat=repeat)
    shown = sim.state.shown["ext1"]
    assert shown.notification is True
    assert shown.until == pytest.approx(clock.monotonic() + ends_after)


@pytest.mark.parametrize("video", [
    pattern(seconds=61.0), pattern(fps=25), pattern(640, 480, seconds=0.5), pattern(profile_idc=77),
    ffmpeg_mp4(320, 214, 10, 10, codec="mpeg4"), b"not a video at all",
], ids=["too long", "too fast", "wrong size", "Main profile", "MPEG-4 Part 2", "no MP4"])
async def test_the_intercom_refuses_what_the_document_rules_out(
    client: TwoNClient, sim: TwoNSimulator, received: RequestLog, video: bytes
) -> None:
    with pytest.raises(TwoNInvalidParameterError) as refused:
        await client.upload_display_video("ext1", video, "video/mp4", repeat=2)
    assert (refused.value.code, refused.value.param) == (12, "blob-video")
    assert "(parameter blob-video)" in str(refused.value)
    assert "ext1" not in sim.state.shown
    answer = received[-1]
    assert answer.path == "/api/display/image"


async def test_a_model_without_video_refuses_it(endpoint: Endpoint, clock: ManualClock) -> None:
    style = TwoNSimulator(serial_index=2, seed=1, clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=style), base_url=BASE_URL) as http:
        client = TwoNClient(http, endpoint, Credentials(style.info.username, style.info.password))
        with pytest.raises(TwoNInvalidParameterError) as refused:
            await client.upload_display_video("ext1", pattern(), "video/mp4")
    assert refused.value.param == "blob-video"
    assert style.state.shown == {}


async def test_a_picture_and_a_video_at_once_collide(client: TwoNClient, sim: TwoNSimulator) -> None:
    with pytest.raises(TwoNParameterConflictError):
        await client.api.call("PUT", "/api/display/image", params={"display": "ext1"}, files={
            "blob-image": ("a.png", b"png", "image/png"), "blob-video": ("v.mp4", pattern(), "video/mp4")})
    assert sim.state.shown == {}


async def test_the_app_refuses_before_sending_and_says_why(client: TwoNClient, received: RequestLog) -> None:
    video = check_display_video(pattern(fps=30), "fast.mp4", VERSO)
    assert video.check.problems == ("It plays at 30 fps; the display plays at most 15 fps.",)
    before = len(received)
    with pytest.raises(InvalidParameterError, match="would refuse this video: It plays at 30 fps"):
        await upload_display_video(client, "ext1", video, ProgressReporter(DISPLAY_VIDEO_STAGES),
                                   duration_ms=None, repeat=None)
    assert len(received) == before


async def test_the_app_uploads_a_checked_video_with_progress(
    client: TwoNClient, sim: TwoNSimulator, received: RequestLog
) -> None:
    video = check_display_video(pattern(), "pattern.mp4", VERSO)
    seen: list[int] = []
    reporter = ProgressReporter(DISPLAY_VIDEO_STAGES, lambda progress: seen.append(progress.done))
    await upload_display_video(client, "ext1", video, reporter, duration_ms=10_000, repeat=2)
    assert received[-1].params() == {"display": "ext1", "duration": "10000", "repeat": "2"}
    assert sim.state.shown["ext1"].data == video.data
    assert seen[-1] == len(video.data)
