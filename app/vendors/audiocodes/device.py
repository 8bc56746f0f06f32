"""The Mediant client the plugin hands out: its calls plus the capabilities built from its workflows."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.core.progress import ProgressReporter
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.maintenance import SOFTWARE_STAGES, update_software
from app.vendors.base import UpdatesFirmware


class AudioCodesDevice(AudioCodesClient, UpdatesFirmware):
    """An AudioCodesClient that also installs software loads (.cmp)."""

    def firmware_update_stages(self) -> tuple[str, ...]:
        """Upload the .cmp load, wait for the restart, confirm the new version."""
        return SOFTWARE_STAGES

    async def update_firmware(self, image: Path, reporter: ProgressReporter) -> str:
        """Install the .cmp software load at `image`; returns the version it runs after its restart."""
        data = await asyncio.to_thread(image.read_bytes)
        return (await update_software(self, image.name, data, reporter)).version
