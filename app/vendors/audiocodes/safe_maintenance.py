"""Maintenance that restarts a Mediant, done safely: the configuration is backed up first (and the
technician told where), an HA pair is named in the warning, and a restart can wait for calls to end.

Document section 6 (Reset Device): `gracefulTimeout` 0 resets at once, 1 waits for every call to end,
and a number of seconds waits for calls that long at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.core.file_names import saved_file
from app.core.paths import data_dir
from app.core.progress import ProgressReporter
from app.vendors.audiocodes import maintenance
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.models import DeviceStatus

BACKUP_STAGE = "Backing up the configuration"
SAFE_SOFTWARE_STAGES = (BACKUP_STAGE, *maintenance.SOFTWARE_STAGES)
SAFE_RESTORE_STAGES = (BACKUP_STAGE, "Replacing the configuration")
#: gracefulTimeout 1: "wait for all calls to finish, and then perform a reset".
WHEN_CALLS_END = 1


@dataclass(frozen=True, slots=True)
class SafeOutcome:
    """The device's status afterwards (None while it restarts) and where its configuration was saved."""

    status: DeviceStatus | None
    backup: Path


def backup_folder() -> Path:
    """Where automatic configuration backups are kept."""
    return data_dir() / "audiocodes" / "backups"


async def back_up_configuration(client: AudioCodesClient, reason: str) -> Path:
    """GET /files/ini into the backup folder, named by serial, time and `reason`; returns the file."""
    data = await client.download_ini()
    serial = client.last_status.serial_number if client.last_status else client.endpoint.host
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = saved_file(backup_folder(), "mediant", serial, stamp, reason, suffix=".ini")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def restart_warning(status: DeviceStatus | None, what: str) -> str:
    """The warning shown before `what` restarts the device; it names an HA pair and its state."""
    base = f"{what} restarts the device: calls in progress are dropped and service stops until it is back."
    if status is None or not status.is_ha_pair:
        return base
    return (
        f"This device is one unit of an HA pair (high availability: {status.high_availability.value}). "
        f"{what} restarts BOTH units: the pair gives no service until they are back. "
        "Do it in a maintenance window (a software update can use the hitless procedure instead)."
    )


async def update_software_safely(
    client: AudioCodesClient, filename: str, data: bytes, reporter: ProgressReporter, *, hitless: bool = False
) -> SafeOutcome:
    """Back up the configuration, then upload the load and confirm the new version: after the restart,
    or (`hitless`, HA pairs) after the units switched over without a service interruption."""
    reporter.stage(BACKUP_STAGE)
    backup = await back_up_configuration(client, "before-software-update")
    update = maintenance.update_software_hitless if hitless else maintenance.update_software
    status = await update(client, filename, data, reporter)
    return SafeOutcome(status, backup)


async def restore_configuration_safely(
    client: AudioCodesClient, filename: str, data: bytes, reporter: ProgressReporter
) -> SafeOutcome:
    """Back up the configuration, then replace it with a full INI (the device restarts to apply it)."""
    reporter.stage(BACKUP_STAGE)
    backup = await back_up_configuration(client, "before-ini-restore")
    reporter.stage(SAFE_RESTORE_STAGES[1])
    await client.upload_ini(data, filename)
    return SafeOutcome(None, backup)
