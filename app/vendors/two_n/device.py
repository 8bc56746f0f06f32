"""The 2N client the plugin hands out: the intercom's calls plus the capabilities built from its workflows."""

from __future__ import annotations

from pathlib import Path

from app.core.progress import ProgressReporter
from app.vendors.base import BacksUpConfiguration, UpdatesFirmware
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.transfers import (
    FIRMWARE_APPLY_STAGES,
    FIRMWARE_UPLOAD_STAGES,
    apply_firmware,
    check_config_file,
    upload_firmware,
)


class TwoNDevice(TwoNClient, UpdatesFirmware, BacksUpConfiguration):
    """A TwoNClient that also updates its firmware and backs up and restores its configuration."""

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
