"""The simulator's stand-in for a 2N firmware file: a header line naming package and version, payload, CRC-32.

Real firmware images are signed vendor binaries; the simulator only needs to recognise which
model a file is for and which version it carries, and to tell garbage from a firmware file.
"""

from __future__ import annotations

import json
import random
import zlib
from dataclasses import dataclass

from app.vendors.two_n.models import version_tuple

__all__ = ["FirmwareFile", "build_firmware", "parse_firmware", "version_tuple"]

MAGIC = b"2N-SIM-FW1\n"


@dataclass(frozen=True, slots=True)
class FirmwareFile:
    """What the simulated device reads from an uploaded firmware file."""

    package: str
    version: str
    minimum: str
    note: str


def build_firmware(package: str, version: str, *, size: int = 256 * 1024, seed: int = 0,
                   minimum: str = "2.30.0.0.0", note: str = "") -> bytes:
    """A firmware file for `package` ("verso", "vario", "style") of `size` bytes, deterministic per seed."""
    header = json.dumps({
        "package": package, "version": version, "minimum": minimum,
        "note": note or f"EN:\r\nVER={version}\r\nSimulated release notes.\r\n\r\n",
    }).encode() + b"\n"
    body_size = max(size - len(MAGIC) - len(header) - 4, 0)
    body = random.Random(seed).randbytes(body_size)
    checksum = zlib.crc32(body, zlib.crc32(header)).to_bytes(4, "big")
    return MAGIC + header + body + checksum


def parse_firmware(data: bytes) -> FirmwareFile | None:
    """The file's header when `data` is an intact simulator firmware file, else None."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 6:
        return None
    header_end = data.find(b"\n", len(MAGIC))
    if header_end < 0:
        return None
    if zlib.crc32(memoryview(data)[len(MAGIC): -4]).to_bytes(4, "big") != data[-4:]:
        return None
    try:
        fields = json.loads(data[len(MAGIC): header_end + 1])
        return FirmwareFile(str(fields["package"]), str(fields["version"]), str(fields["minimum"]),
                            str(fields["note"]))
    except (ValueError, KeyError, TypeError):
        return None
