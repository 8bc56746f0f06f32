"""The Mediant client the plugin hands out: its calls plus the capabilities built from its workflows."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path

from app.core.progress import ProgressReporter
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.maintenance import SOFTWARE_STAGES, update_software
from app.vendors.audiocodes.settings import incremental_ini, parse_settings
from app.vendors.base import CopiesConfiguration, DeviceSettings, UpdatesFirmware


class AudioCodesDevice(AudioCodesClient, UpdatesFirmware, CopiesConfiguration):
    """An AudioCodesClient that also installs software loads (.cmp) and copies configuration parameters."""

    def firmware_update_stages(self) -> tuple[str, ...]:
        """Upload the .cmp load, wait for the restart, confirm the new version."""
        return SOFTWARE_STAGES

    async def update_firmware(self, image: Path, reporter: ProgressReporter) -> str:
        """Install the .cmp software load at `image`; returns the version it runs after its restart."""
        data = await asyncio.to_thread(image.read_bytes)
        return (await update_software(self, image.name, data, reporter)).version

    async def read_settings(self) -> DeviceSettings:
        """The INI file's scalar parameters (GET /files/ini); network, certificate and name ones marked."""
        return parse_settings(await self.download_ini())

    async def write_settings(self, changes: Mapping[str, str]) -> None:
        """An incremental INI of `changes` (no reset), then saved to flash so a restart keeps it."""
        await self.upload_ini_incremental(incremental_ini(changes))
        await self.save_configuration()
