"""One device connection's life: certificate or plain-HTTP decision, login, identity check, move, close."""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable

import httpx

from app.backend.session import open_device_client
from app.core.errors import (
    CertificateChangedError,
    CertificateError,
    CleartextRefusedError,
    DefaultPasswordError,
    IdentityMismatchError,
)
from app.core.models import DeviceCandidate, DeviceIdentity, DeviceState, Endpoint
from app.core.progress import ProgressReporter
from app.site.certificate_step import CertificateStep
from app.site.connector import SiteConnector
from app.site.login import CredentialStep, LoginResult, keep_credentials
from app.site.naming import device_label, same_device
from app.site.opened import OpenedDevice
from app.site.prompts import CleartextQuestion
from app.vendors.base import DeviceClient, SetsFirstPassword

log = logging.getLogger(__name__)

#: The stages an open (a device's or the cloud account's) reports, in order.
OPEN_STAGES = ("Checking the certificate", "Logging in")


class ConnectionState(enum.Enum):
    """Where one device connection is; `_TRANSITIONS` says which state may follow which."""

    NEW = "new"
    CHECKING_CERTIFICATE = "checking the certificate"
    AWAITING_TRUST = "waiting for a trust decision"
    AWAITING_CLEARTEXT = "waiting for a decision on plain HTTP"
    LOGGING_IN = "logging in"
    AWAITING_CREDENTIALS = "waiting for credentials"
    VERIFYING_IDENTITY = "checking who answered"
    OPEN = "open"
    MOVED = "moved"
    DECLINED = "declined"
    FAILED = "failed"
    CLOSED = "closed"


StateListener = Callable[["DeviceConnection", ConnectionState], None]
"""listener(connection, state): `connection` has just entered `state`."""

_S = ConnectionState
_STARTS = frozenset({_S.CHECKING_CERTIFICATE, _S.AWAITING_CLEARTEXT, _S.FAILED})
_TRANSITIONS: dict[ConnectionState, frozenset[ConnectionState]] = {
    _S.NEW: _STARTS,
    _S.CHECKING_CERTIFICATE: frozenset({_S.AWAITING_TRUST, _S.LOGGING_IN, _S.FAILED}),
    _S.AWAITING_TRUST: frozenset({_S.CHECKING_CERTIFICATE, _S.VERIFYING_IDENTITY, _S.DECLINED, _S.FAILED}),
    _S.AWAITING_CLEARTEXT: frozenset({_S.LOGGING_IN, _S.DECLINED, _S.FAILED}),
    _S.LOGGING_IN: frozenset({_S.AWAITING_CREDENTIALS, _S.VERIFYING_IDENTITY, _S.FAILED}),
    _S.AWAITING_CREDENTIALS: frozenset({_S.VERIFYING_IDENTITY, _S.DECLINED, _S.FAILED}),
    _S.VERIFYING_IDENTITY: frozenset({_S.AWAITING_TRUST, _S.OPEN, _S.FAILED}),
    _S.OPEN: frozenset({_S.CLOSED, _S.MOVED}),
    _S.MOVED: _STARTS,
    _S.DECLINED: _STARTS,
    _S.FAILED: _STARTS,
    _S.CLOSED: _STARTS,
}
#: States in which an open is under way (a second open of the same device is refused meanwhile).
BUSY = frozenset(set(_S) - {_S.NEW, _S.OPEN, _S.MOVED, _S.DECLINED, _S.FAILED, _S.CLOSED})
#: States after which the connection holds nothing: no session, no open under way, none pending.
ENDED = frozenset({_S.DECLINED, _S.FAILED, _S.CLOSED})


class DeviceConnection:
    """Owns one device's connection; asks through the site's prompts, reports to the device's row."""

    def __init__(
        self, site: SiteConnector, row_key: str, candidate: DeviceCandidate, *,
        on_state: StateListener | None = None,
    ) -> None:
        self._site = site
        #: The inventory row the connection reports to (re-keyed when login tells who the device is).
        self.row_key = row_key
        self.candidate = candidate
        self._state = _S.NEW
        #: Every state entered, in order (what tests and the log read back).
        self.trail: list[ConnectionState] = [_S.NEW]
        self.opened: OpenedDevice | None = None
        self._on_state = on_state

    @property
    def state(self) -> ConnectionState:
        """Where the connection is now."""
        return self._state

    @property
    def busy(self) -> bool:
        """True while an open (or re-open) is under way."""
        return self._state in BUSY

    @property
    def label(self) -> str:
        """How questions and tasks name the device: model, serial and where it answers."""
        return device_label(self.candidate.identity, self.candidate.endpoint)

    async def open(self, reporter: ProgressReporter) -> OpenedDevice | None:
        """A logged-in device, or None when the technician declined a question; raises typed errors."""
        try:
            return await self._open(reporter)
        except BaseException:
            self._enter(_S.FAILED)
            raise

    def follow(self, candidate: DeviceCandidate) -> None:
        """The open device now answers as `candidate`: let go of the old session (its owner closes it),
        record the move; the next `open()` opens it there."""
        was = self.candidate.endpoint
        self._enter(_S.MOVED)
        self.opened = None
        self.candidate = candidate
        self._site.record(self.row_key, "Address", "moved",
                          {"from": was.base_url, "to": candidate.endpoint.base_url})

    def moved_to(self, candidate: DeviceCandidate) -> Endpoint | None:
        """Where an open device now answers, when `candidate` (a new sighting) says it moved; else None."""
        if self._state is not _S.OPEN:
            return None
        was, now = self.candidate.endpoint, candidate.endpoint
        # mDNS may list a device's IPv4 and IPv6 addresses in either order: still there is not a move.
        if was.port == now.port and was.host in {now.host, *candidate.addresses}:
            return None
        return now

    def _session_closed(self, device: OpenedDevice) -> None:
        """`device`'s session ended; the connection is closed unless it already moved on."""
        if self.opened is device:
            self.opened = None
            self._enter(_S.CLOSED)

    # ---- the open flow ---------------------------------------------------------------------------------
    async def _open(self, reporter: ProgressReporter) -> OpenedDevice | None:
        candidate = self.candidate
        identity, endpoint = candidate.identity, candidate.endpoint
        label = device_label(identity, endpoint)
        address = candidate.address_key
        # A device whose serial the unauthenticated probe cannot learn (a Mediant serving a CA-issued
        # certificate) is known by the identity it logged in as at this address before, else by the address.
        expected = identity.key or self._site.trust.alias(address) or ""
        trust_key = expected or address
        certificates = CertificateStep(self._site)
        reporter.stage(OPEN_STAGES[0])
        cleartext = endpoint.scheme == "http"
        http = await (self._cleartext_http(trust_key, label) if cleartext
                      else self._trusted_http(certificates, trust_key, label))
        if http is None:
            self._enter(_S.DECLINED)
            return None
        try:
            reporter.stage(OPEN_STAGES[1])
            opened = await self._log_in(
                http, certificates, expected, trust_key, label=label, cleartext=cleartext
            )
        except IdentityMismatchError:
            certificates.undo()
            await http.aclose()  # no logout: nothing more is sent to a device that is not the one trusted
            raise
        except BaseException:
            await http.aclose()
            raise
        if opened is None:
            await http.aclose()
            self._enter(_S.DECLINED)
        return opened

    async def _trusted_http(
        self, certificates: CertificateStep, key: str, label: str
    ) -> httpx.AsyncClient | None:
        self._enter(_S.CHECKING_CERTIFICATE)
        http = await certificates.open(
            self.candidate.endpoint, key, label, asking=self._asking_trust, trusted=self._trusted
        )
        if http is not None:
            self._enter(_S.LOGGING_IN)
        return http

    def _asking_trust(self, err: CertificateError) -> None:
        changed = isinstance(err, CertificateChangedError)
        self._row(DeviceState.CERTIFICATE_CHANGED if changed else DeviceState.CERTIFICATE_UNTRUSTED)
        self._enter(_S.AWAITING_TRUST)

    def _trusted(self) -> None:
        self._row(DeviceState.NEEDS_LOGIN)
        self._enter(_S.CHECKING_CERTIFICATE)  # the answer is checked by the next handshake

    async def _cleartext_http(self, key: str, label: str) -> httpx.AsyncClient | None:
        """A plain-HTTP client once the technician allowed it for this device; never for a pinned one."""
        endpoint = self.candidate.endpoint
        if self._site.trust.entry(key) is not None:
            raise CleartextRefusedError(
                f"{label} offers only plain HTTP, but {key} is trusted by its certificate. Nothing is sent "
                "to it: another machine may be posing as the device."
            )
        self._enter(_S.AWAITING_CLEARTEXT)
        self._row(DeviceState.NEEDS_LOGIN)
        allowed = await self._site.prompts.allow_cleartext(CleartextQuestion(label, endpoint))
        decision = "allowed by the technician" if allowed else "refused"
        self._site.record(key, "Unencrypted connection", decision, {"address": endpoint.base_url})
        if not allowed:
            return None
        self._site.inventory.note_cleartext(self.row_key)
        self._enter(_S.LOGGING_IN)
        return await open_device_client(endpoint, key, self._site.trust)

    async def _log_in(
        self, http: httpx.AsyncClient, certificates: CertificateStep, expected: str, trust_key: str,
        *, label: str, cleartext: bool,
    ) -> OpenedDevice | None:
        step = CredentialStep(self._site.credentials, self._site.prompts, self._asking_credentials)
        login = await step.log_in(http, self.candidate, trust_key, label, cleartext=cleartext)
        if login is None:
            return None
        self._enter(_S.VERIFYING_IDENTITY)
        identity = await self._verified_identity(login.client, certificates, expected, label)
        if identity is None:
            return None
        return self._opened(identity, trust_key, http, login)

    def _asking_credentials(self) -> None:
        self._row(DeviceState.NEEDS_LOGIN)
        self._enter(_S.AWAITING_CREDENTIALS)

    async def _verified_identity(
        self, client: DeviceClient, certificates: CertificateStep, expected: str, label: str
    ) -> DeviceIdentity | None:
        """Who logged in, when it is who the device was opened as; raises IdentityMismatchError otherwise."""
        probed = self.candidate.identity
        try:
            found = await client.read_identity()
        except DefaultPasswordError:
            # A device still on its factory password answers nothing but the password change: it is
            # opened as the identity it was listed under (its pin already checked), and whoever sets its
            # first password reads the identity back with the new one.
            if probed.key and isinstance(client, SetsFirstPassword) and client.needs_first_password():
                return probed
            raise
        if probed.key:
            if not same_device(probed, found):
                raise _mismatch(label, probed.key, found)
            return probed
        if expected:
            if found.key != expected:
                raise _mismatch(label, expected, found)
            return found
        if not found.key:
            return probed
        return await self._pin_under_learnt_identity(found, certificates, label)

    async def _pin_under_learnt_identity(
        self, found: DeviceIdentity, certificates: CertificateStep, label: str
    ) -> DeviceIdentity | None:
        """Move the address pin to the identity read at login; replacing another pin is for the technician."""
        trust = self._site.trust
        address = self.candidate.address_key
        entry = trust.entry(address)
        if entry is not None:
            existing = trust.entry(found.key)
            if existing is not None and existing.fingerprint != entry.fingerprint:
                self._enter(_S.AWAITING_TRUST)
                self._row(DeviceState.CERTIFICATE_CHANGED)
                error = CertificateChangedError(
                    f"{found.key} answered at {address} with another certificate than its trusted one.",
                    certificate=entry.details, identity=found.key, trusted_fingerprint=existing.fingerprint,
                )
                if not await self._site.prompts.decide_trust(certificates.question(error, found.key, label)):
                    kept = {"fingerprint": entry.fingerprint}
                    self._site.record(found.key, "Certificate", "kept blocking", kept)
                    certificates.undo()
                    return None
                self._enter(_S.VERIFYING_IDENTITY)
            trust.trust(found.key, entry.details)
            trust.forget(address)
            self._site.record(found.key, "Certificate", "pinned to the serial read after login",
                              {"fingerprint": entry.fingerprint, "was": address})
        trust.set_alias(address, found.key)
        return found

    def _opened(
        self, identity: DeviceIdentity, trust_key: str, http: httpx.AsyncClient, login: LoginResult
    ) -> OpenedDevice:
        key = identity.key or trust_key
        keep_credentials(self._site.credentials, key, login)
        self._online_as(identity)
        self._site.record(key, "Logged in", "done")
        self.opened = OpenedDevice(
            identity, self.candidate.endpoint, login.client, http, self._site.rememberer(key),
            open_http=self._http_opener(key), on_closed=self._session_closed,
            credentials=login.credentials,
        )
        self._enter(_S.OPEN)
        return self.opened

    def _http_opener(self, key: str) -> Callable[[], Awaitable[httpx.AsyncClient]]:
        """open_http() for a panel: the same trust decision (pin, CA or plain HTTP), never a new question."""
        endpoint, trust = self.candidate.endpoint, self._site.trust

        async def open_http() -> httpx.AsyncClient:
            return await open_device_client(endpoint, key, trust)

        return open_http

    def _online_as(self, identity: DeviceIdentity) -> None:
        """The row is ONLINE; a row found without a serial is re-keyed under the identity read at login."""
        if not identity.key or identity.key == self.row_key:
            self._row(DeviceState.ONLINE)
            return
        found_as, self.row_key = self.row_key, identity.key
        self._site.inventory.learn_identity(found_as, identity, DeviceState.ONLINE)

    def _row(self, state: DeviceState) -> None:
        self._site.inventory.set_state(self.row_key, state)

    def _enter(self, state: ConnectionState) -> None:
        if state is self._state:
            return
        if state not in _TRANSITIONS[self._state]:
            raise RuntimeError(f"a device connection cannot go from {self._state.name} to {state.name}")
        log.debug("%s: %s -> %s", self.row_key, self._state.name, state.name)
        self._state = state
        self.trail.append(state)
        if self._on_state is not None:
            self._on_state(self, state)


def _mismatch(label: str, expected: str, found: DeviceIdentity) -> IdentityMismatchError:
    who = found.key or "a device without a serial number"
    return IdentityMismatchError(
        f"This is not the device you trusted: {label} was opened as {expected}, but the device that "
        f"accepted the login says it is {who}. Nothing more is sent to it. Check the device's address "
        "and certificate.",
        expected=expected, found=found.key,
    )
