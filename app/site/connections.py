"""The site's device connections by row: one per device, opened once, followed when it moves, then dropped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from app.core.errors import CertificateChangedError
from app.core.models import DeviceState
from app.discovery.inventory import DeviceEntry, InventoryChange, InventoryChangeKind
from app.site.connection import ENDED, ConnectionState, DeviceConnection
from app.site.connector import SiteConnector
from app.site.naming import device_label, host_port


@dataclass(frozen=True, slots=True)
class OpenRefused:
    """Why a device cannot be opened now, and how loudly to say so."""

    level: Literal["info", "warning"]
    message: str


@dataclass(frozen=True, slots=True)
class DeviceMoved:
    """An open device answers elsewhere now: close its session under `key`, then open `connection` again."""

    key: str
    connection: DeviceConnection
    message: str


MovedListener = Callable[[DeviceMoved], None]
"""moved(event): an open device moved; its connection already follows the new address."""


class SiteConnections:
    """One DeviceConnection per device row while it opens or is open; follows the inventory's changes.

    A connection leaves once it ends (declined, failed, closed) or its row is removed; a row re-keyed at
    login keeps it under the new key. Only what must be shown reaches the UI: `moved` and the messages.
    """

    def __init__(self, site: SiteConnector, *, moved: MovedListener) -> None:
        self._site = site
        self._moved = moved
        self._by_key: dict[str, DeviceConnection] = {}
        self._unsubscribe = site.inventory.subscribe(self._inventory_changed)

    def get(self, key: str) -> DeviceConnection | None:
        """The connection of row `key`, while it is opening or open."""
        return self._by_key.get(key)

    def keys(self) -> list[str]:
        """Rows that have a connection now."""
        return list(self._by_key)

    def start(self, key: str) -> DeviceConnection | OpenRefused:
        """A new connection for row `key` (the caller runs its `open()`); or why it cannot be opened now."""
        current = self._by_key.get(key)
        if current is not None and current.busy:
            return OpenRefused("info", "This device is already being opened.")
        entry = self._site.inventory.get(key)
        if entry is None:
            return OpenRefused("warning", "This device is no longer in the list.")
        if not entry.identified:
            reason = entry.detail or "no vendor recognised it"
            where = host_port(entry.candidate.endpoint)
            return OpenRefused("warning", f"{where} is not identified: {reason}.")
        connection = DeviceConnection(self._site, key, entry.candidate, on_state=self._state_entered)
        self._by_key[key] = connection
        return connection

    def certificate_changed(self, error: CertificateChangedError) -> str | None:
        """A certificate changed mid-session: mark its row; the message to show, None if already shown."""
        entry = self._site.inventory.get(error.identity)
        if entry is not None and entry.state is DeviceState.CERTIFICATE_CHANGED:
            return None  # several requests of one panel fail together: one message is enough
        self._site.inventory.set_state(error.identity, DeviceState.CERTIFICATE_CHANGED)
        label = device_label(entry.candidate.identity, entry.candidate.endpoint) if entry else error.identity
        return (f"The certificate of {label} changed. Nothing more is sent to it until you decide: "
                "open the device again to compare the new certificate with the trusted one.")

    def close(self) -> None:
        """Stop following the inventory (the window is closing; sessions are closed by their panels)."""
        self._unsubscribe()

    def _state_entered(self, connection: DeviceConnection, state: ConnectionState) -> None:
        """An ended connection is forgotten, under whichever row it is still listed."""
        if state in ENDED:
            for key in [key for key, listed in self._by_key.items() if listed is connection]:
                del self._by_key[key]

    def _inventory_changed(self, change: InventoryChange) -> None:
        if change.kind is InventoryChangeKind.REMOVED:
            self._row_removed(change.entry)
        else:
            self._follow_if_moved(change.entry)

    def _follow_if_moved(self, entry: DeviceEntry) -> None:
        """An open device seen at another address (new network settings, a new DHCP lease) is followed."""
        connection = self._by_key.get(entry.key)
        if connection is None or entry.state is DeviceState.OFFLINE:
            return
        now = connection.moved_to(entry.candidate)
        if now is None:
            return
        message = f"{connection.label} moved to {host_port(now)}; reconnecting there."
        connection.follow(entry.candidate)
        self._moved(DeviceMoved(entry.key, connection, message))

    def _row_removed(self, entry: DeviceEntry) -> None:
        """A row re-keyed at login keeps its connection under the new key; any other removed row loses it
        (a session still open stays with its panel and closes with it)."""
        connection = self._by_key.pop(entry.key, None)
        if connection is not None and connection.row_key != entry.key:
            self._by_key[connection.row_key] = connection
