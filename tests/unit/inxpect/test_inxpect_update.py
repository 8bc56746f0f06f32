"""The chunked update flow against the strict simulator: success, web diff, fault and cancel."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from app.core.errors import TransferError
from app.core.progress import Progress, ProgressReporter
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.firmware import UPDATE_STAGES, FirmwareUpdater, check_package, prepare_update
from app.vendors.inxpect.ifw import InvalidPackageError, read_ifw
from app.vendors.inxpect.ifw_builder import firmware_package, web_package
from app.vendors.inxpect.simulator import InxpectSimulator
from app.vendors.inxpect.simulator.updates import Phase


def _reporter(seen: list[Progress]) -> ProgressReporter:
    return ProgressReporter(UPDATE_STAGES, seen.append)


async def test_firmware_update_sends_chunks_with_headers_and_installs(
    client: InxpectClient, sim: InxpectSimulator
) -> None:
    sim.update.file_chunk_size = 16 * 1024
    package = read_ifw(firmware_package(1, 1209, 40 * 1024), "CBPOE.ifw")
    plan = await prepare_update(client, package)
    seen: list[Progress] = []
    info = await FirmwareUpdater(client, plan).run(_reporter(seen))
    assert info.comboard.fw_version == 1209
    chunks = [r for r in sim.requests if r.path == "/chunkFileUpdate"]
    assert [c.headers["content-range"] for c in chunks] == [
        "bytes 0-16383/40960",
        "bytes 16384-32767/40960",
        "bytes 32768-40959/40960",
    ]
    assert {c.headers["x-update-filename"] for c in chunks} == {"CBPOE_v1209.bin"}
    manifest_chunk = next(r for r in sim.requests if r.path == "/chunkManifestUpdate")
    assert manifest_chunk.headers["x-update-filename"] == "CBPOE_v1209.bin.mf"
    order = [r.path for r in sim.requests if "Update" in r.path and "chunk" not in r.path]
    assert order[:3] == ["/startProcessUpdate", "/startManifestUpdate", "/stopManifestUpdate"]
    assert order[-3:] == ["/startFileUpdate", "/stopFileUpdate", "/stopProcessUpdate"]
    assert json.loads(next(r for r in sim.requests if r.path == "/startProcessUpdate").body) == {"dst": 1}
    sending = [p for p in seen if p.stage == "Sending files"]
    assert sending[-1].done == plan.bytes_to_send
    assert seen[-1].stage == "Reading the firmware back"


async def test_web_update_sends_only_changed_files(client: InxpectClient, sim: InxpectSimulator) -> None:
    plan = await prepare_update(client, read_ifw(web_package(1210), "web.ifw"))
    await FirmwareUpdater(client, plan).run(ProgressReporter(UPDATE_STAGES))
    sent = {r.headers["x-update-filename"] for r in sim.requests if r.path == "/chunkFileUpdate"}
    assert sent == {"index.html.gz", "static/app.js.gz", "contents.json"}
    assert sim.web_contents["vc"] == 1210


async def test_fault_at_chosen_chunk_aborts_with_force_and_reports_firmware(
    client: InxpectClient, sim: InxpectSimulator
) -> None:
    sim.update.file_chunk_size = 8 * 1024
    sim.scenarios.enable("update_write_error", times=1, after=2)
    plan = await prepare_update(client, read_ifw(firmware_package(1, 1209, 64 * 1024), "CBPOE.ifw"))
    with pytest.raises(TransferError) as caught:
        await FirmwareUpdater(client, plan).run(ProgressReporter(UPDATE_STAGES))
    assert caught.value.code == 8
    assert "still runs sensor firmware 1.100 and network board firmware 1.207" in caught.value.state
    assert len([r for r in sim.requests if r.path == "/chunkFileUpdate"]) == 3
    stop = [r for r in sim.requests if r.path == "/stopProcessUpdate"][-1]
    assert json.loads(stop.body) == {"force": 1}
    assert sim.phase() is Phase.IDLE
    assert sim.comboard_firmware == 1207


async def test_cancel_aborts_with_force(client: InxpectClient, sim: InxpectSimulator) -> None:
    sim.update.file_chunk_size = 4 * 1024
    plan = await prepare_update(client, read_ifw(firmware_package(0, 1102, 64 * 1024), "sensor.ifw"))
    updater = FirmwareUpdater(client, plan)

    def cancel_after_two_chunks(progress: Progress) -> None:
        if progress.stage == "Sending files" and progress.done > 8 * 1024:
            task.cancel()

    task = asyncio.ensure_future(updater.run(ProgressReporter(UPDATE_STAGES, cancel_after_two_chunks)))
    with pytest.raises(asyncio.CancelledError):
        await task
    assert json.loads([r for r in sim.requests if r.path == "/stopProcessUpdate"][-1].body) == {"force": 1}
    assert "still runs sensor firmware 1.100" in updater.final_state
    assert sim.phase() is Phase.IDLE


async def test_downgrade_needs_confirmation(client: InxpectClient) -> None:
    plan = await prepare_update(client, read_ifw(firmware_package(1, 1100, 1024), "old.ifw"))
    with pytest.raises(InvalidPackageError, match="confirm"):
        FirmwareUpdater(client, plan)
    FirmwareUpdater(client, plan, allow_downgrade=True)


async def test_simulator_rejects_out_of_order_and_bad_ranges(
    client: InxpectClient, sim: InxpectSimulator
) -> None:
    assert (await client._call("PUT", "/startFileUpdate"))["errorCode"] == 3
    await client.start_process_update(1)
    await client.start_manifest_update()
    answer = await client._call(
        "PUT",
        "/chunkManifestUpdate",
        content=b"abc",
        headers={"X-Update-Filename": "a.bin.mf", "Content-Range": "bytes 5-7/10"},
    )
    assert answer["errorCode"] == 5
    answer = await client._call("PUT", "/chunkManifestUpdate", content=b"abc")
    assert answer["errorCode"] == 4
    await client.stop_process_update(force=True)
    assert sim.phase() is Phase.IDLE


async def test_checking_a_package_file_plans_it_against_the_device_and_refuses_a_broken_one(
    client: InxpectClient, sim: InxpectSimulator, tmp_path: Path
) -> None:
    good = tmp_path / "CBPOE.ifw"
    good.write_bytes(firmware_package(1, 1209, 16 * 1024))
    plan = await check_package(client, good)
    assert plan.package.descriptor.version_code == 1209
    assert [f.name for f in plan.files] == ["CBPOE_v1209.bin"]
    assert [r.path for r in sim.requests if r.method == "GET"][-1] == "/sensorInfo"  # planned on what it runs
    broken = tmp_path / "broken.ifw"
    broken.write_bytes(b"not a zip")
    with pytest.raises(InvalidPackageError):
        await check_package(client, broken)
