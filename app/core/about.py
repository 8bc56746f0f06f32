"""The application's name and version as installed (package metadata), for About and --version."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

APP_NAME = "Commissioner"
DISTRIBUTION = "commissioner"


def app_version() -> str:
    """The installed package's version ("0.1.0"), or "unknown" when it runs without its metadata."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown"
