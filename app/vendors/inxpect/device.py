"""The Inxpect client the plugin hands out: its calls plus the capabilities built from its workflows."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from app.core.errors import DeviceProtocolError
from app.core.progress import ProgressReporter
from app.vendors.base import CopiesConfiguration, DeviceSettings, UpdatesFirmware
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.configuration_file import PLACE_SPECIFIC_KEYS, apply_settings, read_settings
from app.vendors.inxpect.firmware import UPDATE_STAGES, FirmwareUpdater, prepare_update, short_firmware
from app.vendors.inxpect.ifw import load_ifw
from app.vendors.inxpect.setting_names import setting_label


class InxpectDevice(InxpectClient, UpdatesFirmware, CopiesConfiguration):
    """An InxpectClient that also installs IFW firmware packages (document §2) and copies its settings."""

    def firmware_update_stages(self) -> tuple[str, ...]:
        """The stages of an IFW update."""
        return UPDATE_STAGES

    async def update_firmware(self, image: Path, reporter: ProgressReporter) -> str:
        """Install the IFW package at `image` (a downgrade is refused); returns both versions now running."""
        reporter.stage(UPDATE_STAGES[0], message=image.name)
        plan = await prepare_update(self, await load_ifw(image))
        return short_firmware(await FirmwareUpdater(self, plan).run(reporter))

    async def read_settings(self) -> DeviceSettings:
        """The sensor configuration's writable settings (§3.3.1), each value as JSON text; the settings of
        the sensor's place (its calibration) marked. Network settings and name are not among them."""
        settings = await read_settings(self)
        values = {key: json.dumps(value, sort_keys=True) for key, value in settings.items()}
        labels = {key: setting_label(key) for key in settings}
        return DeviceSettings(values, frozenset(PLACE_SPECIFIC_KEYS & set(values)), labels)

    async def write_settings(self, changes: Mapping[str, str]) -> None:
        """Only the settings that differ, in one PUT, read back and compared (§3.3)."""
        try:
            wanted = {key: json.loads(value) for key, value in changes.items()}
        except ValueError as err:
            raise DeviceProtocolError(f"A setting for the sensor is not a JSON value: {err}") from err
        await apply_settings(self, wanted, keys=set(wanted))
