"""MSK-101-POE configuration as named settings: a versioned backup file, a per-setting diff, and applying
only the settings that differ, read back and compared (document §3.3, §3.9, §3.11).

Settings are the JSON keys and values of GET /sensorConfiguration's `configuration` object without its
read-only keys (§3.3.1). Network settings and the network name are kept apart: nothing here sends them
unless the caller asks for them by name.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from app.backend.atomic import write_bytes_atomically
from app.core.decoding import as_list, as_object, decode_json
from app.core.errors import ConfigurationError, DeviceError, DeviceTimeoutError, DeviceUnreachableError
from app.core.progress import ProgressReporter
from app.vendors.inxpect.identity import MODEL_NAME
from app.vendors.inxpect.models import CONFIG_KEYS, READ_ONLY_CONFIG_KEYS, NetFlag, describe_net_flags
from app.vendors.inxpect.setting_names import describe_setting, setting_label

if TYPE_CHECKING:
    from app.vendors.inxpect.client import InxpectClient

FILE_FORMAT: Final = "commissioner.inxpect-msk101poe.configuration"
FILE_VERSION: Final = 1
#: The settings that belong to one sensor in its place (§3.3: the coefficient calibrates "the environment
#: where it operates"); copying a configuration to other sensors usually leaves them out.
PLACE_SPECIFIC_KEYS: Final = frozenset({"calibrationCoefficient"})
#: The /netSettings fields a PUT may carry (§3.9: the `cur*` fields MUST be omitted).
NETWORK_KEYS: Final = ("netConfiguration", "staticAddress", "subnet", "gateway")
NAME_KEY: Final = "name"
#: A backup is a few kilobytes; anything far larger is not one.
MAX_FILE_BYTES: Final = 1024 * 1024
SAVE_STAGES: Final = ("Reading the configuration", "Saving the file", "Checking the saved file")
DOCUMENTED_KEYS: Final = frozenset(CONFIG_KEYS.values())

Settings = Mapping[str, Any]


class BackupFileError(ConfigurationError):
    """A configuration file is not an MSK-101-POE backup this app can read."""


class RestoreMismatchError(DeviceError):
    """After a restore the sensor reads back other values than those sent; `mismatches` says which."""

    def __init__(self, mismatches: tuple[str, ...]) -> None:
        super().__init__(
            "The sensor stored different values than those sent: " + "; ".join(mismatches),
            detail="; ".join(mismatches),
        )
        self.mismatches = mismatches


@dataclass(frozen=True, slots=True)
class SettingChange:
    """One setting whose value differs: its JSON key, the sensor's value and the wanted one."""

    key: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        """The setting's name for a technician."""
        return setting_label(self.key)

    def describe(self) -> str:
        """ "Alarm area ends at: 8.00 m → 6.00 m"."""
        old, new = describe_setting(self.key, self.old), describe_setting(self.key, self.new)
        return f"{self.label}: {old} → {new}"


@dataclass(frozen=True, slots=True)
class ConfigurationBackup:
    """One sensor's configuration as a backup file holds it; `network` only when it was saved with it."""

    model: str
    serial: str
    firmware: str
    saved_at: str
    configuration_version: int
    settings: Settings
    network: Settings | None = None

    def encode(self) -> bytes:
        """The file's bytes: UTF-8 JSON, keys in a stable order, one setting per line."""
        body: dict[str, Any] = {
            "format": FILE_FORMAT,
            "formatVersion": FILE_VERSION,
            "device": {"model": self.model, "serial": self.serial, "firmware": self.firmware},
            "savedAt": self.saved_at,
            "configurationVersion": self.configuration_version,
            "configuration": dict(self.settings),
        }
        if self.network is not None:
            body["network"] = dict(self.network)
        return (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def decode(cls, data: bytes) -> ConfigurationBackup:
        """Read a file made by `encode`; BackupFileError saying what is wrong with anything else."""
        body = as_object(decode_json(data, "the configuration file", error=BackupFileError),
                         "the configuration file", error=BackupFileError)
        if body.get("format") != FILE_FORMAT:
            raise BackupFileError("This file is not an MSK-101-POE configuration backup.")
        version = body.get("formatVersion")
        if not isinstance(version, int) or isinstance(version, bool) or version > FILE_VERSION:
            raise BackupFileError(f"This backup has format version {version!r}; this app reads up to "
                                  f"{FILE_VERSION}. Use a newer version of the app.")
        device = as_object(body.get("device"), "the file's device", error=BackupFileError)
        settings = _checked_settings(body.get("configuration"))
        network = body.get("network")
        return cls(
            model=_text(device, "model"),
            serial=_text(device, "serial"),
            firmware=_text(device, "firmware"),
            saved_at=_text(body, "savedAt"),
            configuration_version=_int_or(body.get("configurationVersion"), 0),
            settings=settings,
            network=None if network is None else _checked_network(network),
        )


def settings_of(configuration: Mapping[str, Any]) -> dict[str, Any]:
    """The writable settings of a `configuration` object (§3.3.1: its read-only keys removed)."""
    return {key: value for key, value in configuration.items() if key not in READ_ONLY_CONFIG_KEYS}


def diff_settings(
    current: Settings, wanted: Settings, *, keys: Collection[str] | None = None
) -> tuple[SettingChange, ...]:
    """The settings of `wanted` (limited to `keys` if given) whose value on the sensor (`current`) differs.

    Only settings the sensor has are compared; `missing_settings` names the others.
    """
    return tuple(
        SettingChange(key, current[key], value)
        for key, value in wanted.items()
        if key in current and (keys is None or key in keys) and _normal(current[key]) != _normal(value)
    )


def missing_settings(current: Settings, wanted: Settings) -> tuple[str, ...]:
    """The settings of `wanted` the sensor does not report (another firmware's): never sent."""
    return tuple(key for key in wanted if key not in current)


def changes_body(changes: Collection[SettingChange]) -> dict[str, Any]:
    """The /sensorConfiguration PUT `configuration` object carrying exactly `changes` (§3.3)."""
    return {change.key: change.new for change in changes}


async def read_settings(client: InxpectClient) -> dict[str, Any]:
    """The sensor's settings now (GET /sensorConfiguration, read-only keys removed)."""
    return settings_of(await client.read_configuration_object())


async def apply_settings(
    client: InxpectClient, wanted: Settings, *, keys: Collection[str] | None = None
) -> tuple[SettingChange, ...]:
    """Send only the settings of `wanted` that differ on the sensor (in one PUT), read them back and
    compare; returns what changed, raises RestoreMismatchError if the sensor stored other values."""
    current = await read_settings(client)
    changes = diff_settings(current, wanted, keys=keys)
    if not changes:
        return ()
    await client.write_configuration(changes_body(changes))
    stored = await read_settings(client)
    mismatches = tuple(
        f"{change.label}: sent {describe_setting(change.key, change.new)}, reads back "
        f"{describe_setting(change.key, stored.get(change.key))}"
        for change in changes
        if _normal(stored.get(change.key)) != _normal(change.new)
    )
    if mismatches:
        raise RestoreMismatchError(mismatches)
    return changes


async def read_network(client: InxpectClient) -> dict[str, Any]:
    """The configured network settings and the network name (§3.9, §3.11), as a backup keeps them."""
    net = (await client.read_net_settings()).to_put()
    return {**net, NAME_KEY: await client.read_name()}


async def read_backup(client: InxpectClient, *, with_network: bool = True) -> ConfigurationBackup:
    """A backup of the sensor now: identity, settings and (unless told not to) network and name."""
    identity = await client.read_identity()
    configuration = await client.read_configuration_object()
    return ConfigurationBackup(
        model=identity.model,
        serial=identity.serial,
        firmware=identity.firmware,
        saved_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        configuration_version=_int_or(configuration.get("version"), 0),
        settings=settings_of(configuration),
        network=await read_network(client) if with_network else None,
    )


@dataclass(frozen=True, slots=True)
class RestorePlan:
    """What restoring `backup` onto the sensor would change, shown before anything is sent."""

    backup: ConfigurationBackup
    changes: tuple[SettingChange, ...]
    missing: tuple[str, ...] = ()
    network_changes: tuple[SettingChange, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        """True when the sensor already holds everything the restore would send."""
        return not self.changes and not self.network_changes

    def lines(self) -> list[str]:
        """The preview, one line per setting that will change."""
        return [change.describe() for change in (*self.changes, *self.network_changes)]


async def plan_restore(
    client: InxpectClient, backup: ConfigurationBackup, *, include_network: bool = False
) -> RestorePlan:
    """Compare `backup` with the sensor; network settings and name only with `include_network`."""
    identity = await client.read_identity()
    current_configuration = await client.read_configuration_object()
    current = settings_of(current_configuration)
    network_changes: tuple[SettingChange, ...] = ()
    if include_network and backup.network is not None:
        network_changes = diff_settings(await read_network(client), backup.network)
    warnings = list(_identity_warnings(backup, identity.serial, identity.firmware))
    device_version = _int_or(current_configuration.get("version"), 0)
    if backup.configuration_version and device_version and backup.configuration_version != device_version:
        warnings.append(f"The backup has configuration format {backup.configuration_version}; the sensor "
                        f"uses {device_version}.")
    if include_network and backup.network is None:
        warnings.append("The backup holds no network settings: they stay as they are.")
    changes = diff_settings(current, backup.settings)
    return RestorePlan(backup, changes, missing_settings(current, backup.settings), network_changes,
                       tuple(warnings))


@dataclass(frozen=True, slots=True)
class RestoreReport:
    """What a restore changed: settings read back equal, and the network settings sent (if any)."""

    changes: tuple[SettingChange, ...]
    network_changes: tuple[SettingChange, ...] = ()
    network_note: str = ""


async def restore(client: InxpectClient, plan: RestorePlan) -> RestoreReport:
    """Apply `plan`: the differing settings (read back and compared), then the network name and settings.

    Network settings go last: the sensor may move to another address once they are stored (§3.9).
    """
    changes = await apply_settings(client, plan.backup.settings, keys={c.key for c in plan.changes})
    wanted_network = plan.backup.network or {}
    network = {change.key for change in plan.network_changes}
    note = ""
    if NAME_KEY in network:
        await client.write_name(str(wanted_network[NAME_KEY]))
        if await client.read_name() != wanted_network[NAME_KEY]:
            raise RestoreMismatchError((f"{setting_label(NAME_KEY)}: the sensor did not keep the new name",))
    if network & set(NETWORK_KEYS):
        note = await _store_network(client, wanted_network)
    return RestoreReport(changes, plan.network_changes, note)


async def _store_network(client: InxpectClient, wanted: Settings) -> str:
    """PUT the network settings of `wanted`, read them back if the sensor still answers; the note to show."""
    current = await client.read_net_settings()
    await client.write_net_settings(current.with_put(wanted))
    try:
        stored = (await client.read_net_settings()).to_put()
    except (DeviceUnreachableError, DeviceTimeoutError):
        return ("Network settings stored; the sensor restarted its network before they could be read back: "
                "check them where it answers now.")
    mismatches = tuple(
        f"{setting_label(key)}: sent {describe_setting(key, wanted[key])}, reads back "
        f"{describe_setting(key, stored.get(key))}"
        for key in NETWORK_KEYS
        if key in wanted and stored.get(key) != wanted[key]
    )
    if mismatches:
        raise RestoreMismatchError(mismatches)
    return "Network settings stored and read back: the sensor may now answer at another address."


async def save_backup(client: InxpectClient, path: Path, reporter: ProgressReporter) -> ConfigurationBackup:
    """Read a backup (stages of SAVE_STAGES), write it atomically to `path` and check it reads back equal."""
    reporter.stage(SAVE_STAGES[0])
    backup = await read_backup(client)
    data = backup.encode()
    reporter.stage(SAVE_STAGES[1], message=path.name)
    await asyncio.to_thread(write_bytes_atomically, path, data)
    reporter.stage(SAVE_STAGES[2])
    if await asyncio.to_thread(path.read_bytes) != data:
        raise BackupFileError(f"The saved file {path} does not read back as written.")
    return backup


async def load_backup(path: Path) -> ConfigurationBackup:
    """The backup in the file at `path`; BackupFileError for a file too large or not a backup."""
    size = (await asyncio.to_thread(path.stat)).st_size
    if size > MAX_FILE_BYTES:
        raise BackupFileError(f"{path.name} is {size} bytes: too large to be a configuration backup.")
    return ConfigurationBackup.decode(await asyncio.to_thread(path.read_bytes))


def _identity_warnings(backup: ConfigurationBackup, serial: str, firmware: str) -> list[str]:
    warnings = []
    if backup.model != MODEL_NAME:
        raise BackupFileError(f"This backup is of a {backup.model}, not of an {MODEL_NAME}.")
    if backup.serial and serial and backup.serial != serial:
        warnings.append(f"The backup was made from sensor {backup.serial}; this is sensor {serial}.")
    if backup.firmware and firmware and backup.firmware != firmware:
        warnings.append(f"The backup was made with firmware {backup.firmware}; the sensor runs {firmware}.")
    return warnings


def _normal(value: Any) -> Any:
    """A value in the form two equal settings share (manual zones as (min, max) pairs)."""
    if isinstance(value, list | tuple):
        return tuple(_normal(item) for item in value)
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _normal(v)) for k, v in value.items()))
    return value


def _checked_settings(raw: Any) -> dict[str, Any]:
    """The file's settings: integers, text or manual zone lists only; read-only keys refused."""
    settings = as_object(raw, "the file's configuration", error=BackupFileError)
    for key, value in settings.items():
        if key in READ_ONLY_CONFIG_KEYS:
            raise BackupFileError(f"The file sets {key}, which the sensor only reports (§3.3.1).")
        if key == "ssManualZones":
            for zone in as_list(value, "the manual zones", error=BackupFileError):
                bounds = as_object(zone, "a manual zone", error=BackupFileError)
                if not all(_is_int(bounds.get(end)) for end in ("min", "max")):
                    raise BackupFileError("A manual zone in the file has no whole-number min and max.")
        elif key == "country" and not isinstance(value, str):
            raise BackupFileError("The file's country is not text.")
        elif key in DOCUMENTED_KEYS and key != "country" and not _is_int(value):
            raise BackupFileError(f"The file's {key} is not a whole number.")
        elif not (_is_int(value) or isinstance(value, str)):
            raise BackupFileError(f"The file's {key} is neither a whole number nor text.")
    return settings


def _checked_network(raw: Any) -> dict[str, Any]:
    """The file's network part: the four PUT fields of §3.9 and the name, with valid types."""
    network = as_object(raw, "the file's network settings", error=BackupFileError)
    unknown = set(network) - {*NETWORK_KEYS, NAME_KEY}
    if unknown:
        names = ", ".join(sorted(unknown))
        raise BackupFileError(f"The file's network settings have unknown fields: {names}.")
    flags = network.get("netConfiguration", 0)
    if not _is_int(flags) or not 0 <= flags <= int(NetFlag.DHCP | NetFlag.NAME_RESOLUTION | NetFlag.AUTO_IP):
        raise BackupFileError("The file's netConfiguration is not a bitmask of the three documented flags.")
    if not all(isinstance(network.get(key, ""), str) for key in (*NETWORK_KEYS[1:], NAME_KEY)):
        raise BackupFileError("The file's addresses and name must be text.")
    return network


def describe_network(network: Settings) -> str:
    """One line for a backup's network part: name, addressing, static address."""
    flags = NetFlag(int(network.get("netConfiguration", 0)))
    return (f"name {network.get(NAME_KEY, '?')}, {describe_net_flags(flags)}, static address "
            f"{network.get('staticAddress', '?')}")


def _text(body: Mapping[str, Any], key: str) -> str:
    value = body.get(key, "")
    if not isinstance(value, str):
        raise BackupFileError(f"The file's {key} is not text.")
    return value


def _int_or(value: Any, default: int) -> int:
    return value if _is_int(value) else default


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
