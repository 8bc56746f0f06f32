"""Plain data of a site job: its kind, each device's target, pre-flight verdict, state and row."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core.models import DeviceCandidate, DeviceIdentity, Endpoint, Scheme, VendorId


class JobKind(enum.Enum):
    """What a site job does to every device."""

    FIRST_PASSWORD = "first password"  # noqa: S105  (a job's name, not a password)
    FIRMWARE = "firmware"
    BACKUP = "configuration backup"
    CONFIGURATION_COPY = "configuration copy"
    TIME = "time"


class RowState(enum.Enum):
    """Where one device of a job is."""

    PENDING = "pending"
    SKIPPED = "preflight-skip"
    CANNOT = "cannot"
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"

    @property
    def finished(self) -> bool:
        """True when nothing more happens to the device in this run."""
        return self not in (RowState.PENDING, RowState.RUNNING, RowState.PAUSED)

    @property
    def words(self) -> str:
        """The state as the technician reads it in the job view (the value stays the stored spelling)."""
        return _STATE_WORDS.get(self, self.value)


_STATE_WORDS = {RowState.PENDING: "to do", RowState.SKIPPED: "nothing to do"}


class VerdictKind(enum.Enum):
    """The pre-flight answer for one device, before anything is written to it."""

    CAN = "can do it"
    SKIP = "will skip"
    CANNOT = "cannot"


@dataclass(frozen=True, slots=True)
class Verdict:
    """A pre-flight verdict and the reason a technician reads."""

    kind: VerdictKind
    reason: str = ""
    #: What the check found that the row shows before anything is written (a preview of the changes).
    detail: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def can(cls, reason: str = "", detail: Mapping[str, Any] | None = None) -> Verdict:
        """The device can do the job (`detail`: what it will change)."""
        return cls(VerdictKind.CAN, reason, detail or {})

    @classmethod
    def skip(cls, reason: str) -> Verdict:
        """Nothing to do on this device (already on that version, already has its own password)."""
        return cls(VerdictKind.SKIP, reason)

    @classmethod
    def cannot(cls, reason: str) -> Verdict:
        """The device cannot do the job (capability missing, wrong model, untrusted certificate)."""
        return cls(VerdictKind.CANNOT, reason)


@dataclass(frozen=True, slots=True)
class JobTarget:
    """One device a job is run on, as a device list names it; the password never shows in repr."""

    vendor: VendorId
    host: str
    port: int
    scheme: Scheme = "https"
    serial: str = ""
    model: str = ""
    mac: str = ""
    username: str = ""
    password: str = field(default="", repr=False)
    fingerprint: str = ""

    @property
    def key(self) -> str:
        """The row's key within a job: vendor@host:port (unique on a site)."""
        return f"{self.vendor}@{self.host}:{self.port}"

    @property
    def endpoint(self) -> Endpoint:
        """Where the device listens."""
        return Endpoint(self.host, self.port, self.scheme)

    @property
    def identity(self) -> DeviceIdentity:
        """The identity the list claims (checked against the device after login)."""
        return DeviceIdentity(vendor=self.vendor, model=self.model, serial=self.serial, mac=self.mac)

    @property
    def candidate(self) -> DeviceCandidate:
        """The device as a candidate for a DeviceConnection."""
        return DeviceCandidate(self.endpoint, self.identity, identified=bool(self.serial),
                               certificate_fingerprint=self.fingerprint)

    def public(self) -> dict[str, Any]:
        """The target without its credentials (what a job database keeps)."""
        return {"vendor": self.vendor, "host": self.host, "port": self.port, "scheme": self.scheme,
                "serial": self.serial, "model": self.model, "mac": self.mac, "username": self.username,
                "fingerprint": self.fingerprint}


@dataclass(frozen=True, slots=True)
class RowStatus:
    """One device's row: state, named step, progress, pre-flight verdict and a technician's message."""

    target: JobTarget
    state: RowState = RowState.PENDING
    step: str = ""
    step_index: int = 0
    step_count: int = 0
    percent: int | None = None
    message: str = ""
    verdict: Verdict | None = None
    #: The device refused the login in this job: Retry leaves it alone unless told to log in again.
    login_failed: bool = False
    #: The device's serial (or identity key) as read after login.
    serial: str = ""
    #: What the job produced or read back (the backup file, the firmware version now running).
    detail: Mapping[str, Any] = field(default_factory=dict)

    @property
    def progress_line(self) -> str:
        """"Step 3/6 · Upload firmware · 45 %" while a step runs; else the state."""
        if not self.step or self.state.finished:
            return self.state.words
        line = f"Step {self.step_index + 1}/{self.step_count} · {self.step}"
        return f"{line} · {self.percent} %" if self.percent is not None else line

    @property
    def ok(self) -> bool:
        """True when the job did what it should on this device (done, or nothing to do)."""
        return self.state in (RowState.DONE, RowState.SKIPPED)


@dataclass(frozen=True, slots=True)
class JobSettings:
    """How a job runs: devices at once (1-16), a lower limit for large uploads, pilot first."""

    concurrency: int = 4
    upload_concurrency: int = 2
    pilot: bool = False

    def __post_init__(self) -> None:
        limits = (("concurrency", self.concurrency), ("upload_concurrency", self.upload_concurrency))
        for name, value in limits:
            if not 1 <= value <= MAX_CONCURRENCY:
                raise ValueError(f"{name} must be between 1 and {MAX_CONCURRENCY}, not {value}")

    def limit(self, large_upload: bool) -> int:
        """Devices worked on at once for a job whose work is (or is not) a large upload."""
        return min(self.concurrency, self.upload_concurrency) if large_upload else self.concurrency


MAX_CONCURRENCY = 16


@dataclass(frozen=True, slots=True)
class JobSummary:
    """Counts of a finished run, by state."""

    counts: Mapping[RowState, int]

    @property
    def failed(self) -> int:
        """Devices that failed, were cancelled or interrupted."""
        return sum(self.counts.get(state, 0)
                   for state in (RowState.FAILED, RowState.CANCELLED, RowState.INTERRUPTED))

    @classmethod
    def of(cls, rows: list[RowStatus]) -> JobSummary:
        """The summary of these rows."""
        counts: dict[RowState, int] = {}
        for row in rows:
            counts[row.state] = counts.get(row.state, 0) + 1
        return cls(counts)
