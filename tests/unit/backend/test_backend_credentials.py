"""Credential store on the keyring, the encrypted fallback without one, and bounded credential attempts."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import keyring
import keyring.errors
import pytest
from keyring.backends import chainer, fail

from app.backend.auth import basic_auth
from app.backend.credentials import CredentialStore, SiteCredential, labelled_site_list, try_credentials
from app.backend.transport import DeviceTransport
from app.backend.vault import SERVICE, keyring_available
from app.core.errors import (
    AuthenticationError,
    CredentialStoreError,
    DefaultPasswordError,
    DeviceUnreachableError,
)
from app.core.models import Credentials
from tests.conftest import MemoryKeyring
from tests.unit.backend.auth_servers import BasicServer

KEY = "two_n:54-1234-5678"
SITE = [
    SiteCredential("Factory", "admin", "site-pass-factory"),
    SiteCredential("Customer A", "installer", "site-pass-customer"),
]


def test_keyring_store_keeps_passwords_only_in_the_keyring(
    memory_keyring: MemoryKeyring, data_dir: Path
) -> None:
    store = CredentialStore()
    store.save_device_credentials(KEY, Credentials("admin", "device-pass-1"))
    store.set_site_credentials(SITE)

    reopened = CredentialStore()
    assert reopened.uses_keyring
    assert reopened.device_credentials(KEY) == Credentials("admin", "device-pass-1")
    assert reopened.site_credentials() == SITE
    assert memory_keyring.store[(SERVICE, f"device:{KEY}")] == "device-pass-1"
    assert memory_keyring.store[(SERVICE, "site:Factory")] == "site-pass-factory"
    index = (data_dir / "credentials.json").read_text()
    assert json.loads(index)["site"] == [
        {"label": "Factory", "username": "admin"}, {"label": "Customer A", "username": "installer"},
    ]
    assert "pass" not in index


def test_site_list_keeps_order_replaces_by_label_and_removes(memory_keyring: MemoryKeyring) -> None:
    store = CredentialStore()
    store.set_site_credentials(SITE)
    store.add_site_credential(SiteCredential("Factory", "root", "site-pass-new"))
    store.add_site_credential(SiteCredential("Spare", "tech", "site-pass-spare"))
    assert [(e.label, e.username) for e in store.site_credentials()] == [
        ("Factory", "root"), ("Customer A", "installer"), ("Spare", "tech"),
    ]
    store.remove_site_credential("Customer A")
    assert [e.label for e in CredentialStore().site_credentials()] == ["Factory", "Spare"]
    assert (SERVICE, "site:Customer A") not in memory_keyring.store
    with pytest.raises(CredentialStoreError):
        store.set_site_credentials([SITE[0], SITE[0]])


def test_candidates_put_the_device_credentials_first_without_repeats() -> None:
    store = CredentialStore()
    store.set_site_credentials(SITE)
    store.save_device_credentials(KEY, Credentials("installer", "site-pass-customer"))
    assert store.candidates(KEY) == [
        Credentials("installer", "site-pass-customer"), Credentials("admin", "site-pass-factory"),
    ]
    assert store.candidates("axis:OTHER") == [s.credentials for s in SITE]
    store.forget_device_credentials(KEY)
    assert store.device_credentials(KEY) is None


@pytest.mark.parametrize("backend", [fail.Keyring(), chainer.ChainerBackend()])
def test_without_a_keyring_the_store_asks_for_a_passphrase(
    backend: keyring.backend.KeyringBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keyring.backend, "get_all_keyring", list)  # a headless box: nothing to chain
    keyring.set_keyring(backend)
    assert not keyring_available()
    assert CredentialStore.needs_passphrase()
    with pytest.raises(CredentialStoreError, match="no usable keyring") as caught:
        CredentialStore()
    assert "passphrase" in caught.value.message


class LockedKeyring(MemoryKeyring):
    """A Secret Service whose collection cannot be unlocked: present, but every use fails."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("collection is locked")


def test_a_keyring_that_fails_on_use_counts_as_unavailable() -> None:
    keyring.set_keyring(LockedKeyring())
    assert not keyring_available()
    with pytest.raises(CredentialStoreError, match="no usable keyring"):
        CredentialStore()


def test_encrypted_fallback_file_holds_no_plain_secret(data_dir: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    store = CredentialStore(passphrase="correct horse battery")
    store.save_device_credentials(KEY, Credentials("admin", "device-pass-plain-check"))
    store.set_site_credentials(SITE)
    assert not store.uses_keyring

    raw = store.encrypted_file.read_bytes()
    for secret in ("device-pass-plain-check", "site-pass-factory", "correct horse battery"):
        assert secret.encode() not in raw
        assert secret not in (data_dir / "credentials.json").read_text()
    assert json.loads(raw)["cipher"] == "AES-256-GCM"
    assert oct(store.encrypted_file.stat().st_mode & 0o777) == "0o600"

    reopened = CredentialStore(passphrase="correct horse battery")
    assert reopened.device_credentials(KEY) == Credentials("admin", "device-pass-plain-check")
    assert reopened.site_credentials() == SITE
    with pytest.raises(CredentialStoreError, match="passphrase does not open"):
        CredentialStore(passphrase="wrong horse battery")


def test_a_new_encrypted_file_needs_a_real_passphrase(data_dir: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(CredentialStoreError, match="at least 8"):
        CredentialStore(passphrase="short")
    assert not (data_dir / "credentials.enc").exists()


def _login_attempt(server: BasicServer):  # type: ignore[no-untyped-def]
    async def attempt(credentials: Credentials) -> None:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=server),
            auth=basic_auth(credentials.username, credentials.password),
        )
        async with client:
            await DeviceTransport(client, "http://device.test").request("GET", "/login")

    return attempt


async def test_credential_attempts_are_bounded_per_device() -> None:
    server = BasicServer("admin", "the-real-one")
    wrong = [Credentials(f"user{i}", f"wrong-pass-{i}") for i in range(5)]
    result = await try_credentials(wrong, _login_attempt(server), max_attempts=3)
    assert result is None
    assert server.attempts == ["user0", "user1", "user2"]


async def test_credential_attempts_stop_at_the_first_success() -> None:
    server = BasicServer("installer", "site-pass-customer")
    store = CredentialStore()
    store.set_site_credentials(SITE)
    result = await try_credentials(store.candidates(KEY), _login_attempt(server))
    assert result == Credentials("installer", "site-pass-customer")
    assert server.attempts == ["admin", "installer"]


async def test_non_authentication_errors_stop_the_attempts_at_once() -> None:
    tried: list[str] = []

    async def unreachable(credentials: Credentials) -> None:
        tried.append(credentials.username)
        raise DeviceUnreachableError("device 127.0.0.1:1 cannot be reached")

    async def default_password(credentials: Credentials) -> None:
        tried.append(credentials.username)
        raise DefaultPasswordError("The factory password must be changed first.")

    with pytest.raises(DeviceUnreachableError):
        await try_credentials([s.credentials for s in SITE], unreachable)
    with pytest.raises(DefaultPasswordError):
        await try_credentials([s.credentials for s in SITE], default_password)
    assert tried == ["admin", "admin"]


async def test_refusals_are_authentication_errors_only() -> None:
    refused: list[str] = []

    async def refuse(credentials: Credentials) -> None:
        refused.append(credentials.username)
        raise AuthenticationError("wrong password", code=401)

    assert await try_credentials([s.credentials for s in SITE], refuse, max_attempts=5) is None
    assert refused == ["admin", "installer"]


def test_a_site_list_is_labelled_by_username_and_a_repeated_one_is_numbered() -> None:
    typed = [Credentials("admin", "a1"), Credentials("installer", "i1"), Credentials("admin", "a2")]
    assert labelled_site_list(typed) == [
        SiteCredential("admin", "admin", "a1"),
        SiteCredential("installer", "installer", "i1"),
        SiteCredential("admin (2)", "admin", "a2"),
    ]
