"""The 2N client the plugin hands out: the intercom's calls plus the capabilities built from its workflows."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from app.core.progress import ProgressReporter
from app.vendors.base import BacksUpConfiguration, CopiesConfiguration, DeviceSettings, UpdatesFirmware
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.settings import parse_settings, write_settings
from app.vendors.two_n.transfers import (
    FIRMWARE_APPLY_STAGES,
    FIRMWARE_UPLOAD_STAGES,
    apply_firmware,
    check_config_file,
    upload_firmware,
)


class TwoNDevice(TwoNClient, UpdatesFirmware, BacksUpConfiguration, CopiesConfiguration):
    """A TwoNClient that also updates its firmware, backs up, restores and copies its configuration."""

    def firmware_update_stages(self) -> tuple[str, ...]:
        """Upload, then apply with restart and confirmation (§5.2.1)."""
        return FIRMWARE_UPLOAD_STAGES + FIRMWARE_APPLY_STAGES

    async def update_firmware(self, image: Path, reporter: ProgressReporter) -> str:
        """Stream the firmware at `image` to the device, apply, wait for the restart; returns the version."""
        upload = await upload_firmware(self, image, image.name, reporter)
        return (await apply_firmware(self, upload, reporter, self.clock)).sw_version

    async def backup_configuration(self) -> bytes:
        """The configuration XML of GET /api/config (§5.3.1)."""
        return await self.download_config()

    async def restore_configuration(self, data: bytes) -> None:
        """PUT /api/config with a backup (checked to be one); the intercom applies it about 15 s later."""
        check_config_file(data)
        await self.upload_config(data)

    async def read_settings(self) -> DeviceSettings:
        """The configuration file's leaves by path; network and SIP identity marked (§5.3.1)."""
        return parse_settings(await self.download_config())

    async def write_settings(self, changes: Mapping[str, str]) -> None:
        """The device's own configuration with `changes`, uploaded; returns once it reads them back."""
        await write_settings(self, changes, self.clock)
