"""The sensor reads behind each view of the MSK-101-POE panel, one call per view (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass

from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.firmware import describe_firmware
from app.vendors.inxpect.ifw import UpdateDestination, WebContents
from app.vendors.inxpect.live import AlarmEvent
from app.vendors.inxpect.models import (
    DeviceInfo,
    InstallationConfiguration,
    NetSettings,
    SensorConfiguration,
    format_version,
)


@dataclass(frozen=True, slots=True)
class FieldOfView:
    """What the live view is drawn from: the sensor's ranges and the configured alarm areas."""

    info: DeviceInfo
    configuration: SensorConfiguration


@dataclass(frozen=True, slots=True)
class ConfigurationSetup:
    """What the configuration form needs: ranges, supported installations and the configuration."""

    info: DeviceInfo
    installations: tuple[InstallationConfiguration, ...]
    configuration: SensorConfiguration


@dataclass(frozen=True, slots=True)
class MountingSetup:
    """What the mounting check compares the live position with."""

    installations: tuple[InstallationConfiguration, ...]
    configuration: SensorConfiguration


@dataclass(frozen=True, slots=True)
class DeviceSettings:
    """The Network and device view: network settings, network name and the latest alarm events."""

    network: NetSettings
    name: str
    events: tuple[AlarmEvent, ...]


async def read_field_of_view(client: InxpectClient) -> FieldOfView:
    """GET /sensorInfo and the configuration."""
    return FieldOfView(await client.read_info(), await client.read_configuration())


async def read_configuration_setup(client: InxpectClient) -> ConfigurationSetup:
    """GET /sensorInfo, /installationConfigurations and the configuration."""
    info = await client.read_info()
    installations = await client.read_installations()
    return ConfigurationSetup(info, installations, await client.read_configuration())


async def read_mounting_setup(client: InxpectClient) -> MountingSetup:
    """GET /installationConfigurations and the configuration."""
    return MountingSetup(await client.read_installations(), await client.read_configuration())


async def read_device_settings(client: InxpectClient) -> DeviceSettings:
    """Network settings, network name and event log."""
    network = await client.read_net_settings()
    name = await client.read_name()
    return DeviceSettings(network, name, await client.read_event_log())


async def store_net_settings(client: InxpectClient, edited: NetSettings) -> NetSettings:
    """Write `edited` and return the network settings read back."""
    await client.write_net_settings(edited)
    return await client.read_net_settings()


async def describe_installed(client: InxpectClient, info: DeviceInfo, destination: UpdateDestination) -> str:
    """What the sensor runs after an update, in words; a web interface update also reads its contents.json."""
    runs = describe_firmware(info)
    if destination is not UpdateDestination.WEB_SERVER:
        return runs
    contents = WebContents.from_device(await client.read_web_contents())
    return f"web interface {format_version(contents.version_code)}, {runs}"
