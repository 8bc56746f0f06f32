"""Firmware on many devices: skip those on the version already, install the file, read the version back."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from app.core.errors import TransferError
from app.core.progress import ProgressReporter
from app.site.jobs.model import JobKind, Verdict
from app.site.jobs.work import DeviceSession, TaskResult
from app.vendors.base import Capability, DeviceClient, UpdatesFirmware

READ_BACK = "Reading the version back"


def runs_version(firmware: str, version: str) -> bool:
    """True when the firmware a device reports (\"2.38.0.50.1\", \"1.4.0 (board 2.1.0)\") is `version`."""
    wanted = version.strip().lower()
    reported = firmware.strip().lower()
    return bool(wanted) and (reported == wanted or reported.split(" ", 1)[0] == wanted)


class FirmwareTask:
    """Installs one firmware file on each device (streamed from disk by the vendor's client)."""

    kind = JobKind.FIRMWARE
    capability = Capability.UPDATE_FIRMWARE
    large_upload = True

    def __init__(self, package: Path, *, version: str = "", models: Collection[str] = ()) -> None:
        self.package = package
        #: The version the package installs, when known: devices already on it are skipped.
        self.version = version
        #: The models the package is for (empty: any; the device's own check still refuses a wrong one).
        self.models = frozenset(model.lower() for model in models)

    def steps(self, client: DeviceClient) -> tuple[str, ...]:
        """The vendor's update stages, then the read-back."""
        stages = client.firmware_update_stages() if isinstance(client, UpdatesFirmware) else ()
        return (*stages, READ_BACK)

    async def preflight(self, session: DeviceSession) -> Verdict:
        """Skip a device already on the version; refuse another model; need a readable package."""
        identity = session.identity
        if self.models and identity.model.lower() not in self.models:
            return Verdict.cannot(f"Wrong model: the package is for {', '.join(sorted(self.models))}, "
                                  f"this device is a {identity.model or 'device of unknown model'}.")
        if not self.package.is_file():
            return Verdict.cannot(f"The firmware file {self.package} cannot be read.")
        if self.version and runs_version(identity.firmware, self.version):
            return Verdict.skip(f"Already runs {identity.firmware}.")
        running = identity.firmware or "an unknown version"
        return Verdict.can(f"Runs {running}; will install {self.package.name}.")

    async def run(self, session: DeviceSession, reporter: ProgressReporter) -> TaskResult:
        """Install, then read the identity back: the version the device runs now is the result."""
        client = session.client
        assert isinstance(client, UpdatesFirmware)
        before = session.identity.firmware
        await client.update_firmware(self.package, reporter)
        reporter.stage(READ_BACK)
        now = (await session.client.read_identity()).firmware
        if self.version and not runs_version(now, self.version):
            raise TransferError(f"The device restarted but runs {now}, not {self.version}.",
                                state=f"running {now}")
        return TaskResult(f"Now runs {now} (was {before or 'unknown'}).", {"firmware": now, "was": before})

    def params(self) -> Mapping[str, Any]:
        """The package, its version and models."""
        return {"package": str(self.package), "version": self.version, "models": sorted(self.models)}
