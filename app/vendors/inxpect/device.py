"""The Inxpect client the plugin hands out: its calls plus the capabilities built from its workflows."""

from __future__ import annotations

from pathlib import Path

from app.core.progress import ProgressReporter
from app.vendors.base import UpdatesFirmware
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.firmware import UPDATE_STAGES, FirmwareUpdater, prepare_update, short_firmware
from app.vendors.inxpect.ifw import load_ifw


class InxpectDevice(InxpectClient, UpdatesFirmware):
    """An InxpectClient that also installs IFW firmware packages (document §2)."""

    def firmware_update_stages(self) -> tuple[str, ...]:
        """The stages of an IFW update."""
        return UPDATE_STAGES

    async def update_firmware(self, image: Path, reporter: ProgressReporter) -> str:
        """Install the IFW package at `image` (a downgrade is refused); returns both versions now running."""
        reporter.stage(UPDATE_STAGES[0], message=image.name)
        plan = await prepare_update(self, await load_ifw(image))
        return short_firmware(await FirmwareUpdater(self, plan).run(reporter))
