"""What the contract needs to know per vendor: a fault with its visible effect, test material, clock rate.

The contract runs for every registered vendor plus the test-only sixth one (which shows that a new vendor
joins it with one entry here); every one of them must have an entry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.errors import DeviceBusyError, DeviceError
from app.vendors.axis.errors import AxisInternalError
from app.vendors.base import DeviceSettings, SimulatedDevice
from app.vendors.inxpect.ifw_builder import firmware_package
from app.vendors.registry import PLUGINS
from app.vendors.simulation import RecordedRequest
from app.vendors.two_n.simulator.firmware_file import build_firmware
from tests.sixth_vendor.plugin import PLUGIN as SIXTH_VENDOR

#: Every vendor the contract runs for.
UNDER_CONTRACT = (*PLUGINS, SIXTH_VENDOR)

#: The password the contract sets on a device that insists on a new one before anything else.
FIRST_PASSWORD = "Contract-1st!"


@dataclass(frozen=True, slots=True)
class FaultCase:
    """A scenario, a client call it acts on, and what it does: a typed error, or a trace in the requests."""

    scenario: str
    act: Callable[[Any], Awaitable[object]]
    times: int | None = 1
    error: type[DeviceError] | None = None
    trace: Callable[[Sequence[RecordedRequest]], bool] | None = None


@dataclass(frozen=True, slots=True)
class FirmwareFile:
    """A small firmware file the simulator accepts, and the version the device runs after installing it."""

    name: str
    data: bytes
    version: str


@dataclass(frozen=True, slots=True)
class VendorCase:
    """The contract's per-vendor knowledge (material for the capabilities the vendor's client declares)."""

    fault: FaultCase
    #: How much faster than real time the simulator's clock (and its client's) runs: restarts take seconds.
    clock_rate: float = 1.0
    firmware: Callable[[SimulatedDevice], FirmwareFile] | None = None
    certificate_context: str = ""
    cloud_site: Callable[[Any], Awaitable[str]] | None = None
    #: For a restore that sends only what differs: changes the device after the backup and returns the check
    #: that the restore undid it. None: the restore must carry the backup as it was read.
    drift: Callable[[SimulatedDevice], Callable[[], bool]] | None = None
    #: For a configuration copy: one setting this device accepts a new value for (name, value).
    setting_change: Callable[[DeviceSettings], tuple[str, str]] | None = None


def _answered_403_then_logged_in_again(requests: Sequence[RecordedRequest]) -> bool:
    statuses = [(r.path, r.status) for r in requests]
    first_refusal = next(i for i, (_path, status) in enumerate(statuses) if status == 403)
    return ("/login", 200) in statuses[first_refusal:]


def _inxpect_firmware(_sim: SimulatedDevice) -> FirmwareFile:
    return FirmwareFile("MSK101_sensor_v1.102.ifw", firmware_package(0, 1102, 48 * 1024), "1.102")


def _inxpect_drift(sim: SimulatedDevice) -> Callable[[], bool]:
    config = sim.config  # type: ignore[attr-defined]
    sim.config = config.with_changes(mount_height=config.mount_height + 700)  # type: ignore[attr-defined]
    return lambda: sim.config.mount_height == config.mount_height  # type: ignore[attr-defined,no-any-return]


def _two_n_firmware(sim: SimulatedDevice) -> FirmwareFile:
    package = sim.profile.firmware_package  # type: ignore[attr-defined]  (the model decides the package)
    return FirmwareFile("contract.bin", build_firmware(package, "2.38.0.50.1", size=48 * 1024), "2.38.0.50.1")


def _audiocodes_firmware(_sim: SimulatedDevice) -> FirmwareFile:
    return FirmwareFile("SBC_F7.20A.260.002.cmp", b"CMP load for the contract suite", "7.20A.260.002")


async def _hikvision_site(client: Any) -> str:
    return str((await client.add_site("Contract site", 133)).id)


CASES: dict[str, VendorCase] = {
    "inxpect": VendorCase(
        FaultCase(
            "token_expiry", lambda client: client.read_identity(), times=None,
            trace=_answered_403_then_logged_in_again,
        ),
        firmware=_inxpect_firmware,
        drift=_inxpect_drift,
        setting_change=lambda settings: ("mountHeight", str(int(settings.values["mountHeight"]) + 100)),
    ),
    "two_n": VendorCase(
        FaultCase("busy", lambda client: client.read_identity(), error=DeviceBusyError),
        clock_rate=50.0,
        firmware=_two_n_firmware,
        setting_change=lambda _settings: ("Display/Brightness", "40"),
    ),
    "axis": VendorCase(
        FaultCase("internal_error", lambda client: client.get_blending_amount(), error=AxisInternalError)
    ),
    "audiocodes": VendorCase(
        FaultCase("ha_sync", lambda client: client.save_configuration(), error=DeviceBusyError),
        clock_rate=50.0,
        firmware=_audiocodes_firmware,
        certificate_context="1",
        setting_change=lambda _settings: ("SBCMaxForwardsLimit", "60"),
    ),
    "hikvision": VendorCase(
        FaultCase("unavailable", lambda client: client.search_sites(), error=DeviceBusyError),
        cloud_site=_hikvision_site,
    ),
    "lumen": VendorCase(FaultCase("busy", lambda client: client.read_identity(), error=DeviceBusyError)),
}
