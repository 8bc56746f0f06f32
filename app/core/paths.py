"""Where the app keeps its data and finds its bundled resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Commissioner"


def data_dir() -> Path:
    """The user's data directory ($COMMISSIONER_DATA_DIR overrides it; tests always set it)."""
    override = os.environ.get("COMMISSIONER_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
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
