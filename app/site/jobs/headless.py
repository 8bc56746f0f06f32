"""The prompts of an unattended job: trust only the certificate the device list names, offer only the
list's credentials (once), never plain HTTP. Nothing is ever accepted blindly."""

from __future__ import annotations

from app.core.models import Credentials
from app.site.jobs.model import JobTarget
from app.site.prompts import CleartextQuestion, CredentialAnswer, CredentialQuestion, TrustQuestion


def same_fingerprint(one: str, other: str) -> bool:
    """True when two SHA-256 fingerprints are the same, however colons and case are written."""
    def normal(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch in "0123456789abcdef")

    return bool(normal(one)) and normal(one) == normal(other)


class HeadlessPrompts:
    """DevicePrompts for one listed device; remembers what it declined so the job can say why."""

    def __init__(self, target: JobTarget) -> None:
        self._target = target
        self._credentials_offered = False
        self.declined_trust = ""
        self.declined_cleartext = False
        self.credentials_refused = ""

    async def decide_trust(self, question: TrustQuestion) -> bool:
        """Trust a first-seen certificate only when it is the one the list names; never a changed one."""
        presented = question.certificate.fingerprint
        if question.changed:
            self.declined_trust = (f"its certificate changed (presented {presented}, pinned "
                                   f"{question.trusted_fingerprint}); decide in the app first")
            return False
        if not self._target.fingerprint:
            self.declined_trust = f"it is not trusted yet and the list names no fingerprint ({presented})"
            return False
        if not same_fingerprint(presented, self._target.fingerprint):
            self.declined_trust = (f"it presented {presented}, not the fingerprint in the list "
                                   f"({self._target.fingerprint})")
            return False
        return True

    async def ask_credentials(self, question: CredentialQuestion) -> CredentialAnswer | None:
        """The list's credentials once (not remembered); afterwards None: nothing more is tried."""
        if question.reason:
            self.credentials_refused = question.reason
        if self._credentials_offered or not self._target.password or question.cleartext:
            return None
        self._credentials_offered = True
        credentials = Credentials(self._target.username, self._target.password)
        return CredentialAnswer(credentials, remember=False, add_to_site_list=False)

    async def allow_cleartext(self, question: CleartextQuestion) -> bool:
        """Never: an unattended job sends no password over plain HTTP."""
        self.declined_cleartext = True
        return False
