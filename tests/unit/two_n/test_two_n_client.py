"""Each TwoNClient call: the request it sends (method, path, parameters, parts) and what it decodes."""

from __future__ import annotations

import io

from PIL import Image

from app.core.clock import ManualClock
from app.vendors.simulation import RequestLog
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.models import SwitchAction, SwitchMode, TimeSource
from app.vendors.two_n.pattern_video import PatternSpec, make_pattern_video
from app.vendors.two_n.simulator import TwoNSimulator, build_firmware
from tests.unit.two_n.conftest import advance, drive, multipart_parts


async def test_system_info_is_read_without_credentials(client: TwoNClient, received: RequestLog) -> None:
    info = await client.system_info()
    assert (received[-1].method, received[-1].path) == ("GET", "/api/system/info")
    assert "authorization" not in received[-1].headers
    assert info.variant == "2N IP Verso"
    assert info.serial_number == "54-0000-0000"
    assert info.mac == "FC-1E-B3-00-00-00"
    assert info.sw_version == "2.37.1.48.0"
    identity = await client.read_identity()
    assert identity.key == "two_n:54-0000-0000"
    assert identity.mac == "FC:1E:B3:00:00:00"


async def test_status_and_time(client: TwoNClient, received: RequestLog, clock: ManualClock) -> None:
    clock.advance(42)
    status = await client.system_status()
    assert received[-1].path == "/api/system/status"
    assert status.up_time == 42
    assert status.system_time == int(clock.now().timestamp())
    time = await client.system_time()
    assert received[-1].path == "/api/system/time"
    assert time.source is TimeSource.NTP
    assert time.automatic is True


async def test_set_time_sends_unix_time(client: TwoNClient, received: RequestLog, sim: TwoNSimulator,
                                        clock: ManualClock) -> None:
    sim.state.settings["Time/NtpEnabled"] = "0"
    target = int(clock.now().timestamp()) + 3600
    await client.set_time(target)
    assert received[-1].path == "/api/system/time/set"
    assert received[-1].params() == {"time": str(target)}
    time = await client.system_time()
    assert time.utc_time == target
    assert time.source is TimeSource.API


async def test_caps_parses_flag_lists(client: TwoNClient, received: RequestLog) -> None:
    caps = await client.system_caps()
    assert received[-1].method == "GET"
    assert received[-1].path == "/api/system/caps"
    assert caps.is_active("display")
    assert caps.options["display"] == frozenset({"active", "licensed"})
    assert not caps.is_active("liftControl")


async def test_restart_takes_device_down_then_back(client: TwoNClient, received: RequestLog,
                                                   clock: ManualClock, sim: TwoNSimulator) -> None:
    clock.advance(100)
    await client.restart()
    assert received[-1].path == "/api/system/restart"
    assert sim.rebooting
    status = await drive(clock, client.system_status())
    assert not sim.rebooting
    assert status.up_time < 5


async def test_switch_caps_status_and_ctrl(
    client: TwoNClient, received: RequestLog, clock: ManualClock
) -> None:
    caps = await client.switch_caps()
    assert received[-1].path == "/api/switch/caps"
    assert caps[0].mode is SwitchMode.MONOSTABLE
    assert caps[0].switch_on_duration == 5
    assert caps[2].enabled is False
    await client.switch_control(1, SwitchAction.TRIGGER)
    assert received[-1].path == "/api/switch/ctrl"
    assert received[-1].params() == {"switch": "1", "action": "trigger"}
    state = await client.switch_status(1)
    assert received[-1].params() == {"switch": "1"}
    assert state[0].active is True
    await advance(clock, 5)
    assert (await client.switch_status(1))[0].active is False


async def test_switch_hold_with_timeout_reports_hold_timeout(
    client: TwoNClient, received: RequestLog
) -> None:
    await client.switch_control(2, SwitchAction.HOLD, timeout=30)
    assert received[-1].params() == {"switch": "2", "action": "hold", "timeout": "30"}
    state = (await client.switch_status(2))[0]
    assert state.held is True
    assert state.active is True
    assert state.hold_timeout == 30


async def test_io_caps_and_status(client: TwoNClient, received: RequestLog) -> None:
    ports = await client.io_caps()
    assert received[-1].path == "/api/io/caps"
    assert ("relay1", "output") in [(p.port, p.type) for p in ports]
    await client.switch_control(1, SwitchAction.ON)
    status = await client.io_status("relay1")
    assert received[-1].params() == {"port": "relay1"}
    assert status[0].state == 1


async def test_camera_caps_and_snapshot(client: TwoNClient, received: RequestLog) -> None:
    caps = await client.camera_caps()
    assert received[-1].path == "/api/camera/caps"
    assert (640, 480) in caps.resolutions
    assert caps.sources == ("internal", "external")
    jpeg = await client.snapshot(640, 480, "internal")
    assert received[-1].params() == {"width": "640", "height": "480", "source": "internal"}
    with Image.open(io.BytesIO(jpeg)) as image:
        assert (image.format, image.size) == ("JPEG", (640, 480))


async def test_display_caps(client: TwoNClient, received: RequestLog) -> None:
    displays = await client.display_caps()
    assert received[-1].path == "/api/display/caps"
    assert [(d.display, d.width, d.height) for d in displays] == [("ext1", 320, 214), ("ext2", 320, 214)]


async def test_display_image_put_sends_blob_image_part(client: TwoNClient, received: RequestLog,
                                                       sim: TwoNSimulator) -> None:
    out = io.BytesIO()
    Image.new("RGB", (320, 214), (200, 0, 0)).save(out, "JPEG")
    await client.upload_display_image("ext1", out.getvalue(), "image/jpeg", duration_ms=30000)
    request = received[-1]
    assert (request.method, request.path) == ("PUT", "/api/display/image")
    assert request.params() == {"display": "ext1", "duration": "30000"}
    parts = multipart_parts(request)
    assert list(parts) == ["blob-image"]
    assert parts["blob-image"][1:] == ("image/jpeg", out.getvalue())
    assert sim.state.shown["ext1"].notification is True
    await client.delete_display_image("ext1")
    assert (received[-1].method, received[-1].params()) == ("DELETE", {"display": "ext1"})
    assert "ext1" not in sim.state.shown


async def test_display_video_on_verso(client: TwoNClient, received: RequestLog, sim: TwoNSimulator) -> None:
    video = make_pattern_video(PatternSpec(320, 214, fps=10, seconds=1.0))
    await client.upload_display_video("ext1", video, "video/mp4", repeat=3)
    assert received[-1].params() == {"display": "ext1", "repeat": "3"}
    assert b'name="blob-video"; filename="video.mp4"' in received[-1].body  # the part's header, kept
    assert (sim.state.shown["ext1"].kind, sim.state.shown["ext1"].data) == ("video", video)


async def test_firmware_upload_part_and_decoded_reply(client: TwoNClient, received: RequestLog) -> None:
    firmware = build_firmware("verso", "2.38.0.50.1", size=4096)
    upload = await client.upload_firmware(firmware, "verso.bin")
    request = received[-1]
    assert (request.method, request.path) == ("PUT", "/api/firmware")
    assert multipart_parts(request)["blob-fw"] == ("verso.bin", "application/octet-stream", firmware)
    assert len(upload.file_id) == 8
    assert upload.version == "2.38.0.50.1"
    assert upload.downgrade is False
    await client.reject_firmware(upload.file_id)
    assert (received[-1].path, received[-1].params()) == (
        "/api/firmware/reject", {"fileId": upload.file_id})


async def test_config_download_and_upload(client: TwoNClient, received: RequestLog, sim: TwoNSimulator,
                                          clock: ManualClock) -> None:
    xml = await client.download_config()
    assert received[-1].path == "/api/config"
    assert b"<DeviceDatabase" in xml
    assert b"Product name: 2N IP Verso" in xml
    changed = xml.replace(b"<DeviceName>2N IP Verso</DeviceName>", b"<DeviceName>Gate A</DeviceName>")
    await client.upload_config(changed)
    assert received[-1].method == "PUT"
    assert multipart_parts(received[-1])["blob-cfg"][2] == changed
    assert sim.state.device_name == "2N IP Verso"  # applied about 15 s later (§5.3.1)
    await drive(clock, _wait_name(client, "Gate A"))


async def _wait_name(client: TwoNClient, name: str) -> None:
    import asyncio

    while (await client.system_info()).device_name != name:
        await asyncio.sleep(0)


async def test_factory_reset_restores_defaults_and_restarts(client: TwoNClient, received: RequestLog,
                                                            sim: TwoNSimulator, clock: ManualClock) -> None:
    sim.state.settings["Device/DeviceName"] = "Gate B"
    await client.factory_reset()
    assert received[-1].path == "/api/config/factoryreset"
    await advance(clock, 15)
    info = await drive(clock, client.system_info())
    assert info.device_name == "2N IP Verso"


async def test_audio_test_result_arrives_as_event(client: TwoNClient, received: RequestLog,
                                                  clock: ManualClock) -> None:
    channel = await client.log_subscribe(events=("AudioLoopTest",))
    assert received[-1].params() == {"include": "new", "filter": "AudioLoopTest", "duration": "90"}
    await client.audio_test()
    assert received[-1].path == "/api/audio/test"
    events = await drive(clock, client.log_pull(channel, timeout=10))
    assert received[-1].params() == {"id": str(channel), "timeout": "10"}
    assert [(e.event, e.params) for e in events] == [("AudioLoopTest", {"result": "passed"})]
    await client.log_unsubscribe(channel)
    assert received[-1].params() == {"id": str(channel)}


async def test_log_caps_lists_events(client: TwoNClient) -> None:
    events = await client.log_caps()
    assert "SwitchStateChanged" in events
    assert "DeviceState" in events
