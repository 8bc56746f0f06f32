"""First password on many devices: only those still on the factory password; done when the new password
logs in and the old one no longer does."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.core.errors import AuthenticationError, DeviceError
from app.core.models import Credentials
from app.core.progress import ProgressReporter
from app.site.jobs.model import JobKind, Verdict
from app.site.jobs.work import DeviceSession, TaskResult
from app.site.naming import same_device
from app.vendors.base import Capability, DeviceClient, SetsFirstPassword

STEPS = ("Setting the new password", "Logging in with the new password", "Checking the old password fails")

PasswordFor = Callable[[DeviceSession], str | None]
"""password_for(session): the new password of this device (one for all, or one each), or None."""


class FirstPasswordTask:
    """Replaces the factory password; the device's new credentials are kept as its own."""

    kind = JobKind.FIRST_PASSWORD
    capability = Capability.SET_FIRST_PASSWORD
    large_upload = False

    def __init__(self, password_for: PasswordFor) -> None:
        self._password_for = password_for

    def steps(self, client: DeviceClient) -> tuple[str, ...]:
        """Set, then prove the new password and that the old one is gone."""
        return STEPS

    async def preflight(self, session: DeviceSession) -> Verdict:
        """Only devices still on their factory password, with a new password listed for them."""
        client = session.client
        if isinstance(client, SetsFirstPassword) and not client.needs_first_password():
            return Verdict.skip("Already has its own password: not the factory one.")
        if not self._password_for(session):
            return Verdict.cannot("No new password is listed for this device.")
        return Verdict.can("On its factory password.")

    async def run(self, session: DeviceSession, reporter: ProgressReporter) -> TaskResult:
        """Set the password, log in with it (same device), and see the old one refused."""
        client = session.client
        assert isinstance(client, SetsFirstPassword)
        new = self._password_for(session)
        if not new:
            raise AuthenticationError("No new password is listed for this device.")
        old = session.credentials
        reporter.stage(STEPS[0])
        await client.set_first_password(new)
        reporter.stage(STEPS[1])
        fresh = Credentials(old.username, new)
        try:
            second = await session.login_as(fresh)
            found = await second.read_identity()
        except AuthenticationError as err:
            raise AuthenticationError(
                f"The device took the new password but refuses it at login ({err}). Its password may be "
                "unknown now: check the device before anything else.") from err
        if session.identity.key and not same_device(session.identity, found):
            raise DeviceError(f"Another device ({found.key}) answered the login with the new password.")
        session.remember(fresh)
        reporter.stage(STEPS[2])
        try:
            await session.login_as(old)
        except AuthenticationError:
            return TaskResult("New password set: it logs in and the factory password no longer does.",
                              {"username": old.username})
        raise DeviceError("The new password logs in, but the factory password still does too.")

    def params(self) -> Mapping[str, Any]:
        """Nothing but the kind: passwords are never kept with the job."""
        return {}
