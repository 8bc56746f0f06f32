"""The 2N display tab's video, display module choice and overlay limits, against simulated intercoms."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from pytestqt.qtbot import QtBot

from app.ui.demo import demo_args
from app.ui.panels.two_n.display_options import OVERLAY_REASON, VIDEO_REASON
from app.ui.panels.two_n.panel import TwoNPanel
from app.vendors.two_n.display_video import video_supported
from app.vendors.two_n.simulator.profiles import profile_for
from tests.gui.conftest import run_async, wait_until
from tests.gui.test_two_n_panel import Harness
from tests.unit.two_n.ffmpeg_video import ffmpeg_mp4


def intercom(tmp_path: Path, qloop: qasync.QEventLoop, serial_index: int) -> Iterator[Harness]:
    made = Harness(tmp_path, serial_index=serial_index)
    yield made
    run_async(qloop, made.http.aclose())
    made.history.close()


@pytest.fixture
def verso(tmp_path: Path, qloop: qasync.QEventLoop) -> Iterator[Harness]:
    yield from intercom(tmp_path, qloop, 0)


@pytest.fixture
def vario(tmp_path: Path, qloop: qasync.QEventLoop) -> Iterator[Harness]:
    yield from intercom(tmp_path, qloop, 1)


def test_test_pattern_video_on_the_chosen_display_module(
    qtbot: QtBot, qloop: qasync.QEventLoop, verso: Harness
) -> None:
    panel = TwoNPanel(verso.context)
    qtbot.addWidget(panel)
    tab = panel.display_tab

    async def scenario() -> None:
        await wait_until(lambda: tab.display_box.count() == 2)
        assert tab.display_box.isEnabled()
        assert tab.options.limits.isHidden()
        tab.display_box.setCurrentIndex(tab.display_box.findData("ext2"))
        assert tab.target is not None
        assert tab.target.display == "ext2"
        tab.pattern_button.click()
        await wait_until(tab.upload_button.isEnabled)
        tab.options.repeat_check.setChecked(True)
        tab.options.repeat.setValue(2)
        tab.upload_button.click()
        await wait_until(lambda: tab.status.text().startswith("Video "))

    run_async(qloop, scenario())
    assert tab.file_label.text() == "test-pattern-320x214.mp4"
    assert tab.preview_view.text().splitlines() == [
        "Video test-pattern-320x214.mp4",
        "320 × 214 px, 6.0 s, 10 fps, H.264 Baseline level 3.0, 60 frames",
        "Within the document's limits for this display.",
    ]
    assert tab.status.text() == "Video test-pattern-320x214.mp4 playing on ext2 as a notification of 2 plays."
    shown = verso.sim.state.shown["ext2"]
    assert (shown.kind, shown.notification) == ("video", True)
    assert "ext1" not in verso.sim.state.shown
    upload = verso.sim.requests.for_path("/api/display/image")[-1]
    assert upload.params() == {"display": "ext2", "repeat": "2"}
    actions = [(e.action, e.result) for e in verso.history.entries(verso.context.identity.key)]
    assert ("Upload display video", "succeeded") in actions
    panel.close_panel()


def test_a_video_the_display_would_refuse_is_explained_and_not_sent(
    qtbot: QtBot, qloop: qasync.QEventLoop, verso: Harness, tmp_path: Path
) -> None:
    panel = TwoNPanel(verso.context)
    qtbot.addWidget(panel)
    tab = panel.display_tab
    clip = tmp_path / "site-intro.mp4"
    clip.write_bytes(ffmpeg_mp4(640, 360, 25, 10, options={"profile": "high"}))

    async def scenario() -> None:
        await wait_until(lambda: tab.target is not None)
        await tab.set_video(clip)

    run_async(qloop, scenario())
    assert tab.preview_view.text().splitlines()[2:] == [
        "The display would refuse it:",
        "• Its H.264 profile is High; the display needs Baseline.",
        "• It plays at 25 fps; the display plays at most 15 fps.",
        "• It is 640 × 360 px; the display needs 320 × 214 or 214 × 240.",
    ]
    assert tab.status.text().startswith("This video cannot be shown: Its H.264 profile is High;")
    assert not tab.upload_button.isEnabled()
    assert verso.sim.requests.for_path("/api/display/image") == []
    panel.close_panel()


def test_a_file_that_is_no_mp4_says_so(qtbot: QtBot, qloop: qasync.QEventLoop, verso: Harness,
                                       tmp_path: Path) -> None:
    panel = TwoNPanel(verso.context)
    qtbot.addWidget(panel)
    tab = panel.display_tab
    clip = tmp_path / "notes.mp4"
    clip.write_text("meeting notes, not a video")
    run_async(qloop, wait_until(lambda: tab.target is not None))
    task = tab.set_video(clip)
    run_async(qloop, wait_until(task.done))
    assert tab.status.text() == ("Reading video failed: This file is not an MP4 video "
                                 "(it does not start with an 'ftyp' box).")
    assert not tab.upload_button.isEnabled()
    panel.close_panel()


def test_on_a_vario_overlay_and_video_are_unavailable_and_the_tab_says_why(
    qtbot: QtBot, qloop: qasync.QEventLoop, vario: Harness
) -> None:
    panel = TwoNPanel(vario.context)
    qtbot.addWidget(panel)
    panel.show()
    tab = panel.display_tab
    panel.tabs.setCurrentWidget(tab)
    run_async(qloop, wait_until(lambda: tab.target is not None))
    assert not tab.overlay_radio.isEnabled()
    assert tab.notification_radio.isChecked()
    assert tab.overlay_radio.toolTip() == OVERLAY_REASON
    assert tab.options.limits.isVisible()
    assert tab.options.limits.text() == f"{OVERLAY_REASON}\n{VIDEO_REASON}"
    assert not tab.video_button.isEnabled()
    assert not tab.pattern_button.isEnabled()
    assert not tab.display_box.isEnabled()
    assert tab.display_box.currentText() == "internal"
    panel.close_panel()


def test_the_demo_has_an_intercom_whose_display_plays_video() -> None:
    args = demo_args()
    vendors = [args[i + 1] for i, arg in enumerate(args) if arg == "--vendor"]
    models = [profile_for(position).variant for position, vendor in enumerate(vendors) if vendor == "two_n"]
    assert models == ["2N IP Vario", "2N IP Verso"]
    assert [video_supported(model) for model in models] == [False, True]
