"""The GUI's own preferences (interfaces to browse on, cloud service address), persisted as JSON."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

from app.backend.atomic import write_json_atomically
from app.core.paths import data_dir

log = logging.getLogger(__name__)


@dataclass(slots=True)
class UiSettings:
    """Preferences that are not secrets; secrets live in the keyring through the credential store."""

    interfaces: list[str] = field(default_factory=list)
    cloud_url: str = ""
    cloud_api_key: str = ""

    @classmethod
    def path(cls) -> Path:
        """Where the settings live: data_dir()/ui-settings.json."""
        return data_dir() / "ui-settings.json"

    @classmethod
    def load(cls) -> UiSettings:
        """The saved settings, or defaults when there are none or the file is unreadable (logged)."""
        try:
            raw = json.loads(cls.path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as err:
            log.warning("Ignoring unreadable settings file %s: %s", cls.path(), err)
            return cls()
        return cls(
            interfaces=[str(item) for item in raw.get("interfaces", [])],
            cloud_url=str(raw.get("cloud_url", "")),
            cloud_api_key=str(raw.get("cloud_api_key", "")),
        )

    def save(self) -> None:
        """Write atomically."""
        write_json_atomically(self.path(), asdict(self))
