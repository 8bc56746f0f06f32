"""The questions opening a device puts to the technician, their answers, and the protocol the UI answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from app.core.certificates import CertificateDetails
from app.core.models import Credentials, Endpoint
from app.vendors.base import PasswordRecovery


@dataclass(frozen=True, slots=True)
class TrustQuestion:
    """Trust `certificate` for device `identity_key`? With `trusted_fingerprint`: it CHANGED from that pin."""

    device_label: str
    identity_key: str
    certificate: CertificateDetails
    trusted_fingerprint: str | None = None
    #: Other devices this exact certificate is already pinned to (a copied or shared certificate).
    pinned_to: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """True when the device had another certificate pinned."""
        return self.trusted_fingerprint is not None


@dataclass(frozen=True, slots=True)
class CredentialQuestion:
    """Which username and password for the device; `reason` says why it asks (again)."""

    device_label: str
    username: str = ""
    reason: str = ""
    #: The connection is plain HTTP (the technician allowed it): what is typed travels unencrypted.
    cleartext: bool = False
    #: For a device that can be put back to its factory password without logging in: how.
    recover: PasswordRecovery | None = None


@dataclass(frozen=True, slots=True)
class CleartextQuestion:
    """Send credentials to the device at `endpoint` over plain, unencrypted HTTP?"""

    device_label: str
    endpoint: Endpoint


@dataclass(frozen=True, slots=True)
class CredentialAnswer:
    """What the technician entered and where it should be kept."""

    credentials: Credentials
    remember: bool
    add_to_site_list: bool


class DevicePrompts(Protocol):
    """The technician's side of opening a device; the UI shows each question and returns the answer."""

    async def decide_trust(self, question: TrustQuestion) -> bool:
        """True to trust (pin) the certificate presented."""
        ...

    async def ask_credentials(self, question: CredentialQuestion) -> CredentialAnswer | None:
        """What the technician typed, or None when they cancelled."""
        ...

    async def allow_cleartext(self, question: CleartextQuestion) -> bool:
        """True when the technician accepts an unencrypted connection to this one device."""
        ...
