"""Where secrets live: the OS keyring, or a passphrase-encrypted file when the OS offers no keyring."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any, Protocol

import keyring
import keyring.errors
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.backend.atomic import write_bytes_atomically
from app.backend.redact import REDACTOR
from app.core.errors import CredentialStoreError

SERVICE = "Commissioner"
MIN_PASSPHRASE_LENGTH = 8
KEYRING_UNAVAILABLE = (
    "This computer offers no usable keyring to keep passwords in. Choose a passphrase: passwords "
    "will be kept in a file encrypted with it, and you will be asked for it when the app starts."
)
_AAD = b"Commissioner credential vault v1"
_PROBE_NAME = "keyring-availability-probe"


class SecretVault(Protocol):
    """Named secrets: get, set, delete."""

    def get(self, name: str) -> str | None:
        """The secret stored under `name`, or None."""
        ...

    def set(self, name: str, secret: str) -> None:
        """Store `secret` under `name`, replacing any previous one."""
        ...

    def delete(self, name: str) -> None:
        """Remove the secret under `name`; a no-op when absent."""
        ...


class SessionVault:
    """Secrets kept in memory for this run only (the demo, a headless job, no keyring and no passphrase)."""

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        """The secret, or None."""
        return self._secrets.get(name)

    def set(self, name: str, secret: str) -> None:
        """Keep `secret` until the process exits."""
        self._secrets[name] = secret

    def delete(self, name: str) -> None:
        """Forget the secret."""
        self._secrets.pop(name, None)


def keyring_available() -> bool:
    """True when the OS keyring is usable: a real backend (not fail/null/empty chain) that answers a read."""
    from keyring.backends import chainer, fail, null

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return False
    try:
        # A Secret Service without an unlocked collection (headless Linux) only fails when used.
        backend.get_password(SERVICE, _PROBE_NAME)
    except (keyring.errors.KeyringError, RuntimeError, OSError):
        return False
    return True


class KeyringVault:
    """Secrets in the OS keyring under the service "Commissioner"."""

    def __init__(self, service: str = SERVICE) -> None:
        self._service = service

    def get(self, name: str) -> str | None:
        """The secret under `name`, or None; CredentialStoreError when the keyring refuses (locked)."""
        try:
            value: str | None = keyring.get_password(self._service, name)
        except keyring.errors.KeyringError as err:
            raise CredentialStoreError(f"The OS keyring could not be read: {err}") from err
        return value

    def set(self, name: str, secret: str) -> None:
        """Store `secret` under `name` in the keyring."""
        try:
            keyring.set_password(self._service, name, secret)
        except keyring.errors.KeyringError as err:
            raise CredentialStoreError(f"The OS keyring could not store a password: {err}") from err

    def delete(self, name: str) -> None:
        """Remove `name` from the keyring; a no-op when absent."""
        try:
            keyring.delete_password(self._service, name)
        except keyring.errors.PasswordDeleteError:
            return
        except keyring.errors.KeyringError as err:
            raise CredentialStoreError(f"The OS keyring could not delete a password: {err}") from err


class EncryptedFileVault:
    """Secrets in one file, AES-256-GCM encrypted with a key scrypt-derived from the technician's passphrase.

    The file holds only salt, KDF parameters, nonce and ciphertext; nothing is ever written in clear.
    A wrong passphrase raises CredentialStoreError; a new file needs a passphrase of 8+ characters.
    """

    SCRYPT_N = 2**15

    def __init__(self, path: Path, passphrase: str) -> None:
        REDACTOR.add(passphrase)
        self._path = path
        if path.exists():
            header = self._read_file()
            salt = base64.b64decode(header["salt"])
            self._cipher = AESGCM(_derive(passphrase, salt, int(header["n"])))
            self._secrets = self._decrypt(header)
        else:
            if len(passphrase) < MIN_PASSPHRASE_LENGTH:
                raise CredentialStoreError(
                    f"Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters "
                    "for the credential file."
                )
            self._salt = os.urandom(16)
            self._n = self.SCRYPT_N
            self._cipher = AESGCM(_derive(passphrase, self._salt, self._n))
            self._secrets = {}
            self._write()

    @property
    def path(self) -> Path:
        """The encrypted file."""
        return self._path

    def get(self, name: str) -> str | None:
        """The secret under `name`, or None."""
        return self._secrets.get(name)

    def set(self, name: str, secret: str) -> None:
        """Store `secret` under `name` and rewrite the file atomically with a fresh nonce."""
        self._secrets[name] = secret
        self._write()

    def delete(self, name: str) -> None:
        """Remove `name`; a no-op when absent."""
        if self._secrets.pop(name, None) is not None:
            self._write()

    def _read_file(self) -> dict[str, Any]:
        try:
            header: dict[str, Any] = json.loads(self._path.read_text(encoding="utf-8"))
            self._salt = base64.b64decode(header["salt"])
            self._n = int(header["n"])
        except (OSError, ValueError, KeyError) as err:
            raise CredentialStoreError(f"The credential file {self._path} is unreadable: {err}") from err
        return header

    def _decrypt(self, header: dict[str, Any]) -> dict[str, str]:
        try:
            clear = self._cipher.decrypt(
                base64.b64decode(header["nonce"]), base64.b64decode(header["ciphertext"]), _AAD
            )
        except InvalidTag as err:
            raise CredentialStoreError("The passphrase does not open the credential file.") from err
        secrets: dict[str, str] = json.loads(clear)
        return secrets

    def _write(self) -> None:
        nonce = os.urandom(12)
        ciphertext = self._cipher.encrypt(nonce, json.dumps(self._secrets).encode("utf-8"), _AAD)
        document = {
            "version": 1, "kdf": "scrypt", "n": self._n, "r": 8, "p": 1, "cipher": "AES-256-GCM",
            "salt": base64.b64encode(self._salt).decode("ascii"),
            "nonce": base64.b64encode(nonce).decode("ascii"),
            "ciphertext": base64.b64encode(ciphertext).decode("ascii"),
        }
        write_bytes_atomically(self._path, json.dumps(document, indent=2).encode("utf-8"))
        self._path.chmod(0o600)


def _derive(passphrase: str, salt: bytes, n: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=8, p=1).derive(passphrase.encode("utf-8"))
