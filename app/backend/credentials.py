"""Device and site credentials: names in a JSON index, passwords only in the keyring or encrypted file."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from app.backend.atomic import write_json_atomically
from app.backend.redact import REDACTOR
from app.backend.vault import (
    KEYRING_UNAVAILABLE,
    EncryptedFileVault,
    KeyringVault,
    SecretVault,
    keyring_available,
)
from app.core.errors import AuthenticationError, CredentialStoreError, DefaultPasswordError
from app.core.models import Credentials
from app.core.paths import data_dir

log = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class SiteCredential:
    """One entry of a technician's site list: a label they recognise, a username and a password."""

    label: str
    username: str
    password: str = field(repr=False)

    @property
    def credentials(self) -> Credentials:
        """The entry as Credentials to try on a device."""
        return Credentials(self.username, self.password)


SiteCredentials: TypeAlias = Sequence[SiteCredential]


def labelled_site_list(credentials: Iterable[Credentials]) -> list[SiteCredential]:
    """Site entries labelled by username, in order; a repeated username is numbered: "admin (2)"."""
    entries: list[SiteCredential] = []
    seen: dict[str, int] = {}
    for item in credentials:
        seen[item.username] = seen.get(item.username, 0) + 1
        label = item.username if seen[item.username] == 1 else f"{item.username} ({seen[item.username]})"
        entries.append(SiteCredential(label, item.username, item.password))
    return entries


class CredentialStore:
    """Per-device credentials and the ordered site list; secrets are added to the log redactor.

    Secrets go to the OS keyring; where there is none, to an EncryptedFileVault opened with
    `passphrase` (without one, CredentialStoreError says the keyring is unavailable).
    """

    def __init__(
        self,
        *,
        passphrase: str | None = None,
        directory: Path | None = None,
        vault: SecretVault | None = None,
    ) -> None:
        self._directory = directory if directory is not None else data_dir()
        self._index_path = self._directory / "credentials.json"
        self._vault = vault if vault is not None else self._open_vault(passphrase)
        self._devices: dict[str, str] = {}
        self._site: list[tuple[str, str]] = []
        self._load_index()

    @staticmethod
    def needs_passphrase() -> bool:
        """True when the OS has no usable keyring, so the UI must ask for the file's passphrase."""
        return not keyring_available()

    @property
    def encrypted_file(self) -> Path:
        """Where the passphrase-encrypted fallback file lives (used only without a keyring)."""
        return self._directory / "credentials.enc"

    def set_aside_encrypted_file(self) -> Path:
        """Rename the encrypted file (its passphrase is forgotten) so a new one can be created; kept, not
        deleted: the old passwords come back if it is renamed back and its passphrase remembered."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        kept = self.encrypted_file.with_name(f"credentials.forgotten-{stamp}.enc")
        self.encrypted_file.rename(kept)
        log.warning("Credential file set aside as %s (passphrase forgotten)", kept)
        return kept

    @property
    def uses_keyring(self) -> bool:
        """True when secrets are kept in the OS keyring."""
        return isinstance(self._vault, KeyringVault)

    def device_credentials(self, key: str) -> Credentials | None:
        """The credentials that last worked on the device `key`, or None."""
        username = self._devices.get(key)
        password = self._vault.get(_device_name(key)) if username is not None else None
        if username is None or password is None:
            return None
        REDACTOR.add(password)
        return Credentials(username, password)

    def save_device_credentials(self, key: str, credentials: Credentials) -> None:
        """Remember the credentials that work on the device `key`."""
        REDACTOR.add(credentials.password)
        self._vault.set(_device_name(key), credentials.password)
        self._devices[key] = credentials.username
        self._save_index()

    def forget_device_credentials(self, key: str) -> None:
        """Forget the device's credentials; a no-op when none are stored."""
        if self._devices.pop(key, None) is not None:
            self._vault.delete(_device_name(key))
            self._save_index()

    def site_credentials(self) -> list[SiteCredential]:
        """The site list in the technician's order (entries whose secret is missing are skipped)."""
        entries = []
        for label, username in self._site:
            password = self._vault.get(_site_name(label))
            if password is not None:
                REDACTOR.add(password)
                entries.append(SiteCredential(label, username, password))
        return entries

    def set_site_credentials(self, entries: SiteCredentials) -> None:
        """Replace the whole site list, keeping the given order; labels must be unique."""
        labels = [entry.label for entry in entries]
        if len(set(labels)) != len(labels):
            raise CredentialStoreError("Each site credential needs its own label.")
        for entry in entries:
            REDACTOR.add(entry.password)
            self._vault.set(_site_name(entry.label), entry.password)
        for old_label, _ in self._site:
            if old_label not in labels:
                self._vault.delete(_site_name(old_label))
        self._site = [(entry.label, entry.username) for entry in entries]
        self._save_index()

    def add_site_credential(self, entry: SiteCredential) -> None:
        """Append an entry to the site list, or replace the entry with the same label in place."""
        current = self.site_credentials()
        replaced = [entry if item.label == entry.label else item for item in current]
        if all(item.label != entry.label for item in current):
            replaced.append(entry)
        self.set_site_credentials(replaced)

    def remove_site_credential(self, label: str) -> None:
        """Remove the entry with `label` from the site list; a no-op when absent."""
        self.set_site_credentials([item for item in self.site_credentials() if item.label != label])

    def candidates(self, key: str) -> list[Credentials]:
        """What to try on a device: its own known credentials first, then the site list, without repeats."""
        known = self.device_credentials(key) if key else None
        ordered = ([known] if known else []) + [entry.credentials for entry in self.site_credentials()]
        return _unique(ordered)

    def _open_vault(self, passphrase: str | None) -> SecretVault:
        if keyring_available():
            return KeyringVault()
        if passphrase is None:
            raise CredentialStoreError(KEYRING_UNAVAILABLE)
        log.info("No OS keyring; using the passphrase-encrypted credential file")
        return EncryptedFileVault(self.encrypted_file, passphrase)

    def _load_index(self) -> None:
        try:
            raw: dict[str, Any] = json.loads(self._index_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as err:
            message = f"The credential index {self._index_path} is unreadable: {err}"
            raise CredentialStoreError(message) from err
        self._devices = {str(k): str(v) for k, v in raw.get("devices", {}).items()}
        self._site = [(str(item["label"]), str(item["username"])) for item in raw.get("site", [])]

    def _save_index(self) -> None:
        write_json_atomically(self._index_path, {
            "version": 1,
            "devices": dict(sorted(self._devices.items())),
            "site": [{"label": label, "username": username} for label, username in self._site],
        })


def _device_name(key: str) -> str:
    return f"device:{key}"


def _site_name(label: str) -> str:
    return f"site:{label}"


def _unique(candidates: Iterable[Credentials]) -> list[Credentials]:
    seen: set[tuple[str, str]] = set()
    result = []
    for candidate in candidates:
        if (candidate.username, candidate.password) not in seen:
            seen.add((candidate.username, candidate.password))
            result.append(candidate)
    return result


async def try_credentials(
    candidates: Iterable[Credentials],
    attempt: Callable[[Credentials], Awaitable[None]],
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> Credentials | None:
    """The first candidate `attempt` accepts, trying at most `max_attempts` (lockout safety); else None.

    Only AuthenticationError counts as a refusal. DefaultPasswordError (the password is right but
    must be changed) and every other error (unreachable, busy, certificate) propagate at once.
    """
    tried = 0
    for candidate in _unique(candidates):
        if tried >= max_attempts:
            log.info("Stopped after %d credential attempts to avoid a lockout", tried)
            break
        REDACTOR.add(candidate.password)
        tried += 1
        try:
            await attempt(candidate)
        except DefaultPasswordError:
            raise
        except AuthenticationError:
            log.info("Credentials for user %s refused (attempt %d)", candidate.username, tried)
            continue
        return candidate
    return None
