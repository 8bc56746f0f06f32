"""The intercom reads behind each view of the 2N panel, one call per view (Qt-free)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.core.errors import DeviceError
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.image import DisplayTarget, target_for
from app.vendors.two_n.models import (
    DeviceTime,
    DisplayInfo,
    IoPort,
    SwitchCaps,
    SwitchState,
    SystemInfo,
    SystemStatus,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeviceOverview:
    """The Device view: who the intercom is, how long it has run and what its clock says."""

    info: SystemInfo
    status: SystemStatus
    time: DeviceTime


@dataclass(frozen=True, slots=True)
class SwitchStates:
    """Switch and I/O port states at one moment."""

    switches: tuple[SwitchState, ...]
    ports: tuple[IoPort, ...]


@dataclass(frozen=True, slots=True)
class SwitchSetup:
    """The Door and switches view: what each switch and port is, and their states."""

    caps: tuple[SwitchCaps, ...]
    port_kinds: dict[str, str]
    states: SwitchStates


async def read_overview(client: TwoNClient) -> DeviceOverview:
    """GET /api/system/info, /api/system/status and /api/system/time."""
    info = await client.system_info()
    status = await client.system_status()
    return DeviceOverview(info, status, await client.system_time())


async def set_time_and_read(client: TwoNClient, utc_time: int) -> DeviceOverview:
    """Set the intercom's clock to `utc_time` (seconds since the epoch, UTC) and read the overview back."""
    await client.set_time(utc_time)
    return await read_overview(client)


async def read_switch_states(client: TwoNClient) -> SwitchStates:
    """GET /api/switch/status and /api/io/status."""
    switches = await client.switch_status()
    return SwitchStates(switches, await client.io_status())


async def read_switch_setup(client: TwoNClient) -> SwitchSetup:
    """Switch and I/O capabilities, then their states."""
    caps = await client.switch_caps()
    port_kinds = {port.port: port.type for port in await client.io_caps()}
    return SwitchSetup(caps, port_kinds, await read_switch_states(client))


@dataclass(frozen=True, slots=True)
class DisplaySetup:
    """The intercom's displays (its display modules), the first as target, and whether the device reported
    them (else the document's table gave the one display of the model)."""

    target: DisplayTarget
    reported: bool
    variant: str = ""
    displays: tuple[DisplayInfo, ...] = ()

    def target_for(self, display: str) -> DisplayTarget:
        """The target for display module `display`."""
        return target_for(self.variant, self.displays, display) if self.displays else self.target


async def read_display_setup(client: TwoNClient, variant: str) -> DisplaySetup:
    """GET /api/display/caps; a device that cannot answer gets the 2N document's table for its `variant`."""
    try:
        displays = await client.display_caps()
    except DeviceError as err:
        log.info("display/caps failed, using the document's table: %s", err)
        displays = ()
    return DisplaySetup(target_for(variant, displays), bool(displays), variant, displays)
