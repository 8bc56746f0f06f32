"""Certificates the app installed on Mediant devices, by fingerprint: lets `identify` name them before login.

The REST API reveals the serial number only after a login. A factory certificate names it (CN
"ACL_<serial>"); a certificate the app installed through the wizard is remembered here with the serial
of the device it was installed on, so the device is still recognised by its certificate afterwards.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from app.core.paths import data_dir

log = logging.getLogger(__name__)
_LOCK = threading.Lock()


def _path() -> Path:
    return data_dir() / "audiocodes" / "installed-certificates.json"


def _load() -> dict[str, str]:
    try:
        raw = json.loads(_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        log.warning("Ignoring unreadable %s: %s", _path(), err)
        return {}
    return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def remember(fingerprint: str, serial: str) -> None:
    """Record that the certificate with this SHA-256 fingerprint was installed on device `serial`."""
    with _LOCK:
        known = _load()
        known[fingerprint] = serial
        path = _path()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(known, indent=1, sort_keys=True), encoding="utf-8")
        temporary.replace(path)


def serial_for(fingerprint: str) -> str:
    """The serial of the device the app installed this certificate on, or ""."""
    with _LOCK:
        return _load().get(fingerprint, "")
