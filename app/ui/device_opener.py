"""Opening a device: certificate trust, then credentials (stored, site list, asked), then a logged-in client.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from app.backend.credentials import CredentialStore, SiteCredential, try_credentials
from app.backend.history import DeviceHistory
from app.backend.session import open_device_client
from app.backend.tls import ca_ssl_context
from app.backend.transport import DEFAULT_TIMEOUT
from app.backend.trust import TrustStore, handshake_verifies
from app.core.errors import (
    AuthenticationError,
    CertificateChangedError,
    CertificateError,
    ConfigurationError,
    DefaultPasswordError,
)
from app.core.models import Credentials, DeviceCandidate, DeviceIdentity, DeviceState, Endpoint, Scheme
from app.core.progress import ProgressReporter
from app.ui.dialogs.credentials import CredentialAnswer

log = logging.getLogger(__name__)

OPEN_STAGES = ("Checking the certificate", "Logging in")
CLOUD_MODEL = "Hik-Partner Pro cloud"
#: How many credentials of the site list are tried on one device (vendors lock accounts after a few).
SITE_ATTEMPTS = 3

CertificateDecider = Callable[[CertificateError, str], Awaitable[bool]]
"""decide(error, device_label) -> True to trust the presented certificate."""
CredentialAsker = Callable[[str, str, str], Awaitable[CredentialAnswer | None]]
"""ask(device_label, username, reason) -> what the technician typed, or None when they cancelled."""
StateListener = Callable[[str, DeviceState], None]


@dataclass(slots=True)
class OpenedDevice:
    """A logged-in device: its client and the httpx client under it (closed together)."""

    identity: DeviceIdentity
    endpoint: Endpoint
    client: Any
    http: httpx.AsyncClient
    remember_credentials: Callable[[Credentials], None] | None = None
    #: A new client to the device verified as `http` is (its pin or CA), for another event loop.
    open_http: Callable[[], Awaitable[httpx.AsyncClient]] | None = None

    async def aclose(self) -> None:
        """Log out where the vendor has a logout, then close the connection pool."""
        try:
            await self.client.aclose()
        finally:
            await self.http.aclose()


class DeviceOpener:
    """Runs the open flow for one device at a time; the questions go through injected async callables."""

    def __init__(
        self,
        trust: TrustStore,
        credentials: CredentialStore,
        *,
        decide_certificate: CertificateDecider,
        ask_credentials: CredentialAsker,
        on_state: StateListener,
        history: DeviceHistory | None = None,
    ) -> None:
        self._trust = trust
        self._credentials = credentials
        self._decide_certificate = decide_certificate
        self._ask_credentials = ask_credentials
        self._on_state = on_state
        self._history = history

    async def open(self, candidate: DeviceCandidate, reporter: ProgressReporter) -> OpenedDevice | None:
        """A logged-in client for the device, or None when the technician declined a question."""
        identity = candidate.identity
        label = device_label(identity, candidate.endpoint)
        reporter.stage(OPEN_STAGES[0])
        # A device whose serial the unauthenticated probe could not learn (a Mediant serving a CA-issued
        # certificate) is pinned under its address until login tells who it is.
        trust_key = identity.key or address_key(identity, candidate.endpoint)
        http = await self._trusted_http(candidate.endpoint, trust_key, label)
        if http is None:
            return None
        try:
            reporter.stage(OPEN_STAGES[1])
            client = await self._login(http, candidate, label)
            if client is not None and not identity.key:
                identity = await self._pin_under_real_identity(client, trust_key, identity)
        except BaseException:
            await http.aclose()
            raise
        if client is None:
            await http.aclose()
            return None
        key = identity.key or trust_key
        self._on_state(key, DeviceState.ONLINE)
        self._record(key, "Logged in", "done")
        return OpenedDevice(
            identity, candidate.endpoint, client, http, self._rememberer(key),
            open_http=self._http_opener(candidate.endpoint, key),
        )

    def _http_opener(self, endpoint: Endpoint, key: str) -> Callable[[], Awaitable[httpx.AsyncClient]]:
        """open_http() for a panel: the same trust decision (pin, CA or plain HTTP), never a new question."""
        trust = self._trust

        async def open_http() -> httpx.AsyncClient:
            return await open_device_client(endpoint, key, trust)

        return open_http

    async def _pin_under_real_identity(
        self, client: Any, provisional_key: str, fallback: DeviceIdentity
    ) -> DeviceIdentity:
        """Move a pin made under the device's address to its real identity, read after login."""
        identity: DeviceIdentity = await client.read_identity()
        entry = self._trust.entry(provisional_key)
        if not identity.key or entry is None:
            return fallback
        self._trust.trust(identity.key, entry.details)
        self._trust.forget(provisional_key)
        self._record(identity.key, "Certificate", "pinned to the serial read after login",
                     {"fingerprint": entry.fingerprint, "was": provisional_key})
        return identity

    async def open_cloud(
        self, url: str, credentials: Credentials, reporter: ProgressReporter
    ) -> OpenedDevice | None:
        """A logged-in Hik-Partner Pro client: CA-verified when the service's chain verifies, else pinned."""
        endpoint = endpoint_from_url(url)
        identity = cloud_identity(endpoint)
        reporter.stage(OPEN_STAGES[0])
        http = await self._ca_verified_http(endpoint)
        if http is None:
            http = await self._trusted_http(endpoint, identity.key, f"Hik-Partner Pro at {endpoint.host}")
        if http is None:
            return None
        try:
            reporter.stage(OPEN_STAGES[1])
            candidate = DeviceCandidate(endpoint, identity, identified=True)
            client = await self._login_with(http, candidate, credentials)
        except BaseException:
            await http.aclose()
            raise
        self._record(identity.key, "Logged in", "done")
        return OpenedDevice(identity, endpoint, client, http)

    async def _ca_verified_http(self, endpoint: Endpoint) -> httpx.AsyncClient | None:
        """A client verified by the system CAs (and the CA bundle), or None when the chain does not verify."""
        if endpoint.scheme == "http":
            return None
        context = ca_ssl_context(self._trust.ca_bundle)
        if not await handshake_verifies(endpoint, context):
            return None
        return httpx.AsyncClient(
            base_url=endpoint.base_url, verify=context, timeout=DEFAULT_TIMEOUT, follow_redirects=False,
            trust_env=False,
        )

    async def _trusted_http(self, endpoint: Endpoint, key: str, label: str) -> httpx.AsyncClient | None:
        """An httpx client whose TLS peer is trusted; asks at most once per certificate problem."""
        for _ in range(2):
            try:
                return await open_device_client(endpoint, key, self._trust)
            except CertificateError as err:
                changed = isinstance(err, CertificateChangedError)
                state = DeviceState.CERTIFICATE_CHANGED if changed else DeviceState.CERTIFICATE_UNTRUSTED
                self._on_state(key, state)
                if not await self._decide_certificate(err, label):
                    self._record(key, "Certificate", "kept blocking" if changed else "not trusted",
                                 {"fingerprint": err.certificate.fingerprint})
                    return None
                self._trust.trust(key, err.certificate)
                self._on_state(key, DeviceState.NEEDS_LOGIN)
                self._record(key, "Certificate", "trusted", {"fingerprint": err.certificate.fingerprint})
        return await open_device_client(endpoint, key, self._trust)

    async def _login(self, http: httpx.AsyncClient, candidate: DeviceCandidate, label: str) -> Any:
        """A logged-in vendor client: remembered credentials and the site list first, then the technician."""
        key = candidate.identity.key
        logged_in: list[Any] = []

        async def attempt(credentials: Credentials) -> None:
            logged_in.append(await self._login_with(http, candidate, credentials))

        reason = ""
        try:
            found = await try_credentials(self._credentials.candidates(key), attempt, SITE_ATTEMPTS)
        except DefaultPasswordError as err:
            found, reason = None, _default_password_hint(err)
        if found is not None:
            if found != self._credentials.device_credentials(key):
                self._credentials.save_device_credentials(key, found)
            return logged_in[-1]
        self._on_state(key, DeviceState.NEEDS_LOGIN)
        return await self._ask_until_accepted(http, candidate, label, reason)

    async def _ask_until_accepted(
        self, http: httpx.AsyncClient, candidate: DeviceCandidate, label: str, reason: str
    ) -> Any:
        remembered = self._credentials.device_credentials(candidate.identity.key)
        username = remembered.username if remembered else ""
        while True:
            answer = await self._ask_credentials(label, username, reason)
            if answer is None:
                return None
            username = answer.credentials.username
            try:
                client = await self._login_with(http, candidate, answer.credentials)
            except DefaultPasswordError as err:
                reason = _default_password_hint(err)
                continue
            except AuthenticationError as err:
                reason = f"{label} refused these credentials ({err}). Check the username and password."
                continue
            self._keep(candidate.identity.key, answer)
            return client

    @staticmethod
    async def _login_with(
        http: httpx.AsyncClient, candidate: DeviceCandidate, credentials: Credentials
    ) -> Any:
        """The vendor client logged in with `credentials`; raises AuthenticationError when refused."""
        from app.vendors.registry import plugin_for

        plugin = plugin_for(candidate.identity.vendor)
        client = plugin.create_client(http, candidate.endpoint, credentials)
        await client.login()
        return client

    def _keep(self, key: str, answer: CredentialAnswer) -> None:
        if answer.remember:
            self._credentials.save_device_credentials(key, answer.credentials)
        if answer.add_to_site_list:
            creds = answer.credentials
            entry = SiteCredential(creds.username, creds.username, creds.password)
            self._credentials.add_site_credential(entry)

    @property
    def credentials(self) -> CredentialStore:
        """The store credentials are looked up in and remembered to."""
        return self._credentials

    @credentials.setter
    def credentials(self, store: CredentialStore) -> None:
        self._credentials = store

    def _rememberer(self, key: str) -> Callable[[Credentials], None]:
        """remember(credentials) for the panel of device `key` (the store in use when it is called)."""

        def remember(credentials: Credentials) -> None:
            self._credentials.save_device_credentials(key, credentials)
            self._record(key, "Credentials", "stored", {"username": credentials.username})

        return remember

    def _record(self, key: str, action: str, result: str, detail: dict[str, str] | None = None) -> None:
        if self._history is not None and key:
            self._history.record(key, action, result, detail)


def address_key(identity: DeviceIdentity, endpoint: Endpoint) -> str:
    """The provisional key (`vendor@host:port`) of a device whose serial is unknown until login."""
    return f"{identity.vendor}@{endpoint.host}:{endpoint.port}"


def device_label(identity: DeviceIdentity, endpoint: Endpoint) -> str:
    """"Axis P3818-PVE (ACCC8E012345) at 127.0.0.1:8443" — how dialogs name a device."""
    serial = f"({identity.serial})" if identity.serial else ""
    name = " ".join(part for part in (identity.model, serial) if part)
    return f"{name or identity.vendor} at {endpoint.host}:{endpoint.port}"



def _default_password_hint(err: DefaultPasswordError) -> str:
    return f"{err} Change the factory password on the device first, then log in with the new one."


def endpoint_from_url(url: str) -> Endpoint:
    """The Endpoint of an http(s) URL; raises ConfigurationError when it is not one."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigurationError(f"{url!r} is not an https:// address.")
    scheme: Scheme = "https" if parts.scheme == "https" else "http"
    return Endpoint(parts.hostname, parts.port or (443 if scheme == "https" else 80), scheme)


def cloud_identity(endpoint: Endpoint) -> DeviceIdentity:
    """The Hik-Partner Pro cloud as a device: vendor hikvision, keyed by the service's host and port."""
    return DeviceIdentity(
        vendor="hikvision", model=CLOUD_MODEL, serial=f"cloud@{endpoint.host}:{endpoint.port}",
        name=f"Hik-Partner Pro at {endpoint.host}",
    )
