"""Long 2N workflows: firmware update with restart and confirmation, configuration backup and restore,
display image upload. Each reports on a ProgressReporter and is run as an Operation by the UI."""

from __future__ import annotations

import asyncio
import io
import logging
import math
import os
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from app.core.clock import Clock
from app.core.errors import (
    DeviceError,
    DeviceTimeoutError,
    DeviceUnreachableError,
    InvalidParameterError,
    TransferError,
)
from app.core.progress import ProgressReporter
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.display_video import MAX_VIDEO_BYTES, VideoCheck, accepted_sizes, check_video
from app.vendors.two_n.image import ConvertedImage, DisplayTarget
from app.vendors.two_n.models import FirmwareUpload, SystemInfo, SystemStatus
from app.vendors.two_n.mp4 import read_video_info

log = logging.getLogger(__name__)

FIRMWARE_UPLOAD_STAGES = ("Checking device", "Uploading firmware")
FIRMWARE_APPLY_STAGES = ("Applying firmware", "Waiting for restart", "Confirming version")
CONFIG_BACKUP_STAGES = ("Downloading configuration", "Saving file")
CONFIG_RESTORE_STAGES = ("Checking file", "Uploading configuration")
DISPLAY_UPLOAD_STAGES = ("Converting image", "Uploading image")
DISPLAY_VIDEO_STAGES = ("Uploading video",)
RESTART_TIMEOUT = 600.0
#: A device that answers all along for this long after apply, without restarting, is not going to.
ANSWERING_LIMIT = 180.0
POLL_INTERVAL = 5.0
PROBE_TIMEOUT = 4.0
READ_SLICE = 1024 * 1024


class ProgressFile(io.BytesIO):
    """In-memory file that reports how far httpx has read it (byte progress of a multipart upload).

    Reads at least READ_SLICE bytes at a time: httpx asks for 64 KiB, and larger slices mean fewer
    TLS writes and progress callbacks without making progress coarse for the technician.
    """

    def __init__(self, data: bytes, on_progress: Callable[[int, int], None]) -> None:
        super().__init__(data)
        self._total = len(data)
        self._on_progress = on_progress

    def read(self, size: int | None = -1, /) -> bytes:
        """Read and report the position reached."""
        chunk = super().read(size if size is None or size < 0 else max(size, READ_SLICE))
        self._on_progress(self.tell(), self._total)
        return chunk


class ProgressFileReader(io.FileIO):
    """A firmware file on disk read by httpx in READ_SLICE pieces, reporting how far it got: an upload
    streams from disk, so many devices updated at once never hold copies of the file in memory."""

    def __init__(self, path: Path, on_progress: Callable[[int, int], None]) -> None:
        super().__init__(path, "rb")
        self.total = os.fstat(self.fileno()).st_size
        self._on_progress = on_progress

    def read(self, size: int | None = -1, /) -> bytes:
        """Read and report the position reached."""
        chunk = super().read(size if size is None or size < 0 else max(size, READ_SLICE))
        self._on_progress(self.tell(), self.total)
        return chunk


async def upload_firmware(
    client: TwoNClient, data: bytes | Path, filename: str, reporter: ProgressReporter,
    *, pending_file_id: str | None = None,
) -> FirmwareUpload:
    """Upload a firmware file (bytes, or streamed from a path); it then waits on the device for apply or
    reject (5 minutes at most).

    A file this app left pending is rejected first: the device does not answer an upload while
    another file is pending (§5.2.1 caution).
    """
    reporter.stage("Checking device", message="Reading the device's firmware version")
    await client.system_status()
    if pending_file_id:
        try:
            await client.reject_firmware(pending_file_id)
        except DeviceError as err:
            log.info("Earlier firmware file %s was no longer pending: %s", pending_file_id, err)
    if isinstance(data, Path):
        with ProgressFileReader(data, reporter.set) as stream:
            reporter.stage("Uploading firmware", total=stream.total, message=f"Uploading {filename}")
            return await _send_firmware(client, stream, filename)
    reporter.stage("Uploading firmware", total=len(data), message=f"Uploading {filename}")
    return await _send_firmware(client, ProgressFile(data, reporter.set), filename)


async def _send_firmware(client: TwoNClient, upload: IO[bytes], filename: str) -> FirmwareUpload:
    try:
        return await client.upload_firmware(upload, filename)
    except DeviceTimeoutError as err:
        # §5.2.1: the device does not reply to an upload while another file is pending.
        raise TransferError(
            "The intercom did not answer the upload. Another firmware file may be waiting on it "
            "(uploaded by another tool); the intercom discards it 5 minutes after its upload. "
            "Try again then.",
            state="running firmware unchanged",
        ) from err


async def apply_firmware(
    client: TwoNClient, upload: FirmwareUpload, reporter: ProgressReporter, clock: Clock,
    *, restart_timeout: float = RESTART_TIMEOUT, poll_interval: float = POLL_INTERVAL,
) -> SystemInfo:
    """Apply an uploaded file, wait for the restart, reconnect and confirm the device runs its version."""
    reporter.stage("Applying firmware", message=f"Installing {upload.version}")
    before = await client.system_status()
    read_at = clock.monotonic()
    await client.apply_firmware(upload.file_id)
    reporter.stage("Waiting for restart", message="The intercom installs the firmware and restarts")
    await wait_for_restart(client, clock, before, read_at, timeout=restart_timeout,
                           poll_interval=poll_interval)
    info = await client.system_info()
    reporter.stage("Confirming version", message=f"The intercom runs {info.sw_version}")
    if info.sw_version != upload.version:
        raise TransferError(
            f"The intercom restarted but still runs {info.sw_version}, not {upload.version}.",
            state=f"running {info.sw_version}; the update did not take effect",
        )
    return info


def restarted_since(before: SystemStatus, now: SystemStatus, seconds_since: float, went_down: bool) -> bool:
    """True when `now` proves a boot since `before` was received, `seconds_since` ago (this computer's clock).

    Any of: a boot instant (systemTime - upTime) 2 s later than before; an uptime shorter than the whole
    seconds since then (a device up all along has counted at least those), which needs no device clock and
    holds however recently it booted before; or the device stopped answering and came back with an uptime
    that fits in that time.
    """
    if now.system_time - now.up_time >= before.system_time - before.up_time + 2:
        return True
    if now.up_time < math.floor(seconds_since):
        return True
    return went_down and now.up_time <= seconds_since


async def wait_for_restart(
    client: TwoNClient, clock: Clock, before: SystemStatus, read_at: float, *, timeout: float,
    poll_interval: float, answering_limit: float = ANSWERING_LIMIT,
) -> None:
    """Poll /api/system/status until it proves a restart since `before` was received at `read_at` (the
    clock's monotonic time; see restarted_since).

    Unanswered probes (device down) are expected. Bounded twice: `timeout` in all, and `answering_limit`
    while the device answers all along without ever restarting (it took the file but is not installing it).
    """
    went_down = False
    while clock.monotonic() - read_at < timeout:
        await clock.sleep(poll_interval)
        try:
            status = await client.system_status(timeout=PROBE_TIMEOUT, retry=False)
        except (DeviceUnreachableError, DeviceTimeoutError):
            went_down = True
            continue
        elapsed = clock.monotonic() - read_at
        if restarted_since(before, status, elapsed, went_down):
            return
        if not went_down and elapsed >= answering_limit:
            raise TransferError(
                f"The intercom accepted the firmware but kept answering for {answering_limit / 60:.0f} "
                "minutes without restarting.",
                state="firmware applied but not installed; restart the intercom, then check its version",
            )
    raise TransferError(
        "The intercom did not come back after its restart in time.",
        state="firmware applied; the device has not answered since: check its power and network",
    )


async def backup_config(client: TwoNClient, target: Path, reporter: ProgressReporter) -> Path:
    """Download the configuration XML and write it atomically to `target`."""
    reporter.stage("Downloading configuration")
    xml = await client.download_config()
    reporter.stage("Saving file", message=str(target))
    await asyncio.to_thread(write_atomically, target, xml)
    return target


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a synced temporary file, so a crash never leaves half a backup."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".2n-config-", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def check_config_file(xml: bytes) -> str:
    """The product name in a configuration file's header; InvalidParameterError if it is not one."""
    text = xml.decode("utf-8", errors="replace")
    if "<DeviceDatabase" not in text:
        raise InvalidParameterError("This file is not a 2N configuration backup (no DeviceDatabase).")
    try:
        ET.fromstring(xml)  # noqa: S314  (the technician's own backup file, parsed only for well-formedness)
    except ET.ParseError as err:
        raise InvalidParameterError(f"The configuration file is damaged: {err}") from err
    for line in text.splitlines():
        if "Product name:" in line:
            return line.split("Product name:", 1)[1].strip()
    return ""


async def restore_config(
    client: TwoNClient, source: Path, reporter: ProgressReporter, *, allow_other_model: bool = False
) -> None:
    """Upload a configuration backup; the intercom applies it about 15 s later (§5.3.1)."""
    reporter.stage("Checking file", message=str(source))
    xml = await asyncio.to_thread(source.read_bytes)
    product = check_config_file(xml)
    info = await client.system_info()
    if product and product != info.variant and not allow_other_model:
        raise InvalidParameterError(
            f"This backup is from a {product}; this device is a {info.variant}. Restore refused."
        )
    reporter.stage("Uploading configuration", total=len(xml))
    await client.upload_config(ProgressFile(xml, reporter.set),
                               source.name)


async def upload_display_image(
    client: TwoNClient, display: str, image: ConvertedImage, reporter: ProgressReporter,
    *, duration_ms: int | None,
) -> None:
    """Upload a converted image: a notification for `duration_ms`, or an overlay when None."""
    reporter.stage("Uploading image", total=len(image.data),
                   message="as a notification" if duration_ms else "as an overlay")
    upload = ProgressFile(image.data, reporter.set)
    await client.upload_display_image(display, upload, image.content_type, duration_ms=duration_ms,
                                      filename=image.filename)


@dataclass(frozen=True, slots=True)
class DisplayVideo:
    """A video file read and checked for one display: its bytes, name and the document's verdict."""

    data: bytes
    filename: str
    check: VideoCheck


def check_display_video(data: bytes, filename: str, target: DisplayTarget) -> DisplayVideo:
    """Read the container's facts and apply the document's rules for `target` (VideoFileError if no MP4)."""
    if len(data) > MAX_VIDEO_BYTES:
        raise InvalidParameterError(
            f"The video is {len(data) // (1024 * 1024)} MiB; the app sends at most "
            f"{MAX_VIDEO_BYTES // (1024 * 1024)} MiB to a display.")
    info = read_video_info(data)
    return DisplayVideo(data, filename, check_video(info, accepted_sizes(target.width, target.height)))


async def upload_display_video(
    client: TwoNClient, display: str, video: DisplayVideo, reporter: ProgressReporter,
    *, duration_ms: int | None, repeat: int | None,
) -> None:
    """Upload a checked video: an overlay that loops without `duration_ms` and `repeat`, else a
    notification that ends at whichever comes first (§5.9.2, 2N IP Verso)."""
    if not video.check.acceptable:
        raise InvalidParameterError("The display would refuse this video: " + " ".join(video.check.problems))
    reporter.stage("Uploading video", total=len(video.data), message=f"Uploading {video.filename}")
    await client.upload_display_video(display, ProgressFile(video.data, reporter.set), "video/mp4",
                                      duration_ms=duration_ms, repeat=repeat, filename=video.filename)
