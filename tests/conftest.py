"""Test-wide isolation: offscreen Qt, an in-memory keyring, and a private data directory."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from app.core.memory import collect_if_due

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_API"] = "pyside6"


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict, so tests never touch the OS keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets a fresh, isolated keyring backend."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session", autouse=True)
def collection_on_the_main_thread() -> Iterator[None]:
    """As in the app: no automatic garbage collection, so no worker thread ever destroys a Qt object."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def collect_due_garbage() -> Iterator[None]:
    """After each test, on the main thread, the collection the interpreter would have run."""
    yield
    collect_if_due()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test writes app data (trust store, history, settings) under its own tmp dir."""
    path = tmp_path / "appdata"
    monkeypatch.setenv("COMMISSIONER_DATA_DIR", str(path))
    return path


#: Set by pytest_configure when this run made its own temporary root (removed again after a green run).
_OWN_BASETEMP = pytest.StashKey[Path]()
BASETEMP_PREFIX = "commissioner-tests-"
STALE_BASETEMP_SECONDS = 3600


def pytest_configure(config: pytest.Config) -> None:
    """Give each run its own temporary root: runs beside each other on one machine otherwise share
    /tmp/pytest-of-<user> and one run's clean-up of old numbered folders races another's (an rm_rf warning,
    an error under filterwarnings=error, fails a green run)."""
    if config.option.basetemp is None:
        _remove_stale_basetemps()
        config.option.basetemp = tempfile.mkdtemp(prefix=BASETEMP_PREFIX)
        config.stash[_OWN_BASETEMP] = Path(config.option.basetemp)


def _remove_stale_basetemps() -> None:
    """Remove the roots of runs that ended red or were killed, once older than STALE_BASETEMP_SECONDS
    (kept that long for a look at a failing test's files); never a running run's, never with a warning."""
    cutoff = time.time() - STALE_BASETEMP_SECONDS
    for root in Path(tempfile.gettempdir()).glob(f"{BASETEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            if root.stat().st_mtime < cutoff:
                shutil.rmtree(root, ignore_errors=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a test leaves a non-daemon thread behind; tidy this run's own temporary root."""
    import threading

    leftovers = [t.name for t in threading.enumerate() if not t.daemon and t is not threading.main_thread()]
    if leftovers:
        print(f"\nnon-daemon threads left running after the tests: {leftovers}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    own = session.config.stash.get(_OWN_BASETEMP, None)
    if own is not None and session.exitstatus == pytest.ExitCode.OK:
        shutil.rmtree(own, ignore_errors=True)
