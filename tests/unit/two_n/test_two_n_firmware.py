"""Firmware: upload with progress, apply with restart and version confirmation, reject, expiry, errors."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.errors import TransferError
from app.core.models import Credentials, Endpoint
from app.core.progress import Progress, ProgressReporter
from app.vendors.simulation import RequestLog
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.errors import (
    TwoNFileVersionTooLowError,
    TwoNInvalidParameterError,
    TwoNProcessingError,
)
from app.vendors.two_n.models import SystemStatus
from app.vendors.two_n.simulator import TwoNSimulator, build_firmware
from app.vendors.two_n.transfers import (
    ANSWERING_LIMIT,
    FIRMWARE_APPLY_STAGES,
    FIRMWARE_UPLOAD_STAGES,
    apply_firmware,
    restarted_since,
    upload_firmware,
)
from tests.unit.two_n.conftest import advance, drive

NEW = "2.38.0.50.1"


def reporter(stages: tuple[str, ...], seen: list[Progress]) -> ProgressReporter:
    return ProgressReporter(stages, seen.append)


async def test_upload_apply_restart_and_confirm(client: TwoNClient, received: RequestLog, sim: TwoNSimulator,
                                                clock: ManualClock) -> None:
    clock.advance(3600)  # the device has been up for an hour
    firmware = build_firmware("verso", NEW, size=300_000)
    seen: list[Progress] = []
    upload = await upload_firmware(client, firmware, "verso.bin", reporter(FIRMWARE_UPLOAD_STAGES, seen))
    assert upload.version == NEW
    uploading = [p for p in seen if p.stage == "Uploading firmware"]
    assert uploading[-1].done == uploading[-1].total == len(firmware)
    assert sim.state.pending_firmware is not None

    applied: list[Progress] = []
    info = await drive(clock, apply_firmware(client, upload, reporter(FIRMWARE_APPLY_STAGES, applied), clock,
                                             poll_interval=2.0))
    assert info.sw_version == NEW
    assert sim.state.sw_version == NEW
    assert [p.stage for p in applied][-1] == "Confirming version"
    apply_request = next(r for r in received if r.path == "/api/firmware/apply")
    assert apply_request.params() == {"fileId": upload.file_id}
    # After the restart the event log starts again at id 1 with DeviceState startup (§5.10.4).
    channel = await client.log_subscribe(include="all")
    events = await client.log_pull(channel)
    assert (events[0].id, events[0].event, events[0].params) == (1, "DeviceState", {"state": "startup"})


async def test_reject_frees_the_device_for_a_new_upload(client: TwoNClient, sim: TwoNSimulator) -> None:
    first = await client.upload_firmware(build_firmware("verso", NEW, size=2048))
    await client.reject_firmware(first.file_id)
    assert sim.state.pending_firmware is None
    with pytest.raises(TwoNProcessingError) as caught:
        await client.apply_firmware(first.file_id)
    assert caught.value.description == "new firmware not found"
    second = await client.upload_firmware(build_firmware("verso", NEW, size=2048))
    assert second.file_id != first.file_id


async def test_upload_while_pending_rejects_the_known_file_first(client: TwoNClient, received: RequestLog,
                                                                 sim: TwoNSimulator) -> None:
    first = await client.upload_firmware(build_firmware("verso", NEW, size=2048))
    seen: list[Progress] = []
    second = await upload_firmware(client, build_firmware("verso", "2.38.0.51.0", size=2048), "b.bin",
                                   reporter(FIRMWARE_UPLOAD_STAGES, seen), pending_file_id=first.file_id)
    paths = received.paths()
    assert paths.index("/api/firmware/reject") < len(paths) - 1
    assert second.version == "2.38.0.51.0"


async def test_pending_upload_is_rejected_after_five_minutes(client: TwoNClient, sim: TwoNSimulator,
                                                             clock: ManualClock) -> None:
    upload = await client.upload_firmware(build_firmware("verso", NEW, size=2048))
    await advance(clock, 299)
    assert sim.state.pending_firmware is not None
    await advance(clock, 2)
    with pytest.raises(TwoNProcessingError):
        await client.apply_firmware(upload.file_id)


async def test_device_does_not_answer_an_upload_while_a_file_is_pending(client: TwoNClient,
                                                                        clock: ManualClock) -> None:
    await client.upload_firmware(build_firmware("verso", NEW, size=2048))
    second = asyncio.ensure_future(client.upload_firmware(build_firmware("verso", NEW, size=2048)))
    await advance(clock, 60)
    assert not second.done()
    await advance(clock, 241)  # the first file lapses; only then is the second upload answered
    result = await second
    assert result.version == NEW


async def test_wrong_model_and_too_old_files(client: TwoNClient) -> None:
    with pytest.raises(TwoNInvalidParameterError) as caught:
        await client.upload_firmware(build_firmware("style", NEW, size=2048))
    assert caught.value.param == "blob-fw"
    with pytest.raises(TwoNInvalidParameterError):
        await client.upload_firmware(b"garbage" * 100)
    with pytest.raises(TwoNFileVersionTooLowError):
        await client.upload_firmware(build_firmware("verso", "2.20.0.1.0", size=2048, minimum="2.30.0.0.0"))


async def test_apply_with_bad_file_id_is_code_12(client: TwoNClient) -> None:
    with pytest.raises(TwoNInvalidParameterError) as caught:
        await client.apply_firmware("not-hex!")
    assert caught.value.param == "fileId"


async def test_restart_into_the_old_version_is_a_transfer_error_with_state(
    client: TwoNClient, sim: TwoNSimulator, clock: ManualClock
) -> None:
    clock.advance(200)
    upload = await client.upload_firmware(build_firmware("verso", NEW, size=2048))
    original = sim.reboot
    # The installation fails: the device restarts without switching version.
    sim.reboot = lambda seconds=None, before_boot=None: original(seconds, None)  # type: ignore[method-assign]
    seen: list[Progress] = []
    with pytest.raises(TransferError) as caught:
        await drive(clock, apply_firmware(client, upload, reporter(FIRMWARE_APPLY_STAGES, seen), clock,
                                          poll_interval=1.0))
    assert "still runs 2.37.1.48.0" in caught.value.message
    assert "did not take effect" in caught.value.state


async def test_unanswered_upload_explains_the_pending_file_rule() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            raise httpx.ReadTimeout("no reply", request=request)
        return httpx.Response(200, json={"success": True, "result": {"systemTime": 1, "upTime": 1}})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = TwoNClient(http, Endpoint("intercom.test", 443), Credentials("admin", "pw"))
        with pytest.raises(TransferError) as caught:
            await upload_firmware(client, build_firmware("verso", NEW, size=2048), "v.bin",
                                  ProgressReporter(FIRMWARE_UPLOAD_STAGES))
    assert "5 minutes" in caught.value.message
    assert caught.value.state == "running firmware unchanged"


async def test_a_restart_within_two_seconds_of_the_previous_boot_is_seen(
    client: TwoNClient, sim: TwoNSimulator, clock: ManualClock
) -> None:
    # Booted a moment ago: the boot instant after the restart is less than 2 s later than before.
    sim.reboot_seconds = 1.0
    upload = await client.upload_firmware(build_firmware("verso", NEW, size=2048))
    seen: list[Progress] = []
    info = await drive(clock, apply_firmware(client, upload, reporter(FIRMWARE_APPLY_STAGES, seen), clock,
                                             poll_interval=2.0), limit=60)
    assert info.sw_version == NEW


async def test_a_device_that_answers_on_without_restarting_fails_within_the_answering_limit(
    client: TwoNClient, sim: TwoNSimulator, clock: ManualClock
) -> None:
    clock.advance(100)
    upload = await client.upload_firmware(build_firmware("verso", NEW, size=2048))
    sim.reboot = lambda seconds=None, before_boot=None: None  # type: ignore[method-assign]
    seen: list[Progress] = []
    with pytest.raises(TransferError) as caught:
        await drive(clock, apply_firmware(client, upload, reporter(FIRMWARE_APPLY_STAGES, seen), clock,
                                          poll_interval=5.0), limit=ANSWERING_LIMIT + 30)
    assert "without restarting" in caught.value.message
    assert "not installed" in caught.value.state


@pytest.mark.parametrize(("now", "seconds", "went_down", "restarted"), [
    (SystemStatus(1_000_100, 50), 10.0, False, True),     # boot instant 50 s later
    (SystemStatus(1_000_010, 3), 10.0, False, True),      # up 3 s, 10 s after: booted since
    (SystemStatus(1_000_002, 1), 2.0, False, True),       # a 1 s restart right after a boot
    (SystemStatus(1_000_010, 11), 10.0, False, False),    # up all along (booted 1 s before `before`)
    (SystemStatus(1_000_010, 10), 10.0, True, True),      # went away, back with an uptime that fits
    (SystemStatus(1_000_010, 10), 10.0, False, False),    # same figures without going away: no proof
])
def test_what_proves_a_restart(now: SystemStatus, seconds: float, went_down: bool, restarted: bool) -> None:
    before = SystemStatus(1_000_000, 1)
    assert restarted_since(before, now, seconds, went_down) is restarted
