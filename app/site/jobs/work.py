"""What the engine needs: a way to open each device (DeviceAccess) and the job's work per device (JobTask)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.core.errors import DeviceError
from app.core.models import Credentials, DeviceIdentity
from app.core.progress import ProgressReporter
from app.site.jobs.model import JobKind, JobTarget, Verdict
from app.vendors.base import Capability, DeviceClient


class TrustDeclinedError(DeviceError):
    """The device's certificate is neither pinned nor the one the list names: nothing was sent."""


class DeviceSession(Protocol):
    """One logged-in device for the length of its part of a job."""

    @property
    def identity(self) -> DeviceIdentity:
        """Who the device is, as read after login."""
        ...

    @property
    def client(self) -> DeviceClient:
        """The vendor client, logged in."""
        ...

    @property
    def credentials(self) -> Credentials:
        """The credentials the device accepted when it was opened."""
        ...

    async def login_as(self, credentials: Credentials) -> DeviceClient:
        """A second client logged in with `credentials` on the same trusted connection; raises
        AuthenticationError when the device refuses them (one attempt, never repeated)."""
        ...

    def remember(self, credentials: Credentials) -> None:
        """Keep `credentials` as the device's own (keyring or the credential file)."""
        ...

    async def aclose(self) -> None:
        """Log out and close the connection."""
        ...


class DeviceAccess(Protocol):
    """Opens devices for a job: trusted certificate, bounded credential tries, identity checked."""

    async def open(self, target: JobTarget) -> DeviceSession:
        """The device logged in; raises TrustDeclinedError, AuthenticationError or another DeviceError."""
        ...


@dataclass(frozen=True, slots=True)
class TaskResult:
    """What the work did, as read back from the device: a message and the figures behind it."""

    message: str
    detail: Mapping[str, Any] = field(default_factory=dict)


class JobTask(Protocol):
    """The work of one kind of job on one device; asked for by capability, never by vendor name."""

    @property
    def kind(self) -> JobKind:
        """What kind of job this is."""
        ...

    @property
    def capability(self) -> Capability:
        """The capability a device's client must implement."""
        ...

    @property
    def large_upload(self) -> bool:
        """True when the work uploads a large file (the job's lower upload limit applies)."""
        ...

    def steps(self, client: DeviceClient) -> tuple[str, ...]:
        """The named steps `run` reports on `client` (after connecting and the pre-flight check)."""
        ...

    async def preflight(self, session: DeviceSession) -> Verdict:
        """Whether the device can do it, will be skipped, or cannot; writes nothing."""
        ...

    async def run(self, session: DeviceSession, reporter: ProgressReporter) -> TaskResult:
        """Do the work and confirm it by reading the device back; raises a DeviceError otherwise."""
        ...

    def params(self) -> Mapping[str, Any]:
        """The job's parameters without secrets (kept with the job so a restart can say what it was)."""
        ...
