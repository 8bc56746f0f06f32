"""Trust on first use: pinned device certificates per device identity, and reading a peer certificate."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import ssl
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.backend.atomic import write_json_atomically
from app.backend.tls import observing_ssl_context
from app.core.certificates import CertificateDetails
from app.core.errors import (
    ConfigurationError,
    DeviceProtocolError,
    DeviceTimeoutError,
    DeviceUnreachableError,
)
from app.core.models import Endpoint
from app.core.paths import data_dir

log = logging.getLogger(__name__)

_FORMAT_VERSION = 1
_CLOSE_TIMEOUT = 1.0


@dataclass(frozen=True, slots=True)
class TrustedCertificate:
    """One pinned certificate: which device, which certificate, since when and how it was trusted."""

    key: str
    fingerprint: str
    subject: str
    der: bytes
    trusted_at: datetime
    reason: str = "user"

    @property
    def details(self) -> CertificateDetails:
        """The pinned certificate's full details (parsed from the stored DER)."""
        return CertificateDetails.from_der(self.der)


class TrustStore:
    """Pinned certificates keyed by device identity (vendor:serial or vendor:MAC), persisted atomically.

    Also holds the user's CA bundle setting and, in memory, the devices blocked after a certificate
    change: those stay refused until the user trusts the new certificate or clears the block.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self._path = Path(path) if path is not None else data_dir() / "trust.json"
        self._lock = threading.Lock()
        self._entries: dict[str, TrustedCertificate] = {}
        self._ca_bundle: Path | None = None
        self._blocked: dict[str, CertificateDetails] = {}
        self._aliases: dict[str, str] = {}
        self._loaded_stamp: tuple[int, int, int] | None = None
        self._load()

    @property
    def path(self) -> Path:
        """The JSON file this store persists to."""
        return self._path

    def pinned(self, key: str) -> str | None:
        """The pinned SHA-256 fingerprint of a device (of an address key: its learnt identity's), or None."""
        entry = self.entry(key)
        learnt = self.alias(key) if entry is None else None
        entry = self.entry(learnt) if learnt else entry
        return entry.fingerprint if entry else None

    def pinned_der(self, key: str) -> bytes | None:
        """The pinned certificate (DER) for a device, or None."""
        entry = self.entry(key)
        return entry.der if entry else None

    def entry(self, key: str) -> TrustedCertificate | None:
        """Everything stored about a device's pinned certificate, or None (re-read if another store wrote)."""
        self._reload_if_changed()
        return self._entries.get(key)

    def keys(self) -> list[str]:
        """Identity keys of every device with a pinned certificate, sorted."""
        self._reload_if_changed()
        return sorted(self._entries)

    def keys_pinning(self, fingerprint: str) -> list[str]:
        """Identity keys whose pinned certificate has this fingerprint, sorted."""
        self._reload_if_changed()
        return sorted(key for key, entry in self._entries.items() if entry.fingerprint == fingerprint)

    def alias(self, address_key: str) -> str | None:
        """The identity learnt at login for a device known only by address (`vendor@host:port`), or None."""
        self._reload_if_changed()
        return self._aliases.get(address_key)

    def set_alias(self, address_key: str, identity_key: str) -> None:
        """Remember that the device at `address_key` logged in as `identity_key` (found there next time)."""
        with self._lock:
            self._reload_locked()
            self._aliases[address_key] = identity_key
            self._save_locked()

    def restore(self, key: str, previous: TrustedCertificate | None) -> None:
        """Put back the pin `previous` (None: no pin) after a trust decision that did not hold."""
        with self._lock:
            self._reload_locked()
            self._blocked.pop(key, None)
            if previous is None:
                self._entries.pop(key, None)
            else:
                self._entries[key] = previous
            self._save_locked()

    def trust(self, key: str, details: CertificateDetails) -> None:
        """Pin `details` for the device after the user accepted it; lifts any block on the device."""
        self._pin(key, details, reason="user")

    def replace_expected(self, key: str, new_details: CertificateDetails) -> None:
        """Pin the certificate the app itself just installed on the device and confirmed by a handshake."""
        self._pin(key, new_details, reason="installed by app")

    def forget(self, key: str) -> None:
        """Remove the device's pin (the next contact asks the user again); a no-op when absent."""
        with self._lock:
            self._reload_locked()
            self._blocked.pop(key, None)
            if self._entries.pop(key, None) is None:
                return
            self._save_locked()

    def block(self, key: str, presented: CertificateDetails) -> None:
        """Refuse the device until the user decides: it presented `presented` instead of its pin."""
        self._blocked[key] = presented

    def blocked(self, key: str) -> CertificateDetails | None:
        """The unexpected certificate that got the device blocked, or None when it is not blocked."""
        return self._blocked.get(key)

    def unblock(self, key: str) -> None:
        """The user chose to look again: the next contact compares the certificate with the pin afresh."""
        self._blocked.pop(key, None)

    @property
    def ca_bundle(self) -> Path | None:
        """The user's CA bundle (PEM file) honoured for every device, or None."""
        self._reload_if_changed()
        return self._ca_bundle

    def set_ca_bundle(self, bundle: Path | str | None) -> None:
        """Set (or clear with None) the user's CA bundle; raises ConfigurationError if it is unusable."""
        path = Path(bundle) if bundle is not None else None
        if path is not None:
            try:
                ssl.create_default_context(cafile=str(path))
            except (OSError, ssl.SSLError) as err:
                raise ConfigurationError(
                    f"The CA bundle {path} cannot be used: {err}. Choose a PEM file of CA certificates."
                ) from err
        with self._lock:
            self._reload_locked()
            self._ca_bundle = path
            self._save_locked()

    def _pin(self, key: str, details: CertificateDetails, *, reason: str) -> None:
        if not key:
            raise ValueError("a certificate can only be trusted for an identified device")
        entry = TrustedCertificate(
            key=key, fingerprint=details.fingerprint, subject=details.subject, der=details.der,
            trusted_at=datetime.now(UTC), reason=reason,
        )
        with self._lock:
            self._reload_locked()
            self._entries[key] = entry
            self._blocked.pop(key, None)
            self._save_locked()
        log.info("Trusted certificate %s for %s (%s)", details.fingerprint, key, reason)

    def _stamp(self) -> tuple[int, int, int] | None:
        # os.replace gives every write a new inode, so this changes even on coarse-mtime file systems.
        try:
            stat = self._path.stat()
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_mtime_ns, stat.st_size

    def _reload_if_changed(self) -> None:
        """Another TrustStore (discovery, another process) may have written the file since we read it."""
        if self._stamp() != self._loaded_stamp:
            with self._lock:
                self._reload_locked()

    def _reload_locked(self) -> None:
        if self._stamp() != self._loaded_stamp:
            self._load()

    def _load(self) -> None:
        self._loaded_stamp = self._stamp()
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self._entries = {}
            self._aliases = {}
            return
        except (OSError, ValueError) as err:
            raise ConfigurationError(
                f"The trusted-certificate file {self._path} is unreadable: {err}."
            ) from err
        bundle = raw.get("ca_bundle")
        self._ca_bundle = Path(bundle) if bundle else None
        self._entries = {key: _entry_from_json(key, item) for key, item in raw.get("devices", {}).items()}
        self._aliases = {str(k): str(v) for k, v in raw.get("aliases", {}).items()}

    def _save_locked(self) -> None:
        payload = {
            "version": _FORMAT_VERSION,
            "ca_bundle": str(self._ca_bundle) if self._ca_bundle else None,
            "devices": {key: _entry_to_json(entry) for key, entry in sorted(self._entries.items())},
            "aliases": dict(sorted(self._aliases.items())),
        }
        write_json_atomically(self._path, payload)
        self._loaded_stamp = self._stamp()


def _entry_to_json(entry: TrustedCertificate) -> dict[str, str]:
    return {
        "fingerprint": entry.fingerprint,
        "subject": entry.subject,
        "der": base64.b64encode(entry.der).decode("ascii"),
        "trusted_at": entry.trusted_at.isoformat(),
        "reason": entry.reason,
    }


def _entry_from_json(key: str, item: dict[str, Any]) -> TrustedCertificate:
    return TrustedCertificate(
        key=key,
        fingerprint=str(item["fingerprint"]),
        subject=str(item.get("subject", "")),
        der=base64.b64decode(item["der"]),
        trusted_at=datetime.fromisoformat(item["trusted_at"]),
        reason=str(item.get("reason", "user")),
    )


async def fetch_certificate(endpoint: Endpoint, timeout: float = 5.0) -> CertificateDetails:
    """The certificate a device presents: one TLS handshake, no application data sent, then close."""
    return CertificateDetails.from_der(await _handshake(endpoint, observing_ssl_context(), timeout))


async def handshake_verifies(endpoint: Endpoint, context: ssl.SSLContext, timeout: float = 5.0) -> bool:
    """True when a TLS handshake with `context` succeeds (the device's chain verifies); sends nothing.

    False only for a certificate verification failure; unreachable devices raise as fetch_certificate does.
    """
    try:
        await _handshake(endpoint, context, timeout)
    except DeviceProtocolError as err:
        if isinstance(err.__cause__, ssl.SSLCertVerificationError):
            return False
        raise
    return True


async def _handshake(endpoint: Endpoint, context: ssl.SSLContext, timeout: float) -> bytes:
    where = f"{endpoint.host}:{endpoint.port}"
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(
                endpoint.host, endpoint.port, ssl=context, server_hostname=endpoint.host,
            )
    except TimeoutError as err:
        raise DeviceTimeoutError(f"{where} did not complete a TLS handshake in time.") from err
    except ssl.SSLError as err:
        raise DeviceProtocolError(
            f"The TLS handshake with {where} failed: {err.reason or err}", detail=str(err)
        ) from err
    except OSError as err:
        raise DeviceUnreachableError(f"{where} cannot be reached: {err.strerror or err}") from err
    try:
        ssl_object = writer.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    finally:
        writer.close()
        with contextlib.suppress(OSError, ssl.SSLError, TimeoutError):
            async with asyncio.timeout(_CLOSE_TIMEOUT):
                await writer.wait_closed()
    if not der:
        raise DeviceProtocolError(f"{where} presented no TLS certificate.")
    return bytes(der)
