"""DeviceAccess over the site's DeviceConnections: pins, bounded credential tries, identity check, closing."""

from __future__ import annotations

import logging
from collections.abc import Callable

from app.backend.credentials import CredentialStore
from app.backend.history import DeviceHistory
from app.backend.trust import TrustStore
from app.core.errors import AuthenticationError, CleartextRefusedError, DeviceError
from app.core.models import Credentials, DeviceCandidate, DeviceIdentity
from app.core.progress import ProgressReporter
from app.discovery.inventory import DeviceInventory
from app.site.connection import OPEN_STAGES, DeviceConnection
from app.site.connector import SiteConnector
from app.site.jobs.headless import HeadlessPrompts
from app.site.jobs.model import JobTarget
from app.site.jobs.work import TrustDeclinedError
from app.site.login import login_with
from app.site.opened import OpenedDevice
from app.site.prompts import DevicePrompts
from app.vendors.base import DeviceClient

log = logging.getLogger(__name__)

PromptsFor = Callable[[JobTarget], DevicePrompts]
"""prompts_for(target): who answers the questions opening this device (the GUI, or HeadlessPrompts)."""


class OpenedSession:
    """A DeviceSession on an OpenedDevice: further logins share its trusted connection."""

    def __init__(self, opened: OpenedDevice) -> None:
        self._opened = opened
        self._others: list[DeviceClient] = []

    @property
    def identity(self) -> DeviceIdentity:
        """Who logged in."""
        return self._opened.identity

    @property
    def client(self) -> DeviceClient:
        """The logged-in vendor client."""
        return self._opened.client

    @property
    def credentials(self) -> Credentials:
        """What the device accepted."""
        return self._opened.credentials or Credentials("", "")

    async def login_as(self, credentials: Credentials) -> DeviceClient:
        """One login with `credentials` on the same connection; AuthenticationError when refused."""
        candidate = DeviceCandidate(self._opened.endpoint, self._opened.identity, identified=True)
        client = await login_with(self._opened.http, candidate, credentials)
        self._others.append(client)
        return client

    def remember(self, credentials: Credentials) -> None:
        """Keep them as the device's own credentials."""
        if self._opened.remember_credentials is not None:
            self._opened.remember_credentials(credentials)

    async def aclose(self) -> None:
        """Log every client out, then close the connection."""
        for client in self._others:
            try:
                await client.aclose()
            except DeviceError as err:
                log.info("Logging a second session out: %s", err)
        await self._opened.aclose()


class ConnectionAccess:
    """Opens each job device through a DeviceConnection over the app's trust and credential stores."""

    def __init__(
        self, trust: TrustStore, credentials: CredentialStore, *, prompts_for: PromptsFor = HeadlessPrompts,
        history: DeviceHistory | None = None, inventory: DeviceInventory | None = None,
    ) -> None:
        self._trust = trust
        self._credentials = credentials
        self._prompts_for = prompts_for
        self._history = history
        self._inventory = inventory or DeviceInventory()

    async def open(self, target: JobTarget) -> OpenedSession:
        """The device logged in; TrustDeclinedError, AuthenticationError or another DeviceError if not."""
        prompts = self._prompts_for(target)
        site = SiteConnector(self._trust, self._credentials, prompts=prompts, inventory=self._inventory,
                             history=self._history)
        connection = DeviceConnection(site, target.key, target.candidate)
        opened = await connection.open(ProgressReporter(OPEN_STAGES))
        if opened is None:
            raise _declined(prompts)
        return OpenedSession(opened)


def _declined(prompts: DevicePrompts) -> DeviceError:
    """Why an open ended without a device, as the headless prompts saw it."""
    if isinstance(prompts, HeadlessPrompts):
        if prompts.declined_trust:
            return TrustDeclinedError(f"The certificate was not trusted: {prompts.declined_trust}.")
        if prompts.declined_cleartext:
            return CleartextRefusedError("The device offers only plain HTTP; an unattended job sends no "
                                         "password over it. Open it in the app first.")
        if prompts.credentials_refused:
            return AuthenticationError(prompts.credentials_refused)
    return AuthenticationError("No credentials the device accepts are known (the list, keyring or site "
                               "list; at most three are tried so the device is not locked out).")
