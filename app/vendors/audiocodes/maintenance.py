"""Long maintenance work on a Mediant as Operation bodies: software update, restart, debug file."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.core.errors import TransferError
from app.core.progress import ProgressReporter
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.models import DebugFileState, DeviceStatus

SOFTWARE_STAGES = ("Uploading the software", "Waiting for the restart", "Confirming the new version")
RESTART_STAGES = ("Asking for a restart", "Waiting for the restart")
DEBUG_STAGES = ("Asking for a debug file", "Waiting for the device to create it")
HITLESS_POLL_SECONDS = 10.0
#: How long the app waits for a device to come back after a reset (its own restart time).
RESTART_WAIT_SECONDS = 900.0
#: A restart "when calls end" is followed for at most this long on top of the restart itself.
CALLS_END_WAIT_SECONDS = 3600.0
DEBUG_POLL_SECONDS = 3.0
DEBUG_TIMEOUT_SECONDS = 600.0
#: 204 answers only ("not ready" / "not created") for this long mean the device did not create it.
DEBUG_NOT_CREATED_SECONDS = 180.0


async def update_software(
    client: AudioCodesClient, filename: str, data: bytes, reporter: ProgressReporter
) -> DeviceStatus:
    """Upload a .cmp load, wait for the device to restart and confirm it runs a new version."""
    before = await _upload(client.upload_software, filename, data, reporter, client)
    reporter.stage(SOFTWARE_STAGES[1], message="the device is restarting")
    after = await client.wait_until_back(boot_uptime_below=before.uptime_seconds)
    reporter.stage(SOFTWARE_STAGES[2])
    if after.version == before.version:
        raise TransferError(
            f"The device restarted but still runs {after.version}: it did not accept {filename}.",
            state=f"running {after.version}",
        )
    return after


async def _upload(
    send: Callable[[str, bytes], Awaitable[str]],
    filename: str,
    data: bytes,
    reporter: ProgressReporter,
    client: AudioCodesClient,
) -> DeviceStatus:
    """The status before, then the load sent by `send` in the upload stage."""
    before = await client.status()
    reporter.stage(SOFTWARE_STAGES[0], total=len(data), message=filename)
    await send(filename, data)
    reporter.set(len(data))
    return before


async def update_software_hitless(
    client: AudioCodesClient, filename: str, data: bytes, reporter: ProgressReporter
) -> DeviceStatus:
    """Upload a .cmp by the hitless procedure (HA pair) and wait until the pair runs a new version."""
    before = await _upload(client.upload_software_hitless, filename, data, reporter, client)
    reporter.stage(SOFTWARE_STAGES[1], message="the units switch over one after the other")
    deadline = client.clock.monotonic() + RESTART_WAIT_SECONDS
    while client.clock.monotonic() < deadline:
        await client.clock.sleep(HITLESS_POLL_SECONDS)
        after = await client.status()
        if after.version != before.version:
            reporter.stage(SOFTWARE_STAGES[2])
            return after
    raise TransferError(
        f"The HA pair still runs {before.version} {int(RESTART_WAIT_SECONDS // 60)} minutes after "
        f"the hitless upload of {filename}; check the pair's state on the device.",
        state=f"running {before.version}",
    )


async def restart(
    client: AudioCodesClient, reporter: ProgressReporter, *, save: bool, graceful_timeout: int = 0
) -> DeviceStatus:
    """Reset the device (saving first when asked) and wait until it answers again; `graceful_timeout`
    (section 6) is 0 for now, 1 for when every call has ended, or the longest wait for calls in seconds."""
    reporter.stage(RESTART_STAGES[0])
    before = await client.status()
    await client.reset(save_configuration=save, graceful_timeout=graceful_timeout)
    waiting = "the device restarts once calls end" if graceful_timeout else "the device is restarting"
    reporter.stage(RESTART_STAGES[1], message=waiting)
    calls = CALLS_END_WAIT_SECONDS if graceful_timeout == 1 else graceful_timeout
    return await client.wait_until_back(
        boot_uptime_below=before.uptime_seconds, timeout=RESTART_WAIT_SECONDS + calls
    )


async def collect_debug_file(
    client: AudioCodesClient,
    reporter: ProgressReporter,
    *,
    attach_core_dump: bool = False,
    redundant: bool = False,
) -> bytes:
    """Ask for a debug file, poll until the device has made it, and return its content."""
    reporter.stage(DEBUG_STAGES[0])
    ticket = await client.create_debug_file(attach_core_dump=attach_core_dump, redundant=redundant)
    reporter.stage(DEBUG_STAGES[1])
    clock = client.clock
    started = clock.monotonic()
    last_progress = started  # when the device last said it is working on the file (202)
    while clock.monotonic() - started < DEBUG_TIMEOUT_SECONDS:
        state, content = await client.poll_debug_file(ticket)
        if state is DebugFileState.READY:
            return content
        if state is DebugFileState.BEING_CREATED:
            last_progress = clock.monotonic()
        elif clock.monotonic() - last_progress >= DEBUG_NOT_CREATED_SECONDS:
            raise TransferError(
                "The device did not create the debug file: it answered 204 No Content for "
                f"{int(DEBUG_NOT_CREATED_SECONDS // 60)} minutes (section 7: the file was not created). "
                "Ask for it again; if it fails again, take it from the web interface.",
                state="debug file not created",
            )
        reporter.stage(DEBUG_STAGES[1], message=state.value)
        await clock.sleep(DEBUG_POLL_SECONDS)
    raise TransferError(
        "The device did not finish the debug file within ten minutes.", state="debug file still being created"
    )
