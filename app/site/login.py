"""The credential step of opening a device: remembered and site credentials (bounded), then the technician."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx

from app.backend.credentials import CredentialStore, SiteCredential, try_credentials
from app.core.errors import AuthenticationError, DefaultPasswordError
from app.core.models import Credentials, DeviceCandidate
from app.site.prompts import CredentialAnswer, CredentialQuestion, DevicePrompts
from app.vendors.base import DeviceClient, RecoversForgottenPassword
from app.vendors.registry import plugin_for

#: How many credentials of the site list are tried on one device (vendors lock accounts after a few).
SITE_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class LoginResult:
    """A logged-in client and how it got there: tried automatically, or typed (`answer`)."""

    client: DeviceClient
    credentials: Credentials
    answer: CredentialAnswer | None = None


async def login_with(
    http: httpx.AsyncClient, candidate: DeviceCandidate, credentials: Credentials
) -> DeviceClient:
    """The vendor client logged in with `credentials`; raises AuthenticationError when refused."""
    plugin = plugin_for(candidate.identity.vendor)
    client: DeviceClient = plugin.create_client(http, candidate.endpoint, credentials)
    await client.login()
    return client


class CredentialStep:
    """Logs in to one device; never more than SITE_ATTEMPTS automatic tries, none at all over plain HTTP."""

    def __init__(self, store: CredentialStore, prompts: DevicePrompts, asking: Callable[[], None]) -> None:
        self._store = store
        self._prompts = prompts
        self._asking = asking

    async def log_in(
        self, http: httpx.AsyncClient, candidate: DeviceCandidate, key: str, label: str, *, cleartext: bool
    ) -> LoginResult | None:
        """Logged in with stored/site credentials (HTTPS only) or as the technician typed; None: cancelled."""
        reason = ""
        if cleartext:
            reason = (f"The connection to {label} is not encrypted (plain HTTP): the password can be read by "
                      "anyone on this network. Stored and site passwords are not tried here.")
        else:
            found = await self._try_known(http, candidate, key)
            if isinstance(found, LoginResult):
                return found
            reason = found
        self._asking()
        return await self._ask_until_accepted(http, candidate, key, label, reason=reason, cleartext=cleartext)

    async def _try_known(
        self, http: httpx.AsyncClient, candidate: DeviceCandidate, key: str
    ) -> LoginResult | str:
        """Remembered, then site credentials, at most SITE_ATTEMPTS; else why the technician is asked."""
        logged_in: list[DeviceClient] = []

        async def attempt(credentials: Credentials) -> None:
            logged_in.append(await login_with(http, candidate, credentials))

        try:
            found = await try_credentials(self._store.candidates(key), attempt, SITE_ATTEMPTS)
        except DefaultPasswordError as err:
            return default_password_hint(err)
        return LoginResult(logged_in[-1], found) if found is not None else ""

    async def _ask_until_accepted(
        self, http: httpx.AsyncClient, candidate: DeviceCandidate, key: str, label: str, *, reason: str,
        cleartext: bool,
    ) -> LoginResult | None:
        remembered = self._store.device_credentials(key) if key else None
        username = remembered.username if remembered else ""
        plugin = plugin_for(candidate.identity.vendor)
        recover = (
            plugin.password_recovery(http, candidate.endpoint)
            if isinstance(plugin, RecoversForgottenPassword) else None
        )
        while True:
            question = CredentialQuestion(label, username, reason, cleartext, recover)
            answer = await self._prompts.ask_credentials(question)
            if answer is None:
                return None
            username = answer.credentials.username
            try:
                client = await login_with(http, candidate, answer.credentials)
            except DefaultPasswordError as err:
                reason = default_password_hint(err)
                continue
            except AuthenticationError as err:
                reason = f"{label} refused these credentials ({err}). Check the username and password."
                continue
            return LoginResult(client, answer.credentials, answer)


def keep_credentials(store: CredentialStore, key: str, result: LoginResult) -> None:
    """Remember what worked under `key` (the identity verified at login), as the technician chose."""
    answer = result.answer
    if answer is None:
        if key and result.credentials != store.device_credentials(key):
            store.save_device_credentials(key, result.credentials)
        return
    if answer.remember and key:
        store.save_device_credentials(key, answer.credentials)
    if answer.add_to_site_list:
        creds = answer.credentials
        store.add_site_credential(SiteCredential(creds.username, creds.username, creds.password))


def default_password_hint(err: DefaultPasswordError) -> str:
    """Why the technician is asked after a factory password was recognised."""
    return f"{err} Change the factory password on the device first, then log in with the new one."
