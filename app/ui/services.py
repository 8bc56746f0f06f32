"""The app's long-lived services, built once by the application and handed to the main window."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.backend.credentials import CredentialStore
from app.backend.history import DeviceHistory
from app.backend.trust import TrustStore
from app.backend.vault import SecretVault
from app.core.paths import data_dir
from app.discovery.inventory import DeviceInventory
from app.ui.settings import UiSettings


class SessionVault:
    """Secrets kept in memory for this run only: used when the OS has no keyring and no passphrase is set yet."""

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        """The secret, or None."""
        return self._secrets.get(name)

    def set(self, name: str, secret: str) -> None:
        """Keep `secret` until the app exits."""
        self._secrets[name] = secret

    def delete(self, name: str) -> None:
        """Forget the secret."""
        self._secrets.pop(name, None)


@dataclass(slots=True)
class AppServices:
    """Trust store, credentials, history, settings and (once started) discovery."""

    trust: TrustStore
    credentials: CredentialStore
    history: DeviceHistory
    settings: UiSettings
    inventory: DeviceInventory
    discovery: Any = None
    session_only_credentials: bool = False
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(cls, *, session_vault: bool = False) -> AppServices:
        """Services on data_dir(); without a keyring (or when asked) secrets stay in memory for this run."""
        use_session = session_vault or CredentialStore.needs_passphrase()
        vault: SecretVault | None = SessionVault() if use_session else None
        trust = TrustStore()
        return cls(
            trust=trust,
            credentials=CredentialStore(vault=vault),
            history=DeviceHistory(data_dir() / "history.sqlite3"),
            settings=UiSettings.load(),
            inventory=DeviceInventory(pinned=trust.pinned),
            session_only_credentials=use_session,
        )
