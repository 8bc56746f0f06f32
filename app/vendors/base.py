"""The contract every vendor package offers through its one plugin object."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

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


class VendorPlugin(Protocol):
    """One vendor: discovery matching, identification, client and simulator factories."""

    vendor_id: VendorId
    display_name: str
    service_types: tuple[str, ...]
    default_ports: tuple[int, ...]
    default_scheme: Scheme
    capabilities: frozenset[str]

    def match(self, record: DiscoveryRecord) -> DeviceCandidate | None:
        """Claim a DNS-SD record for this vendor, with whatever identity it carries, or return None."""
        ...

    async def identify(self, http: httpx.AsyncClient, endpoint: Endpoint) -> DeviceIdentity | None:
        """One unauthenticated probe: the device's identity, or None if it is not this vendor's.

        `http` is a probe client: it records the certificate but never carries credentials.
        """
        ...

    def create_client(self, http: httpx.AsyncClient, endpoint: Endpoint, credentials: Credentials) -> Any:
        """The vendor client for one device on an already trusted `http` client."""
        ...

    def create_simulator(self, *, serial_index: int, seed: int, clock: Clock) -> SimulatedDevice:
        """A new simulated device; `serial_index` makes serials unique within a site."""
        ...


class DeviceClient(Protocol):
    """What generic code (credential trial, device list, self-test) needs of every vendor client."""

    async def login(self) -> None:
        """Prove the credentials work; raise AuthenticationError (or DefaultPasswordError) if not."""
        ...

    async def read_identity(self) -> DeviceIdentity:
        """The device's identity read with the client's credentials."""
        ...

    async def aclose(self) -> None:
        """Log out where the vendor has a logout; never closes the injected httpx client."""
        ...
