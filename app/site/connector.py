"""What every connection on the site shares: trust and credential stores, prompts, history, inventory."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.backend.credentials import CredentialStore
from app.backend.history import DeviceHistory
from app.backend.trust import TrustStore
from app.core.models import Credentials
from app.discovery.inventory import DeviceInventory
from app.site.prompts import DevicePrompts


class SiteConnector:
    """The stores, prompts and inventory the site's device connections (and its cloud account) work with."""

    def __init__(
        self,
        trust: TrustStore,
        credentials: CredentialStore,
        *,
        prompts: DevicePrompts,
        inventory: DeviceInventory,
        history: DeviceHistory | None = None,
    ) -> None:
        self.trust = trust
        #: The store credentials are looked up in and remembered to (switched when the file is unlocked).
        self.credentials = credentials
        #: Who answers the questions (the main window; the self-test answers unattended).
        self.prompts = prompts
        self.inventory = inventory
        self.history = history

    def record(self, key: str, action: str, result: str, detail: Mapping[str, Any] | None = None) -> None:
        """Append to device `key`'s history (nothing for an empty key or without a history)."""
        if self.history is not None and key:
            self.history.record(key, action, result, detail)

    def rememberer(self, key: str) -> Callable[[Credentials], None]:
        """remember(credentials) for the panel of device `key` (the store in use when it is called)."""

        def remember(credentials: Credentials) -> None:
            self.credentials.save_device_credentials(key, credentials)
            self.record(key, "Credentials", "stored", {"username": credentials.username})

        return remember
