"""The simulated update flow (§2, §3.18-§3.25), strict about order, headers, ranges and chunk sizes."""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from app.vendors.inxpect.ifw import TARGETS

MANIFEST_CHUNK_SIZE: Final = 1024
RANGE_PATTERN: Final = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")

# errorCode values of the simulated update flow. The document only fixes 0 = success; these are the
# simulator's own, each a distinct refusal so tests can tell them apart.
BUSY: Final = 1
BAD_DESTINATION: Final = 2
OUT_OF_ORDER: Final = 3
BAD_HEADERS: Final = 4
BAD_RANGE: Final = 5
BAD_CHUNK_SIZE: Final = 6
VERIFY_FAILED: Final = 7
FLASH_WRITE_FAILED: Final = 8
NOT_FOR_THIS_DEVICE: Final = 9


class Phase(enum.Enum):
    """Where the update session is."""

    IDLE = "idle"
    PROCESS = "process started"
    MANIFEST = "receiving meta information"
    MANIFEST_DONE = "meta information received"
    FILE = "receiving file data"
    FILE_DONE = "file received"


class UpdateRefusedError(Exception):
    """A request broke the update protocol; `code` is the errorCode to answer."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code


@dataclass(slots=True)
class Upload:
    """One manifest or file being received: name, size announced, bytes so far."""

    name: str = ""
    total: int = -1
    data: bytearray = field(default_factory=bytearray)
    digest: Any = field(default_factory=hashlib.sha256)


@dataclass(slots=True)
class UpdateSession:
    """State of one update process; `completed` lists (manifest, data) per finished file."""

    file_chunk_size: int
    phase: Phase = Phase.IDLE
    destination: int = -1
    upload: Upload = field(default_factory=Upload)
    manifest: dict[str, Any] = field(default_factory=dict)
    completed: list[tuple[dict[str, Any], bytearray]] = field(default_factory=list)
    chunks_received: int = 0
    #: Asked once per data chunk: True makes that chunk fail with FLASH_WRITE_FAILED.
    write_fails: Callable[[], bool] = lambda: False

    def start_process(self, destination: int) -> None:
        """/startProcessUpdate: only from idle, for a known component."""
        if self.phase is not Phase.IDLE:
            raise UpdateRefusedError(BUSY, "an update is already in progress")
        if destination not in TARGETS:
            raise UpdateRefusedError(BAD_DESTINATION, f"unknown destination {destination}")
        self.phase, self.destination, self.completed, self.chunks_received = Phase.PROCESS, destination, [], 0

    def start_manifest(self) -> int:
        """/startManifestUpdate: after the process start or a finished file; returns the chunk size."""
        self._expect(Phase.PROCESS, Phase.FILE_DONE)
        self.phase, self.upload = Phase.MANIFEST, Upload()
        return MANIFEST_CHUNK_SIZE

    def start_file(self) -> int:
        """/startFileUpdate: only after the file's meta information; returns the chunk size."""
        self._expect(Phase.MANIFEST_DONE)
        self.phase, self.upload = Phase.FILE, Upload()
        return self.file_chunk_size

    def chunk(self, phase: Phase, filename: str | None, content_range: str | None, body: bytes) -> None:
        """A manifest or data chunk: same file name throughout, contiguous range, the agreed size."""
        self._expect(phase)
        if not filename or not content_range:
            raise UpdateRefusedError(BAD_HEADERS, "X-Update-Filename and Content-Range are required")
        expected_name = self.manifest.get("file") if phase is Phase.FILE else None
        if phase is Phase.MANIFEST and not filename.endswith(".mf"):
            raise UpdateRefusedError(BAD_HEADERS, "meta information chunks must name the .mf file")
        if expected_name is not None and filename != expected_name:
            raise UpdateRefusedError(BAD_HEADERS, f"expected data of {expected_name}, got {filename}")
        self._check_range(
            filename,
            content_range,
            body,
            MANIFEST_CHUNK_SIZE if phase is Phase.MANIFEST else self.file_chunk_size,
        )
        if phase is Phase.FILE:
            self.chunks_received += 1
            if self.write_fails():
                raise UpdateRefusedError(
                    FLASH_WRITE_FAILED, f"flash write failed at chunk {self.chunks_received}"
                )
        self.upload.data += body
        self.upload.digest.update(body)

    def _check_range(self, filename: str, content_range: str, body: bytes, chunk_size: int) -> None:
        found = RANGE_PATTERN.match(content_range.strip())
        if found is None:
            raise UpdateRefusedError(BAD_HEADERS, f"malformed Content-Range {content_range!r}")
        first, last, total = (int(g) for g in found.groups())
        upload = self.upload
        if upload.total == -1:
            upload.name, upload.total = filename, total
        if filename != upload.name or total != upload.total:
            raise UpdateRefusedError(BAD_RANGE, "file name or total size changed within one file")
        if first != len(upload.data) or last - first + 1 != len(body) or last >= total:
            raise UpdateRefusedError(
                BAD_RANGE, f"range {first}-{last} does not continue at {len(upload.data)}"
            )
        if len(body) > chunk_size or (last + 1 < total and len(body) != chunk_size):
            raise UpdateRefusedError(
                BAD_CHUNK_SIZE, f"chunks must be {chunk_size} bytes (last may be shorter)"
            )

    def stop_manifest(self) -> None:
        """/stopManifestUpdate: the whole `.mf` arrived and describes a file for this component."""
        self._expect(Phase.MANIFEST)
        self._expect_complete()
        try:
            manifest = json.loads(bytes(self.upload.data))
        except ValueError as err:
            raise UpdateRefusedError(VERIFY_FAILED, "meta information is not readable") from err
        if not isinstance(manifest, dict) or not isinstance(manifest.get("file"), str):
            raise UpdateRefusedError(VERIFY_FAILED, "meta information names no file")
        if self.upload.name != manifest["file"] + ".mf":
            raise UpdateRefusedError(VERIFY_FAILED, "meta information belongs to another file")
        if (
            manifest.get("dst") != self.destination
            or (manifest.get("df"), manifest.get("dm")) != TARGETS[self.destination]
        ):
            raise UpdateRefusedError(NOT_FOR_THIS_DEVICE, "the file is not meant for this component")
        self.manifest, self.phase = manifest, Phase.MANIFEST_DONE

    def stop_file(self) -> None:
        """/stopFileUpdate: the whole file arrived and matches its meta information."""
        self._expect(Phase.FILE)
        self._expect_complete()
        upload = self.upload
        expected = (self.manifest.get("size"), self.manifest.get("sha256"))
        if (len(upload.data), upload.digest.hexdigest()) != expected:
            raise UpdateRefusedError(VERIFY_FAILED, "file does not match its meta information")
        self.completed.append((self.manifest, upload.data))
        self.manifest, self.phase = {}, Phase.FILE_DONE

    def stop_process(self, force: bool) -> list[tuple[dict[str, Any], bytearray]] | None:
        """/stopProcessUpdate: force aborts from anywhere, else all files must be complete; returns them."""
        if force:
            self.phase, self.completed = Phase.IDLE, []
            return None
        self._expect(Phase.FILE_DONE)
        completed, self.completed, self.phase = self.completed, [], Phase.IDLE
        return completed

    def _expect(self, *phases: Phase) -> None:
        if self.phase not in phases:
            wanted = " or ".join(p.value for p in phases)
            raise UpdateRefusedError(
                OUT_OF_ORDER, f"out of order: the session is {self.phase.value}, not {wanted}"
            )

    def _expect_complete(self) -> None:
        if self.upload.total < 0 or len(self.upload.data) != self.upload.total:
            raise UpdateRefusedError(BAD_RANGE, f"{self.upload.name or 'the file'} is incomplete")
