"""Fake prompts that answer like a technician and keep every question; a site on real stores to open from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.backend.credentials import CredentialStore
from app.backend.history import DeviceHistory
from app.backend.trust import TrustStore
from app.core.models import Credentials, DeviceCandidate, DeviceState
from app.discovery.inventory import DeviceInventory
from app.site.connector import SiteConnector
from app.site.prompts import CleartextQuestion, CredentialAnswer, CredentialQuestion, TrustQuestion


@dataclass
class FakePrompts:
    """DevicePrompts with fixed answers; `asked` keeps each question in order."""

    trust: bool = True
    #: Answers to the first trust questions, in order (then `trust`).
    trust_answers: list[bool] = field(default_factory=list)
    credentials: Credentials | None = None
    cleartext: bool = False
    remember: bool = True
    asked: list[TrustQuestion | CredentialQuestion | CleartextQuestion] = field(default_factory=list)

    async def decide_trust(self, question: TrustQuestion) -> bool:
        """The fixed trust answer."""
        self.asked.append(question)
        return self.trust_answers.pop(0) if self.trust_answers else self.trust

    async def ask_credentials(self, question: CredentialQuestion) -> CredentialAnswer | None:
        """The fixed credentials (None: cancel), asked at most three times."""
        self.asked.append(question)
        if self.credentials is None or sum(isinstance(q, CredentialQuestion) for q in self.asked) > 3:
            return None
        return CredentialAnswer(self.credentials, remember=self.remember, add_to_site_list=False)

    async def allow_cleartext(self, question: CleartextQuestion) -> bool:
        """The fixed plain-HTTP answer."""
        self.asked.append(question)
        return self.cleartext

    def of(self, kind: type[TrustQuestion | CredentialQuestion | CleartextQuestion]) -> list[object]:
        """The questions of one kind."""
        return [question for question in self.asked if isinstance(question, kind)]


@dataclass
class Site:
    """Real stores in a temporary folder, an inventory and the connector over them."""

    trust: TrustStore
    credentials: CredentialStore
    history: DeviceHistory
    inventory: DeviceInventory
    prompts: FakePrompts
    connector: SiteConnector

    def states(self, key: str) -> DeviceState | None:
        """The row's state in the inventory."""
        entry = self.inventory.get(key)
        return entry.state if entry is not None else None


def make_site(tmp_path: Path, prompts: FakePrompts) -> Site:
    """A site on fresh stores under `tmp_path`."""
    trust = TrustStore(tmp_path / "trust.json")
    credentials = CredentialStore(directory=tmp_path / "creds")
    history = DeviceHistory(tmp_path / "history.sqlite3")
    inventory = DeviceInventory(pinned=trust.pinned)
    connector = SiteConnector(trust, credentials, prompts=prompts, inventory=inventory, history=history)
    return Site(trust, credentials, history, inventory, prompts, connector)


def row_for(site: Site, candidate: DeviceCandidate) -> str:
    """Put the candidate in the inventory as an identified row; returns its key."""
    from app.discovery.identify import Identification

    result = Identification(candidate, None, reachable=True)
    entry = site.inventory.observe(result, source=f"test:{candidate.endpoint}")
    return entry.key
