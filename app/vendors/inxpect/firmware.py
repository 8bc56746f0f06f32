"""Firmware update of an MSK-101-POE from an IFW: compatibility, the plan, and the chunked upload (§2)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from app.backend.transfer import upload_chunks
from app.core.errors import DeviceError, TransferError
from app.core.progress import ProgressReporter
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.ifw import (
    TARGETS,
    WEB_CONTENTS_NAME,
    IfwPackage,
    InvalidPackageError,
    PackageFile,
    UpdateDestination,
    WebContents,
    load_ifw,
)
from app.vendors.inxpect.models import DeviceInfo, format_version

log = logging.getLogger(__name__)

UPDATE_STAGES: Final = (
    "Checking the device",
    "Starting the update",
    "Sending files",
    "Finishing the update",
    "Reading the firmware back",
)


@dataclass(frozen=True, slots=True)
class UpdatePlan:
    """What an update will do on this device: which files go, which are skipped, and the version change."""

    package: IfwPackage
    current_version: int
    files: tuple[PackageFile, ...]
    unchanged: tuple[str, ...]

    @property
    def is_downgrade(self) -> bool:
        """Whether the package is older than (or the same as) what the device runs: needs confirmation."""
        return self.package.descriptor.version_code <= self.current_version

    @property
    def bytes_to_send(self) -> int:
        """Bytes of data and meta information the upload sends."""
        return sum(len(f.data) + len(f.manifest) for f in self.files)

    def summary(self) -> str:
        """What will change, in a technician's words."""
        descriptor = self.package.descriptor
        change = (
            f"{descriptor.destination.label}: {format_version(self.current_version)} → {descriptor.version}"
        )
        if self.is_downgrade:
            change += " (not newer than what the device runs)"
        if descriptor.destination is UpdateDestination.WEB_SERVER:
            change += f"; {len(self.files) - 1} changed file(s) sent, {len(self.unchanged)} unchanged skipped"
        return change


def installed_version(destination: UpdateDestination, info: DeviceInfo, contents: WebContents | None) -> int:
    """The version the device runs for a component."""
    if destination is UpdateDestination.SENSOR:
        return info.sensor.fw_version
    if destination is UpdateDestination.COMBOARD:
        return info.comboard.fw_version
    return contents.version_code if contents is not None else 0


def check_target(package: IfwPackage, device_contents: WebContents | None) -> None:
    """Refuse a package meant for another device family or mode (InvalidPackageError says which)."""
    descriptor = package.descriptor
    expected = TARGETS[descriptor.destination]
    if descriptor.destination is UpdateDestination.WEB_SERVER and device_contents is not None:
        expected = (device_contents.device_family, device_contents.device_mode)
    if descriptor.device_family != expected[0]:
        raise InvalidPackageError(
            f"{package.source} is for device family {descriptor.device_family}; this "
            f"{descriptor.destination.label} needs family {expected[0]}."
        )
    if descriptor.device_mode != expected[1]:
        raise InvalidPackageError(
            f"{package.source} is for device mode {descriptor.device_mode}; this "
            f"{descriptor.destination.label} needs mode {expected[1]}."
        )


def changed_web_files(package: IfwPackage, device: WebContents) -> tuple[list[str], list[str]]:
    """(names to send, names unchanged): files whose fingerprint differs from the device's, or are new."""
    assert package.contents is not None
    changed: list[str] = []
    unchanged: list[str] = []
    for name, digest in package.contents.fingerprints.items():
        (unchanged if device.fingerprints.get(name) == digest else changed).append(name)
    return changed, unchanged


def plan_update(package: IfwPackage, info: DeviceInfo, device_contents: WebContents | None) -> UpdatePlan:
    """The files to send for `package` on this device; InvalidPackageError if it cannot be used here."""
    check_target(package, device_contents)
    destination = package.descriptor.destination
    current = installed_version(destination, info, device_contents)
    if destination is not UpdateDestination.WEB_SERVER:
        return UpdatePlan(package, current, tuple(package.files.values()), ())
    if device_contents is None:
        raise InvalidPackageError("The device's contents.json is needed to update its web interface.")
    changed, unchanged = changed_web_files(package, device_contents)
    missing = [name for name in changed if name not in package.files]
    if missing:
        raise InvalidPackageError(f"{package.source} lacks changed web files: {', '.join(missing)}.")
    # contents.json goes last so the device records the new fingerprints only once every file arrived.
    files = (*(package.files[name] for name in changed), package.files[WEB_CONTENTS_NAME])
    return UpdatePlan(package, current, files, tuple(unchanged))


async def prepare_update(client: InxpectClient, package: IfwPackage) -> UpdatePlan:
    """Read the device's info (and contents.json for a web package) and plan the update."""
    info = await client.read_info()
    contents = None
    if package.descriptor.destination is UpdateDestination.WEB_SERVER:
        contents = WebContents.from_device(await client.read_web_contents())
    return plan_update(package, info, contents)


async def check_package(client: InxpectClient, path: Path) -> UpdatePlan:
    """Read and validate the IFW package at `path`, then plan it against what the device runs."""
    return await prepare_update(client, await load_ifw(path))


class FirmwareUpdater:
    """Runs one planned update as the document's steps 1-8; Cancel or a fault ends it with `force`.

    After an abort the device's /sensorInfo is read and `final_state` says which firmware it runs.
    """

    def __init__(self, client: InxpectClient, plan: UpdatePlan, *, allow_downgrade: bool = False) -> None:
        if plan.is_downgrade and not allow_downgrade:
            raise InvalidPackageError(f"{plan.summary()}: confirm to install an older or equal version.")
        self.client = client
        self.plan = plan
        self.final_state = ""

    async def run(self, reporter: ProgressReporter) -> DeviceInfo:
        """Upload everything and complete the update; return the device info read back afterwards."""
        destination = self.plan.package.descriptor.destination
        reporter.stage("Starting the update", message=destination.label)
        await self.client.start_process_update(int(destination))
        try:
            reporter.stage("Sending files", total=self.plan.bytes_to_send)
            for package_file in self.plan.files:
                await self._send_file(package_file, reporter)
            reporter.stage("Finishing the update")
            await self.client.stop_process_update(force=False)
        except asyncio.CancelledError:
            await asyncio.shield(self._abort(reporter, "cancelled"))
            raise
        except DeviceError as err:
            await asyncio.shield(self._abort(reporter, "failed"))
            raise TransferError(f"The update failed: {err}", code=err.code, state=self.final_state) from err
        reporter.stage("Reading the firmware back")
        info = await self.client.read_info()
        self.final_state = f"The device now runs {describe_firmware(info)}."
        return info

    async def _send_file(self, package_file: PackageFile, reporter: ProgressReporter) -> None:
        """Steps 2-7 for one file: manifest start/chunks/stop, then data start/chunks/stop."""
        reporter.set(reporter.current.done, message=package_file.name)
        chunk_size = await self.client.start_manifest_update()
        await self._chunks(
            self.client.send_manifest_chunk,
            # Assumed: §3.20 does not say which X-Update-Filename a manifest chunk carries; the .mf name.
            package_file.manifest_name,
            package_file.manifest,
            chunk_size,
            reporter,
        )
        await self.client.stop_manifest_update()
        chunk_size = await self.client.start_file_update()
        await self._chunks(
            self.client.send_file_chunk, package_file.name, package_file.data, chunk_size, reporter
        )
        await self.client.stop_file_update()

    @staticmethod
    async def _chunks(
        send: Callable[[str, bytes, int, int], Awaitable[None]],
        name: str,
        data: bytes,
        chunk_size: int,
        reporter: ProgressReporter,
    ) -> None:
        async def send_chunk(chunk: bytes, offset: int, total: int) -> None:
            await send(name, chunk, offset, total)
            reporter.advance(len(chunk))

        await upload_chunks(send_chunk, data, chunk_size)

    async def _abort(self, reporter: ProgressReporter, outcome: str) -> None:
        """Stop the process with force, then read which firmware the device runs now."""
        reporter.stage("Reading the firmware back", message="aborting the update")
        try:
            await self.client.stop_process_update(force=True)
            info = await self.client.read_info()
        except DeviceError as err:
            self.final_state = (
                f"Update {outcome}; the device did not confirm the abort ({err}). Check it before using it."
            )
        else:
            self.final_state = (
                f"Update {outcome} and aborted; the device still runs {describe_firmware(info)}."
            )
        log.warning("%s", self.final_state)
        reporter.set(0, message=self.final_state)


def short_firmware(info: DeviceInfo) -> str:
    """Both versions for a list column: "1.102 (board 1.207)"."""
    return f"{format_version(info.sensor.fw_version)} (board {format_version(info.comboard.fw_version)})"


def describe_firmware(info: DeviceInfo) -> str:
    """Both firmware versions in words."""
    return (
        f"sensor firmware {format_version(info.sensor.fw_version)} and network board firmware "
        f"{format_version(info.comboard.fw_version)}"
    )
