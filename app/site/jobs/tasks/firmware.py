"""Firmware on many devices: one package per model; skip those on its version already, install the file,
read the version back."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import TransferError
from app.core.models import DeviceIdentity
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


@dataclass(frozen=True, slots=True)
class FirmwarePackage:
    """One firmware file, the version it installs (when known) and the models it is for (empty: any)."""

    path: Path
    version: str = ""
    models: frozenset[str] = frozenset()

    @classmethod
    def of(cls, path: Path, version: str = "", models: Collection[str] = ()) -> FirmwarePackage:
        """A package for `models` (compared without case)."""
        named = frozenset(model.strip().lower() for model in models if model.strip())
        return cls(path, version.strip(), named)

    def params(self) -> dict[str, Any]:
        """The package as the job store keeps it."""
        return {"package": str(self.path), "version": self.version, "models": sorted(self.models)}


class FirmwareTask:
    """Installs one firmware file per model on each device (streamed from disk by the vendor's client)."""

    kind = JobKind.FIRMWARE
    capability = Capability.UPDATE_FIRMWARE
    large_upload = True

    def __init__(self, package: Path | None = None, *, version: str = "", models: Collection[str] = (),
                 packages: Sequence[FirmwarePackage] = ()) -> None:
        single = (FirmwarePackage.of(package, version, models),) if package is not None else ()
        self.packages: tuple[FirmwarePackage, ...] = (*single, *packages)
        if not self.packages:
            raise ValueError("a firmware job needs at least one package")

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> FirmwareTask:
        """The task a job store's parameters describe (one package, or one per model)."""
        listed = params.get("packages") or [params]
        return cls(packages=[FirmwarePackage.of(Path(item["package"]), item.get("version", ""),
                                                item.get("models", ())) for item in listed])

    def package_for(self, model: str) -> FirmwarePackage | None:
        """The package chosen for `model`: the one naming it, else one for any model, else None."""
        wanted = model.strip().lower()
        named = next((package for package in self.packages if wanted and wanted in package.models), None)
        return named or next((package for package in self.packages if not package.models), None)

    def steps(self, client: DeviceClient) -> tuple[str, ...]:
        """The vendor's update stages, then the read-back."""
        stages = client.firmware_update_stages() if isinstance(client, UpdatesFirmware) else ()
        return (*stages, READ_BACK)

    async def preflight(self, session: DeviceSession) -> Verdict:
        """Skip a device already on its model's version; refuse a model without a package; need the file."""
        identity = await _running(session)
        package = self.package_for(identity.model)
        if package is None:
            models = ", ".join(sorted({model for package in self.packages for model in package.models}))
            return Verdict.cannot(f"Wrong model: the packages are for {models}, this device is a "
                                  f"{identity.model or 'device of unknown model'}.")
        if not package.path.is_file():
            return Verdict.cannot(f"The firmware file {package.path} cannot be read.")
        if package.version and runs_version(identity.firmware, package.version):
            return Verdict.skip(f"Already runs {identity.firmware}.")
        running = identity.firmware or "an unknown version"
        return Verdict.can(f"Runs {running}; will install {package.path.name}.")

    async def run(self, session: DeviceSession, reporter: ProgressReporter) -> TaskResult:
        """Install its model's package, then read the identity back: the version it runs now is the result."""
        client = session.client
        assert isinstance(client, UpdatesFirmware)
        before = (await _running(session)).firmware
        package = self.package_for(session.identity.model)
        if package is None:
            raise TransferError("No firmware package was chosen for this model.", state="unchanged")
        await client.update_firmware(package.path, reporter)
        reporter.stage(READ_BACK)
        now = (await session.client.read_identity()).firmware
        if package.version and not runs_version(now, package.version):
            raise TransferError(f"The device restarted but runs {now}, not {package.version}.",
                                state=f"running {now}")
        return TaskResult(f"Now runs {now} (was {before or 'unknown'}).",
                          {"firmware": now, "was": before, "package": package.path.name})

    def params(self) -> Mapping[str, Any]:
        """The packages, their versions and models."""
        if len(self.packages) == 1:
            return self.packages[0].params()
        return {"packages": [package.params() for package in self.packages]}


async def _running(session: DeviceSession) -> DeviceIdentity:
    """The identity the device reads back now: its firmware, which the opened identity may not carry."""
    identity = session.identity
    found = await session.client.read_identity()
    return DeviceIdentity(identity.vendor, identity.model or found.model, identity.serial or found.serial,
                          found.firmware or identity.firmware, identity.mac or found.mac)
