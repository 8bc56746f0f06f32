"""Cloud firmware upgrades of chosen devices, one after another, each polled until it ends (Qt-free)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.backend.history import DeviceHistory
from app.core.errors import DeviceError
from app.core.progress import ProgressReporter
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.models import CloudDevice
from app.vendors.hikvision.reports import UpgradeProgress, UpgradeStage

UPGRADE_ACTION = "Cloud firmware upgrade"
UPGRADE_STAGE = "Upgrading"


@dataclass(frozen=True, slots=True)
class DeviceUpgrade:
    """Where one device's upgrade stands: its latest progress, or why the cloud did not start it."""

    serial: str
    progress: UpgradeProgress | None = None
    refused: str = ""


async def upgrade_devices(
    client: HikPartnerClient,
    devices: Sequence[CloudDevice],
    reporter: ProgressReporter,
    history: DeviceHistory,
    *,
    show: Callable[[DeviceUpgrade], None],
    poll_seconds: Callable[[], float],
    username: str = "",
    password: str = "",
) -> None:
    """Upgrade `devices` in turn (a first-generation alarm panel with `username` and `password`, §3.28);
    `show` is told each change, and each device's outcome goes into its own history. A device whose
    upgrade the cloud refuses to start is recorded as failed and the next one goes on."""
    reporter.stage(UPGRADE_STAGE, len(devices) * 100)
    for index, device in enumerate(devices):
        key = f"hikvision:{device.serial}"
        try:
            await client.start_device_upgrade(device, username=username, password=password)
        except DeviceError as err:
            show(DeviceUpgrade(device.serial, refused=err.message))
            history.record(key, UPGRADE_ACTION, "failed", {"message": err.message})
            continue
        while not (progress := await client.upgrade_progress(device.serial)).ended:
            show(DeviceUpgrade(device.serial, progress))
            reporter.set(index * 100 + progress.percent, message=f"{device.name}: {progress.words}")
            await asyncio.sleep(poll_seconds())
        show(DeviceUpgrade(device.serial, progress))
        result = "done" if progress.stage is UpgradeStage.FINISHED else "failed"
        history.record(key, UPGRADE_ACTION, result, {"stage": progress.words})
