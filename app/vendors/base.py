"""The contract every vendor package offers: its plugin object, its client and what that client can do."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar, runtime_checkable

from app.core.models import (
    Credentials,
    DeviceCandidate,
    DeviceIdentity,
    DiscoveryRecord,
    Endpoint,
    Scheme,
    VendorId,
)
from app.vendors.simulation import RequestLog, Scenarios

if TYPE_CHECKING:
    import httpx

    from app.core.clock import Clock
    from app.core.progress import ProgressReporter


class VendorKind(enum.Enum):
    """Where a vendor's things live: devices on the site's network, or a service in the cloud."""

    LAN_DEVICE = "LAN device"
    CLOUD_SERVICE = "cloud service"


@dataclass(frozen=True, slots=True)
class MdnsAdvert:
    """How a simulated device announces itself over DNS-SD."""

    service_type: str
    instance_name: str
    host_name: str
    txt: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SimulatedDeviceInfo:
    """What `commissioner sim` prints for one simulated device (secrets included on purpose: it is a demo)."""

    vendor: VendorId
    model: str
    serial: str
    mac: str
    firmware: str
    username: str
    password: str
    scheme: Scheme = "https"
    advert: MdnsAdvert | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


class SimulatedDevice(Protocol):
    """A faithful simulator: an ASGI app plus lifecycle for its background activity.

    `requests` records every HTTP request as it arrives; `scenarios` switches its named faults by name.
    """

    info: SimulatedDeviceInfo
    requests: RequestLog
    scenarios: Scenarios

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve one ASGI request exactly as the real device would."""
        ...

    async def start(self) -> None:
        """Start background activity (scenes, timers); called once the server listens."""
        ...

    async def stop(self) -> None:
        """Stop background activity."""
        ...


# --- What a device can do, named from the technician's side -------------------------------------------
# A client declares a capability by subclassing its protocol (mypy then checks the signatures); generic code
# asks with isinstance() or `capabilities_of()`, never by vendor name.


@runtime_checkable
class LogsIn(Protocol):
    """Log in with the client's credentials and out again."""

    async def login(self) -> None:
        """Prove the credentials work; raise AuthenticationError (or DefaultPasswordError) if not."""
        ...

    async def aclose(self) -> None:
        """Log out where the vendor has a logout; never closes the injected httpx client."""
        ...


@runtime_checkable
class ReadsIdentity(Protocol):
    """Read who the device is and the firmware it runs."""

    async def read_identity(self) -> DeviceIdentity:
        """The device's identity (model, serial, MAC, firmware) read with the client's credentials."""
        ...


@runtime_checkable
class DeviceClient(LogsIn, ReadsIdentity, Protocol):
    """What generic code (credential trial, opening, device list, self-test) needs of every vendor client."""


@runtime_checkable
class UpdatesFirmware(Protocol):
    """Install a firmware file and confirm the device runs it."""

    def firmware_update_stages(self) -> tuple[str, ...]:
        """The stages `update_firmware` reports, in order (for the ProgressReporter it is given)."""
        ...

    async def update_firmware(self, image: Path, reporter: ProgressReporter) -> str:
        """Install the firmware file at `image`; returns the firmware version the device runs afterwards."""
        ...


@runtime_checkable
class SetsFirstPassword(Protocol):
    """Replace the factory password a device insists on changing before anything else."""

    def needs_first_password(self) -> bool:
        """True after login while the device still has its factory password."""
        ...

    async def set_first_password(self, new_password: str) -> None:
        """Change the factory password to `new_password`; later logins use it."""
        ...


@runtime_checkable
class BacksUpConfiguration(Protocol):
    """Save the device's configuration to a file and put it back."""

    async def backup_configuration(self) -> bytes:
        """The device's whole configuration, as the vendor's backup file holds it."""
        ...

    async def restore_configuration(self, data: bytes) -> None:
        """Replace the device's configuration with a backup made by `backup_configuration`."""
        ...


@dataclass(frozen=True, slots=True)
class DeviceSettings:
    """A device's configuration as named values, and which names identify it or place it on the network."""

    values: Mapping[str, str]
    #: Names copied to another device only when the technician asks (name, address, SIP identity, ...).
    identity: frozenset[str] = frozenset()
    #: A technician's name for a setting whose own name is cryptic ("Alarm area ends at").
    labels: Mapping[str, str] = field(default_factory=dict)


@runtime_checkable
class CopiesConfiguration(Protocol):
    """Read the configuration as named settings and write only some of them (a copy between devices)."""

    async def read_settings(self) -> DeviceSettings:
        """Every setting the device reports, by name, with its identity and network names marked."""
        ...

    async def write_settings(self, changes: Mapping[str, str]) -> None:
        """Write these settings and leave the others as they are; returns once the device has taken them."""
        ...


@runtime_checkable
class SetsTime(Protocol):
    """Set the device's clock."""

    async def set_time(self, utc_time: int) -> None:
        """Set the device's clock to `utc_time` (seconds since the Unix epoch, UTC)."""
        ...


@runtime_checkable
class AlignsStitching(Protocol):
    """Align the images of a multisensor camera into one panorama."""

    async def set_blending_amount(self, amount: float) -> None:
        """How much neighbouring sensor images are blended where they overlap."""
        ...

    async def set_parallax_compensation_distance(self, metres: float) -> None:
        """The distance at which neighbouring images line up."""
        ...

    async def restore(self, sensor_id: int) -> None:
        """Put one sensor's alignment back to its factory state."""
        ...


@runtime_checkable
class InstallsCertificate(Protocol):
    """Install a TLS certificate and private key on the device."""

    async def upload_private_key(self, context_id: str, pem: bytes, password: str = "") -> None:
        """Install a PEM private key in one TLS context of the device."""
        ...

    async def upload_certificate(self, context_id: str, pem: bytes) -> None:
        """Install a PEM certificate (matching that context's key) in one TLS context."""
        ...


@dataclass(frozen=True, slots=True)
class RecoveryProgress:
    """One step of a forgotten-password recovery: what the technician must do now, the seconds left."""

    text: str
    seconds_left: float
    done: bool = False


#: Runs a recovery to its end, reporting each step; raises DeviceError when it gives up.
PasswordRecovery = Callable[[Callable[[RecoveryProgress], None]], Awaitable[None]]


@runtime_checkable
class RecoversForgottenPassword(Protocol):
    """A plugin whose devices can be put back to their factory password without logging in."""

    def password_recovery(self, http: httpx.AsyncClient, endpoint: Endpoint) -> PasswordRecovery:
        """The recovery of the device at `endpoint` on `http` (trusted, carrying no credentials)."""
        ...


@runtime_checkable
class RegistersDevicesToCloud(Protocol):
    """Register a device, by serial and verification code, to a customer's site in a cloud account."""

    async def register_device(self, site_id: str, serial: str, verification_code: str) -> None:
        """Add the device to the site; raises the vendor's typed error when the cloud refuses it."""
        ...


class Capability(enum.Enum):
    """A capability's one spelling, as the technician reads it; `protocol` is what a client implements."""

    LOG_IN = "log in and out"
    READ_IDENTITY = "read identity and firmware"
    UPDATE_FIRMWARE = "update firmware from a file"
    SET_FIRST_PASSWORD = "set the first password"  # noqa: S105  (a capability's name, not a password)
    BACK_UP_CONFIGURATION = "back up and restore configuration"
    COPY_CONFIGURATION = "copy configuration between devices"
    SET_TIME = "set the time"
    ALIGN_STITCHING = "align stitching"
    INSTALL_CERTIFICATE = "install a certificate"
    REGISTER_TO_CLOUD = "register devices to a cloud site"

    @property
    def protocol(self) -> type[object]:
        """The runtime-checkable protocol a client implements to have this capability."""
        return _PROTOCOLS[self]

    def supported_by(self, client: object) -> bool:
        """True when `client` (an instance or a client class) implements this capability."""
        protocol = self.protocol
        return issubclass(client, protocol) if isinstance(client, type) else isinstance(client, protocol)


_PROTOCOLS: Final[Mapping[Capability, type[object]]] = {
    Capability.LOG_IN: LogsIn,
    Capability.READ_IDENTITY: ReadsIdentity,
    Capability.UPDATE_FIRMWARE: UpdatesFirmware,
    Capability.SET_FIRST_PASSWORD: SetsFirstPassword,
    Capability.BACK_UP_CONFIGURATION: BacksUpConfiguration,
    Capability.COPY_CONFIGURATION: CopiesConfiguration,
    Capability.SET_TIME: SetsTime,
    Capability.ALIGN_STITCHING: AlignsStitching,
    Capability.INSTALL_CERTIFICATE: InstallsCertificate,
    Capability.REGISTER_TO_CLOUD: RegistersDevicesToCloud,
}


def capabilities_of(client: object) -> frozenset[Capability]:
    """Every capability a client (instance or class) implements."""
    return frozenset(capability for capability in Capability if capability.supported_by(client))


@dataclass(frozen=True, slots=True)
class AcceptanceTest:
    """A vendor's own acceptance test and how its evidence is read from the device history: the newest
    entry whose action starts with one of `actions` decides; it passes when its result (or, with
    `result_key`, that detail value) is one of `passing`."""

    name: str
    actions: tuple[str, ...]
    passing: frozenset[str]
    result_key: str = ""


@runtime_checkable
class DeclaresAcceptanceTests(Protocol):
    """A plugin whose devices have acceptance tests of their own (walk test, door test, test call...)."""

    @property
    def acceptance_tests(self) -> tuple[AcceptanceTest, ...]:
        """Every test a device of this vendor must pass to be accepted, in the order they are done."""
        ...


def acceptance_tests_of(plugin: object) -> tuple[AcceptanceTest, ...]:
    """The acceptance tests a plugin declares (none for a plugin that declares none)."""
    return plugin.acceptance_tests if isinstance(plugin, DeclaresAcceptanceTests) else ()


ClientT_co = TypeVar("ClientT_co", bound=DeviceClient, covariant=True)


class VendorPlugin(Protocol[ClientT_co]):
    """One vendor: who it is, how its things are found and identified, its client and simulator factories."""

    @property
    def vendor_id(self) -> VendorId:
        """The id every identity of this vendor carries ("axis")."""
        ...

    @property
    def display_name(self) -> str:
        """The vendor and product line as dialogs name it ("Inxpect MSK-101-POE")."""
        ...

    @property
    def short_name(self) -> str:
        """The vendor's name in the device list's Vendor column ("2N")."""
        ...

    @property
    def kind(self) -> VendorKind:
        """A LAN device (discovered, added by address) or a cloud service (opened from an account)."""
        ...

    @property
    def service_types(self) -> tuple[str, ...]:
        """The DNS-SD service types discovery browses for this vendor (none for a vendor without mDNS)."""
        ...

    @property
    def default_ports(self) -> tuple[int, ...]:
        """The ports tried when the technician types an address without one."""
        ...

    @property
    def default_scheme(self) -> Scheme:
        """https, or http for a device that serves only plain HTTP."""
        ...

    @property
    def in_demo(self) -> bool:
        """True when `--demo` starts one simulated device (or service) of this vendor."""
        ...

    @property
    def client_type(self) -> type[ClientT_co]:
        """The class of the client `create_client` returns (its capabilities are read from it)."""
        ...

    def match(self, record: DiscoveryRecord) -> DeviceCandidate | None:
        """Claim a DNS-SD record for this vendor, with whatever identity it carries, or return None."""
        ...

    async def identify(self, http: httpx.AsyncClient, endpoint: Endpoint) -> DeviceIdentity | None:
        """One unauthenticated probe: the device's identity, or None if it is not this vendor's.

        `http` is a probe client: it records the certificate but never carries credentials.
        """
        ...

    def create_client(
        self, http: httpx.AsyncClient, endpoint: Endpoint, credentials: Credentials
    ) -> ClientT_co:
        """The vendor client for one device on an already trusted `http` client."""
        ...

    def create_simulator(self, *, serial_index: int, seed: int, clock: Clock) -> SimulatedDevice:
        """A new simulated device; `serial_index` makes serials unique within a site."""
        ...


@runtime_checkable
class CloudServicePlugin(Protocol):
    """What a plugin of kind CLOUD_SERVICE adds: the service, named as a device of the device list."""

    def service_identity(self, endpoint: Endpoint) -> DeviceIdentity:
        """The identity under which the service at `endpoint` is pinned, listed and kept in the history."""
        ...


AnyPlugin = VendorPlugin[DeviceClient]
"""A plugin of any vendor, as registries and generic code hold it."""
