"""The device list model (Qt-free): one row per device identity, kept across address changes and absences."""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass

from app.core.models import DeviceCandidate, DeviceIdentity, DeviceState
from app.discovery.identify import Identification

log = logging.getLogger(__name__)

PinnedLookup = Callable[[str], "str | None"]


class InventoryChangeKind(enum.Enum):
    """How the inventory changed.

    REMOVED happens only when a provisional row (a device not yet identified, keyed by where it was
    seen) turns out to be a known device and merges into that device's row: devices are never deleted.
    """

    ADDED = "added"
    UPDATED = "updated"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class DeviceEntry:
    """One row: the device as last seen, its state, and why it is in that state."""

    key: str
    candidate: DeviceCandidate
    state: DeviceState
    detail: str = ""
    sources: frozenset[str] = frozenset()
    #: The technician allowed an unencrypted (plain HTTP) connection to the device at this address.
    cleartext_allowed: bool = False

    @property
    def identified(self) -> bool:
        """True once a vendor probe confirmed who the device is."""
        return self.candidate.identified


@dataclass(frozen=True, slots=True)
class InventoryChange:
    """One change pushed to subscribers."""

    kind: InventoryChangeKind
    entry: DeviceEntry


InventoryCallback = Callable[[InventoryChange], None]


def _no_pins(_key: str) -> str | None:
    return None


class DeviceInventory:
    """Devices keyed by identity (vendor and serial, else MAC); where they were seen is only an attribute.

    A device seen again under a new address updates its row; one that disappears becomes OFFLINE.
    `pinned` looks up the trusted certificate fingerprint of an identity key (TrustStore.pinned).
    """

    def __init__(self, pinned: PinnedLookup = _no_pins) -> None:
        self._pinned = pinned
        self._entries: dict[str, DeviceEntry] = {}
        self._by_source: dict[str, str] = {}
        self._by_serial: dict[tuple[str, str], str] = {}
        self._by_mac: dict[tuple[str, str], str] = {}
        self._subscribers: list[InventoryCallback] = []

    def subscribe(self, callback: InventoryCallback) -> Callable[[], None]:
        """Call `callback` for every change from now on; returns the unsubscribe function."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(callback)

        return unsubscribe

    def entries(self) -> list[DeviceEntry]:
        """Every row, in the order devices were first seen."""
        return list(self._entries.values())

    def get(self, key: str) -> DeviceEntry | None:
        """The row for an identity key (or provisional key), if any."""
        return self._entries.get(key)

    def key_for_source(self, source: str) -> str | None:
        """The key of the row last seen through `source` (an mDNS service name, or `addr:host:port`)."""
        return self._by_source.get(source)

    def observe(self, result: Identification, *, source: str) -> DeviceEntry:
        """Add or update the row for an identification result seen through `source`; returns the row."""
        candidate = result.candidate
        same_device = self._entries.get(self._existing_key(candidate) or "")
        seen_here = self._entries.get(self._by_source.get(source, ""))
        if same_device is None and not candidate.identity.key:
            same_device = seen_here  # nothing better to go by than where it was seen
        if same_device is not None and same_device.identified and not candidate.identified:
            return self._mark_lost(same_device, source, result)
        if self._downgrades(candidate, same_device):
            return self._conflict(candidate, source)
        key = candidate.identity.key or (same_device.key if same_device is not None else f"seen:{source}")
        provisional = seen_here if seen_here is not None and not seen_here.identified else None
        merged = {row.key: row for row in (same_device, provisional) if row is not None and row.key != key}
        kept = self._entries.get(key)
        sources = frozenset({source}).union(*(row.sources for row in merged.values()))
        if kept is not None:
            sources |= kept.sources
        state, detail = self._state_for(result, kept or same_device)
        same_place = kept is not None and kept.candidate.endpoint == candidate.endpoint
        allowed = same_place and kept is not None and kept.cleartext_allowed
        entry = DeviceEntry(key, _with_known_firmware(candidate, kept), state, detail, sources, allowed)
        for row in merged.values():
            self._drop(row)
        self._store(entry, kept)
        return entry

    def learn_identity(self, key: str, identity: DeviceIdentity, state: DeviceState) -> DeviceEntry | None:
        """Row `key`, found without a serial, now knows who it is (read after login): re-key it under
        `identity.key`, merged with any row already holding that identity. None if `key` is unknown."""
        entry = self._entries.get(key)
        if entry is None or not identity.key:
            return None
        known_key = self._existing_key(DeviceCandidate(entry.candidate.endpoint, identity))
        known = self._entries.get(known_key) if known_key else None
        sources = entry.sources | (known.sources if known is not None else frozenset())
        candidate = dataclasses.replace(entry.candidate, identity=identity, identified=True)
        updated = DeviceEntry(identity.key, candidate, state, "", sources)
        if key != identity.key:
            self._drop(entry)
        if known is not None and known.key != identity.key:
            self._drop(known)
        self._store(updated, self._entries.get(identity.key))
        return updated

    def note_firmware(self, key: str, firmware: str) -> DeviceEntry | None:
        """Row `key` runs `firmware`, as read from the device itself (after login or an update): it
        replaces what discovery announced. None if `key` is unknown."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        candidate = entry.candidate
        identity = dataclasses.replace(candidate.identity, firmware=firmware)
        updated = dataclasses.replace(entry, candidate=dataclasses.replace(candidate, identity=identity))
        self._store(updated, entry)
        return updated

    def source_gone(self, source: str, reason: str = "") -> DeviceEntry | None:
        """The device seen through `source` left (mDNS goodbye); its row becomes OFFLINE."""
        key = self._by_source.get(source)
        entry = self._entries.get(key) if key else None
        if entry is None:
            return None
        detail = reason or "The device stopped announcing itself."
        return self.set_state(entry.key, DeviceState.OFFLINE, detail)

    def note_cleartext(self, key: str) -> DeviceEntry | None:
        """The technician allowed plain HTTP to row `key` where it answers now (shown on its row)."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        updated = dataclasses.replace(entry, cleartext_allowed=True)
        self._store(updated, entry)
        return updated

    def set_state(self, key: str, state: DeviceState, detail: str = "") -> DeviceEntry | None:
        """Change a row's state (after login, a trust decision, a failed re-probe); None if unknown."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.state == state and entry.detail == detail:
            return entry
        updated = dataclasses.replace(entry, state=state, detail=detail)
        self._store(updated, entry)
        return updated

    def _existing_key(self, candidate: DeviceCandidate) -> str | None:
        identity = candidate.identity
        if identity.serial and (identity.vendor, identity.serial) in self._by_serial:
            return self._by_serial[(identity.vendor, identity.serial)]
        mac_key = self._by_mac.get((identity.vendor, _normal_mac(identity.mac)))
        known = self._entries.get(mac_key) if mac_key else None
        if known is not None and not (identity.serial and known.candidate.identity.serial):
            return known.key  # the same MAC is the same device unless both carry different serials
        key = identity.key
        return key if key in self._entries else None

    def _downgrades(self, candidate: DeviceCandidate, known: DeviceEntry | None) -> bool:
        """True when a plain-HTTP sighting claims a device trusted by its certificate or known over HTTPS."""
        key = candidate.identity.key
        if not candidate.identified or candidate.endpoint.scheme != "http" or not key:
            return False
        known_over_https = known is not None and known.candidate.endpoint.scheme == "https"
        return known_over_https or self._pinned(key) is not None

    def _conflict(self, candidate: DeviceCandidate, source: str) -> DeviceEntry:
        """A row of its own for a sighting that would move a device from https to http; never opened."""
        claimed = candidate.identity.key
        detail = (f"Announces itself over plain HTTP as {claimed}, a device known over HTTPS. It is kept "
                  "apart and nothing is sent to it: check what answers at this address")
        key = f"conflict:{source}"
        provisional = self._entries.get(self._by_source.get(source, ""))
        if provisional is not None and provisional.key != key and not provisional.identified:
            self._drop(provisional)
        kept = self._entries.get(key)
        unopenable = dataclasses.replace(candidate, identified=False)
        entry = DeviceEntry(key, unopenable, DeviceState.CONFLICT, detail, frozenset({source}))
        self._store(entry, kept)
        log.warning("Conflict: %s claims %s over plain HTTP", candidate.endpoint, claimed)
        return entry

    def _state_for(self, result: Identification, previous: DeviceEntry | None) -> tuple[DeviceState, str]:
        candidate = result.candidate
        if not candidate.identified:
            return (DeviceState.DISCOVERED if result.reachable else DeviceState.UNREACHABLE), result.reason
        pinned = self._pinned(candidate.identity.key or candidate.address_key)
        fingerprint = candidate.certificate_fingerprint
        if fingerprint and pinned is None:
            return DeviceState.CERTIFICATE_UNTRUSTED, "Check the device's certificate and trust it."
        if fingerprint and pinned != fingerprint:
            return DeviceState.CERTIFICATE_CHANGED, "The certificate differs from the trusted one."
        same_place = previous is not None and previous.candidate.endpoint == candidate.endpoint
        if previous is not None and previous.state is DeviceState.ONLINE and same_place:
            return DeviceState.ONLINE, ""
        return DeviceState.NEEDS_LOGIN, ""

    def _mark_lost(self, previous: DeviceEntry, source: str, result: Identification) -> DeviceEntry:
        state = DeviceState.OFFLINE if not result.reachable else previous.state
        entry = dataclasses.replace(
            previous, state=state, detail=result.reason, sources=previous.sources | {source}
        )
        self._store(entry, previous)
        return entry

    def _store(self, entry: DeviceEntry, previous: DeviceEntry | None) -> None:
        self._entries[entry.key] = entry
        for source in entry.sources:
            self._by_source[source] = entry.key
        identity = entry.candidate.identity
        if entry.identified and identity.serial:
            self._by_serial[(identity.vendor, identity.serial)] = entry.key
        if entry.identified and identity.mac:
            self._by_mac[(identity.vendor, _normal_mac(identity.mac))] = entry.key
        kind = InventoryChangeKind.ADDED if previous is None else InventoryChangeKind.UPDATED
        if previous is None or previous != entry:
            self._emit(InventoryChange(kind, entry))

    def _drop(self, entry: DeviceEntry) -> None:
        del self._entries[entry.key]
        self._emit(InventoryChange(InventoryChangeKind.REMOVED, entry))

    def _emit(self, change: InventoryChange) -> None:
        for callback in list(self._subscribers):
            try:
                callback(change)
            except Exception:  # a subscriber's bug must not stop the others or discovery itself
                log.exception("inventory subscriber %r failed", callback)


def _normal_mac(mac: str) -> str:
    return "".join(ch for ch in mac.upper() if ch in "0123456789ABCDEF")


def _with_known_firmware(candidate: DeviceCandidate, kept: DeviceEntry | None) -> DeviceCandidate:
    """`candidate`, keeping the firmware the row already knew when this sighting announced none."""
    known = kept.candidate.identity.firmware if kept is not None else ""
    if candidate.identity.firmware or not known:
        return candidate
    return dataclasses.replace(candidate, identity=dataclasses.replace(candidate.identity, firmware=known))

