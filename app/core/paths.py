"""Where the app keeps its data and finds its bundled resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Commissioner"
#: Owner-only modes for the data folder and the files in it (POSIX; Windows keeps the profile's ACL).
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def data_dir() -> Path:
    """The user's data directory ($COMMISSIONER_DATA_DIR overrides it; tests always set it)."""
    override = os.environ.get("COMMISSIONER_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return private_dir(path)


def private_dir(path: Path) -> Path:
    """`path` as a folder only its owner can enter (created if missing, tightened if it was open)."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    if os.name == "posix":
        path.chmod(PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """`path` as a file only its owner can read and write (created empty if missing, tightened if open)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE_MODE))
    if os.name == "posix":
        path.chmod(PRIVATE_FILE_MODE)
    return path


def resources_dir() -> Path:
    """The bundled `resources/` folder: next to the frozen executable, in the wheel, or in the checkout."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    package_dir = Path(__file__).resolve().parent.parent
    wheel_copy = package_dir / "_resources"
    if wheel_copy.is_dir():
        return wheel_copy
    return package_dir.parent / "resources"


def resource(*parts: str) -> Path:
    """Path of one file under resources/."""
    return resources_dir().joinpath(*parts)
