"""The app's long-lived services, built once by the application and handed to the main window."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.backend.credentials import CredentialStore
from app.backend.history import DeviceHistory
from app.backend.trust import TrustStore
from app.backend.vault import SecretVault, SessionVault
from app.core.paths import data_dir
from app.discovery.inventory import DeviceInventory
from app.ui.settings import UiSettings

if TYPE_CHECKING:  # built after the first paint; importing it here would load zeroconf at start-up
    from app.discovery.service import DiscoveryService

log = logging.getLogger(__name__)


@dataclass(slots=True)
class AppServices:
    """Trust store, credentials, history, settings and (once started) discovery.

    Without an OS keyring `credentials` starts session-only (`session_only_credentials`) until the
    technician unlocks the passphrase-encrypted file (`use_credentials`).
    """

    trust: TrustStore
    credentials: CredentialStore
    history: DeviceHistory
    settings: UiSettings
    inventory: DeviceInventory
    discovery: DiscoveryService | None = None
    session_only_credentials: bool = False

    @classmethod
    def create(cls, *, session_vault: bool = False) -> AppServices:
        """Services on data_dir(); without a keyring (or when asked) secrets stay in memory until unlocked."""
        use_session = session_vault or CredentialStore.needs_passphrase()
        vault: SecretVault | None = SessionVault() if use_session else None
        trust = TrustStore()
        history = DeviceHistory(data_dir() / "history.sqlite3")
        if interrupted := history.mark_interrupted():
            log.warning("%d operation(s) never ended before the app stopped: marked interrupted", interrupted)
        return cls(
            trust=trust,
            credentials=CredentialStore(vault=vault),
            history=history,
            settings=UiSettings.load(),
            inventory=DeviceInventory(pinned=trust.pinned),
            session_only_credentials=use_session,
        )

    @property
    def needs_passphrase(self) -> bool:
        """True while secrets are session-only because the OS has no keyring (the file is still locked)."""
        return self.session_only_credentials and CredentialStore.needs_passphrase()

    @property
    def credentials_kept(self) -> str:
        """Where remembered passwords go, as the credential dialog says it."""
        if self.credentials.uses_keyring:
            return "in the system keyring"
        if self.session_only_credentials:
            return "for this session only"
        return "in the passphrase-encrypted file"

    def use_credentials(self, store: CredentialStore) -> None:
        """Switch to an unlocked store (the encrypted file); secrets entered meanwhile are carried over."""
        previous = self.credentials
        for entry in previous.site_credentials():
            store.add_site_credential(entry)
        self.credentials = store
        self.session_only_credentials = False


def open_encrypted_store(passphrase: str) -> CredentialStore:
    """The credential store on the passphrase-encrypted file (created with this passphrase if new).

    Raises CredentialStoreError for a wrong passphrase, or one too short for a new file. CPU-heavy
    (scrypt): call it from an executor.
    """
    return CredentialStore(passphrase=passphrase)

