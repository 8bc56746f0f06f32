"""IFW update packages (document §2): read, validate, and plan what an update sends to a device."""

from __future__ import annotations

import asyncio
import base64
import enum
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from app.core.decoding import integer
from app.core.errors import AppError, ConfigurationError, DeviceProtocolError

MANIFEST_SUFFIX: Final = ".mf"
DESCRIPTOR_NAME: Final = "package.json"
WEB_CONTENTS_NAME: Final = "contents.json"
MAX_PACKAGE_BYTES: Final = 256 * 1024 * 1024
#: Expected (family `df`, mode `dm`) per destination. Com board: the package.json example of §2;
#: sensor: the family and model /sensorInfo reports (§3.5); web server: the contents.json example of §2.
TARGETS: Final = {0: (5, 1), 1: (2, 1), 2: (0, 0)}


class UpdateDestination(enum.IntEnum):
    """The component a package updates (`dst`, §3.18)."""

    SENSOR = 0
    COMBOARD = 1
    WEB_SERVER = 2

    @property
    def label(self) -> str:
        """The component in a technician's words."""
        return {0: "radar sensor firmware", 1: "network board firmware", 2: "configuration web interface"}[
            self
        ]


class InvalidPackageError(ConfigurationError):
    """The IFW file cannot be used: damaged, incomplete, or not for this device; `message` says why."""


@dataclass(frozen=True, slots=True)
class PackageDescriptor:
    """package.json: file `f`, version `v`/`vc`, device mode `dm`, family `df`, destination `dst` (§2)."""

    file: str
    version: str
    version_code: int
    device_mode: int
    device_family: int
    destination: UpdateDestination

    @classmethod
    def decode(cls, raw: Any) -> PackageDescriptor:
        """Validate package.json's fields; InvalidPackageError names the first problem."""
        if not isinstance(raw, dict):
            raise InvalidPackageError("package.json is not a JSON object.")
        for key, kind in (("f", str), ("v", str), ("vc", int), ("dm", int), ("df", int), ("dst", int)):
            if not isinstance(raw.get(key), kind) or isinstance(raw.get(key), bool):
                raise InvalidPackageError(f"package.json lacks a valid '{key}' field.")
        if raw["dst"] not in {d.value for d in UpdateDestination}:
            raise InvalidPackageError(
                f"package.json names an unknown destination {raw['dst']} (dst must be 0-2)."
            )
        return cls(raw["f"], raw["v"], raw["vc"], raw["dm"], raw["df"], UpdateDestination(raw["dst"]))


@dataclass(frozen=True, slots=True)
class WebContents:
    """A contents.json: version, mode, family and each web file's SHA-256 fingerprint (base64)."""

    version: str
    version_code: int
    device_mode: int
    device_family: int
    fingerprints: dict[str, str]

    @classmethod
    def decode(cls, raw: Any, where: str, *, error: type[AppError] = InvalidPackageError) -> WebContents:
        """Validate a contents.json object; `error` (a package's by default) says `where` it came from."""
        if not isinstance(raw, dict) or not isinstance(raw.get("fA"), list):
            raise error(f"{where} has no file list (fA).")
        fingerprints: dict[str, str] = {}
        for entry in raw["fA"]:
            if (
                not isinstance(entry, dict)
                or not isinstance(entry.get("f"), str)
                or not isinstance(entry.get("d"), str)
            ):
                raise error(f"{where} has a file entry without name and fingerprint.")
            fingerprints[entry["f"]] = entry["d"]
        version_code = raw.get("vc")
        if not isinstance(version_code, int):
            raise error(f"{where} has no numeric version (vc).")
        return cls(
            str(raw.get("v", version_code)),
            version_code,
            integer(raw, "dm", where, default=0, truncate=True, error=error),
            integer(raw, "df", where, default=0, truncate=True, error=error),
            fingerprints,
        )

    @classmethod
    def from_device(cls, raw: Any) -> WebContents:
        """Validate the contents.json a device served; DeviceProtocolError when it is malformed."""
        return cls.decode(raw, "the device's contents.json", error=DeviceProtocolError)


def fingerprint(data: bytes) -> str:
    """A web file's contents.json fingerprint: base64 of its SHA-256 (44 characters, as in §2)."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


@dataclass(frozen=True, slots=True)
class PackageFile:
    """One file meant for the device and its `.mf` meta information."""

    name: str
    data: bytes
    manifest: bytes

    @property
    def manifest_name(self) -> str:
        """The meta file's name: the file name plus `.mf`."""
        return self.name + MANIFEST_SUFFIX


@dataclass(frozen=True, slots=True)
class IfwPackage:
    """A validated IFW: its descriptor, device files with meta information, and contents.json for dst 2."""

    source: str
    descriptor: PackageDescriptor
    files: dict[str, PackageFile]
    contents: WebContents | None

    @property
    def total_bytes(self) -> int:
        """Bytes of every device file and meta file in the package."""
        return sum(len(f.data) + len(f.manifest) for f in self.files.values())


def read_ifw(data: bytes, source: str = "package") -> IfwPackage:
    """Open and validate an IFW held in memory; InvalidPackageError with a technician's reason if unusable."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise InvalidPackageError(f"{source} is too large to be an IFW package.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, EOFError, ValueError) as err:
        raise InvalidPackageError(f"{source} is not an IFW package (not a readable zip file).") from err
    if DESCRIPTOR_NAME not in members:
        raise InvalidPackageError(f"{source} has no package.json: it is incomplete or not an IFW package.")
    descriptor = PackageDescriptor.decode(_json(members[DESCRIPTOR_NAME], DESCRIPTOR_NAME))
    if descriptor.file not in members:
        raise InvalidPackageError(f"{source} lacks the file {descriptor.file} that package.json names.")
    files: dict[str, PackageFile] = {}
    for name, content in members.items():
        if name == DESCRIPTOR_NAME or name.endswith(MANIFEST_SUFFIX):
            continue
        manifest = members.get(name + MANIFEST_SUFFIX)
        if manifest is None:
            raise InvalidPackageError(f"{source} is damaged: {name} has no meta information ({name}.mf).")
        files[name] = PackageFile(name, content, manifest)
    for name in members:
        if name.endswith(MANIFEST_SUFFIX) and name.removesuffix(MANIFEST_SUFFIX) not in members:
            raise InvalidPackageError(f"{source} is damaged: {name} describes a file that is missing.")
    contents = None
    if descriptor.destination is UpdateDestination.WEB_SERVER:
        contents = WebContents.decode(_json(members[descriptor.file], descriptor.file), descriptor.file)
    return IfwPackage(source, descriptor, files, contents)


async def load_ifw(path: Path) -> IfwPackage:
    """Read and validate an IFW file off the event loop."""
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as err:
        raise InvalidPackageError(f"{path.name} cannot be read: {err.strerror}.") from err
    return await asyncio.to_thread(read_ifw, data, path.name)


def _json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as err:
        raise InvalidPackageError(f"{name} in the package is not valid JSON.") from err
