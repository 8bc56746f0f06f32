"""Configuration backup of many devices into one folder: each file named from the device, written
atomically inside that folder, and read back from disk equal to what the device sent."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.backend.atomic import write_bytes_atomically
from app.core.errors import DeviceError
from app.core.file_names import saved_file
from app.core.progress import ProgressReporter
from app.site.jobs.model import JobKind, Verdict
from app.site.jobs.work import DeviceSession, TaskResult
from app.vendors.base import BacksUpConfiguration, Capability, DeviceClient

STEPS = ("Downloading configuration", "Saving file", "Checking the saved file")


class BackupTask:
    """Saves every device's configuration to `folder` as <vendor>-<model>-<serial>-<UTC time>.<ext>."""

    kind = JobKind.BACKUP
    capability = Capability.BACK_UP_CONFIGURATION
    large_upload = False

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def steps(self, client: DeviceClient) -> tuple[str, ...]:
        """Download, save, check."""
        return STEPS

    async def preflight(self, session: DeviceSession) -> Verdict:
        """Any device that backs up its configuration can, as long as the folder is there."""
        if not self.folder.is_dir():
            return Verdict.cannot(f"The folder {self.folder} does not exist.")
        return Verdict.can()

    async def run(self, session: DeviceSession, reporter: ProgressReporter) -> TaskResult:
        """Download, write atomically, read the file back and compare."""
        client = session.client
        assert isinstance(client, BacksUpConfiguration)
        reporter.stage(STEPS[0])
        data = await client.backup_configuration()
        if not data:
            raise DeviceError("The device sent an empty configuration.")
        identity = session.identity
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = saved_file(self.folder, identity.vendor, identity.model, identity.serial or identity.mac,
                            stamp, suffix=_suffix(data))
        reporter.stage(STEPS[1], message=target.name)
        await asyncio.to_thread(write_bytes_atomically, target, data)
        reporter.stage(STEPS[2])
        digest = hashlib.sha256(data).hexdigest()
        if await asyncio.to_thread(_sha256, target) != digest:
            raise DeviceError(f"The saved file {target} does not read back as the device sent it.")
        return TaskResult(f"Saved {target.name} ({len(data)} bytes).",
                          {"file": str(target), "bytes": len(data), "sha256": digest})

    def params(self) -> Mapping[str, Any]:
        """The folder."""
        return {"folder": str(self.folder)}


def _suffix(data: bytes) -> str:
    """.xml for an XML configuration (2N), .json for a JSON one (Inxpect), .ini for an INI file (Mediant),
    else .cfg."""
    head = data.lstrip()[:64]
    if head.startswith(b"<"):
        return ".xml"
    if head.startswith(b"{"):
        return ".json"
    if head.startswith((b"[", b";")):
        return ".ini"
    return ".cfg"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
