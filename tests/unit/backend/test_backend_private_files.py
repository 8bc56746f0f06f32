"""The data folder is the user's alone (0700) and the history database, its WAL/SHM, logs and
credential files are 0600, also when an older version left them open to others (POSIX)."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from app.backend.credentials import CredentialStore, SiteCredential
from app.backend.history import DeviceHistory
from app.backend.logs import configure_logging
from app.backend.trust import TrustStore
from app.core.certificates import CertificateDetails
from app.core.paths import data_dir
from app.sim.certs import make_self_signed

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that lets everyone read what is created, as many desktops have."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_the_data_folder_is_private_even_when_it_existed_open(data_dir: Path, open_umask: None) -> None:
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    assert data_dir_of_the_app() == data_dir
    assert _mode(data_dir) == 0o700


def data_dir_of_the_app() -> Path:
    """The app's data_dir() (the fixture of the same name shadows it in the tests)."""
    return data_dir()


def test_history_database_and_its_wal_are_private(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "data" / "history.sqlite3"
    path.parent.mkdir()
    path.touch(mode=0o644)
    path.chmod(0o644)
    history = DeviceHistory(path)
    history.record("axis:A", "Reboot", "started")
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    assert all(file.exists() for file in files)
    assert {file.name: _mode(file) for file in files} == {file.name: 0o600 for file in files}
    history.close()


def test_log_files_are_private_after_a_rollover(
    tmp_path: Path, open_umask: None, restore_logging: None
) -> None:
    log_path = configure_logging(logging.INFO, tmp_path / "logs" / "commissioner.log")
    logging.getLogger("app.test").info("first line")
    file_handler = next(h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler))
    file_handler.doRollover()
    logging.getLogger("app.test").info("after rollover")
    assert _mode(log_path.parent) == 0o700
    assert {p.name: _mode(p) for p in log_path.parent.iterdir()} == {
        "commissioner.log": 0o600, "commissioner.log.1": 0o600,
    }


def test_credential_index_and_trust_store_are_private(data_dir: Path, open_umask: None) -> None:
    store = CredentialStore()
    store.add_site_credential(SiteCredential("site", "admin", "pw-private-1"))
    TrustStore().trust("axis:A", CertificateDetails.from_der(make_self_signed("Camera").cert_der))
    assert _mode(data_dir) == 0o700
    assert {p.name: _mode(p) for p in data_dir.iterdir()} == {"credentials.json": 0o600, "trust.json": 0o600}
