"""The site's connections: the stores and prompts every device connection shares, and the cloud account."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.backend.credentials import CredentialStore
from app.backend.history import DeviceHistory
from app.backend.trust import TrustStore
from app.core.models import Credentials, DeviceCandidate
from app.discovery.inventory import DeviceInventory
from app.site.connection import DeviceConnection
from app.site.prompts import DevicePrompts


class SiteConnector:
    """Makes DeviceConnections over one trust store, credential store, history and inventory."""

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

    def connection(self, row_key: str, candidate: DeviceCandidate) -> DeviceConnection:
        """A new connection to the device of row `row_key`, seen as `candidate`."""
        return DeviceConnection(self, row_key, candidate)

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
