"""The cloud account's secret is remembered under the key its service is trusted by, and found there again."""

from __future__ import annotations

from pathlib import Path

from app.backend.credentials import CredentialStore
from app.core.models import Credentials
from app.site.cloud import remember_secret, remembered_secret
from app.site.naming import cloud_key

URL = "https://cloud.example:8443"


def test_the_secret_is_kept_under_the_service_key_and_found_again(tmp_path: Path) -> None:
    store = CredentialStore(directory=tmp_path / "creds")
    assert remembered_secret(store, URL) == ""
    remember_secret(store, URL, Credentials("app-key", "app-secret"))
    assert store.device_credentials(cloud_key(URL)) == Credentials("app-key", "app-secret")
    assert remembered_secret(store, f" {URL} ") == "app-secret"
    assert remembered_secret(store, "https://other.example") == ""


def test_no_address_or_no_web_address_has_no_secret(tmp_path: Path) -> None:
    store = CredentialStore(directory=tmp_path / "creds")
    assert remembered_secret(store, "") == ""
    assert remembered_secret(store, "cloud.example") == ""
