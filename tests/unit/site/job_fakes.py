"""Fake devices for the site job engine: capability clients by protocol, an access that opens them."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import AuthenticationError, TransferError
from app.core.models import Credentials, DeviceIdentity, VendorId
from app.core.progress import ProgressReporter
from app.site.jobs.model import JobTarget
from app.site.jobs.work import TrustDeclinedError
from app.vendors.base import (
    BacksUpConfiguration,
    CopiesConfiguration,
    DeviceClient,
    DeviceSettings,
    SetsFirstPassword,
    UpdatesFirmware,
)

NEW = "2.0"
STAGES = ("Uploading", "Installing")


@dataclass
class FakeDevice:
    """One device's state and what the engine did to it."""

    serial: str
    model: str = "M1"
    firmware: str = "1.0"
    password: str = "factory"
    factory: bool = True
    config: bytes = b"<config/>"
    settings: dict[str, str] = field(default_factory=lambda: {"Name": "gate", "Volume": "5", "Pin": "1"})
    #: Settings the device ignores when written (it reads them back unchanged).
    ignores: frozenset[str] = frozenset()
    writes: list[dict[str, str]] = field(default_factory=list)
    trusted: bool = True
    #: How an update ends: "ok", "reset" (TransferError mid-upload), "garbage" (a ValueError), "stays".
    update: str = "ok"
    #: Set to hold the update in its upload stage until the event is set.
    hold: asyncio.Event | None = None
    logins: int = 0
    failed_logins: int = 0
    updates: int = 0
    remembered: Credentials | None = None
    open_sessions: int = 0

    @property
    def target(self) -> JobTarget:
        return JobTarget(VendorId("fake"), "127.0.0.1", 1000 + int(self.serial), serial=self.serial,
                         model=self.model, username="admin", password=self.password)

    @property
    def identity(self) -> DeviceIdentity:
        return DeviceIdentity(VendorId("fake"), self.model, self.serial, self.firmware)


@dataclass
class Site:
    """The devices and the counters shared across them (uploads under way at once)."""

    devices: dict[str, FakeDevice] = field(default_factory=dict)
    uploading: int = 0
    most_uploading: int = 0

    def add(self, *devices: FakeDevice) -> Site:
        for device in devices:
            self.devices[device.target.key] = device
        return self

    @property
    def targets(self) -> list[JobTarget]:
        return [device.target for device in self.devices.values()]

    def by_serial(self, serial: str) -> FakeDevice:
        return next(device for device in self.devices.values() if device.serial == serial)


class FakeClient(DeviceClient, UpdatesFirmware, BacksUpConfiguration, SetsFirstPassword, CopiesConfiguration):
    """Every capability the engine's tasks ask for, on a FakeDevice."""

    def __init__(self, site: Site, device: FakeDevice) -> None:
        self.site = site
        self.device = device

    async def login(self) -> None:
        """Logged in by FakeAccess."""

    async def aclose(self) -> None:
        """Nothing to close."""

    async def read_identity(self) -> DeviceIdentity:
        return self.device.identity

    def firmware_update_stages(self) -> tuple[str, ...]:
        return STAGES

    async def update_firmware(self, image: Path, reporter: ProgressReporter) -> str:
        device = self.device
        device.updates += 1
        reporter.stage("Uploading", total=100)
        self.site.uploading += 1
        self.site.most_uploading = max(self.site.most_uploading, self.site.uploading)
        try:
            reporter.set(45)
            if device.hold is not None:
                await device.hold.wait()
            if device.update == "reset":
                raise TransferError("The device stopped answering during the upload.",
                                    state="running its previous firmware")
            if device.update == "garbage":
                raise ValueError("unexpected token in reply")
        finally:
            self.site.uploading -= 1
        reporter.stage("Installing")
        if device.update != "stays":
            device.firmware = image.read_text().strip()
        return device.firmware

    async def backup_configuration(self) -> bytes:
        return self.device.config

    async def restore_configuration(self, data: bytes) -> None:
        self.device.config = data

    async def read_settings(self) -> DeviceSettings:
        return DeviceSettings(dict(self.device.settings), frozenset({"Name"}))

    async def write_settings(self, changes: Mapping[str, str]) -> None:
        self.device.writes.append(dict(changes))
        self.device.settings.update({k: v for k, v in changes.items() if k not in self.device.ignores})

    def needs_first_password(self) -> bool:
        return self.device.factory

    async def set_first_password(self, new_password: str) -> None:
        self.device.password = new_password
        self.device.factory = False


class FirmwareOnly(DeviceClient, UpdatesFirmware):
    """A client without the backup or password capabilities."""

    def __init__(self, inner: FakeClient) -> None:
        self.inner = inner

    async def login(self) -> None:
        """Logged in by FakeAccess."""

    async def aclose(self) -> None:
        """Nothing to close."""

    async def read_identity(self) -> DeviceIdentity:
        return await self.inner.read_identity()

    def firmware_update_stages(self) -> tuple[str, ...]:
        return STAGES

    async def update_firmware(self, image: Path, reporter: ProgressReporter) -> str:
        return await self.inner.update_firmware(image, reporter)


class FakeSession:
    """A DeviceSession on a FakeDevice."""

    def __init__(self, site: Site, device: FakeDevice, client: DeviceClient) -> None:
        self.site = site
        self.device = device
        self._client = client
        self._credentials = Credentials("admin", device.password)

    @property
    def identity(self) -> DeviceIdentity:
        return self.device.identity

    @property
    def client(self) -> DeviceClient:
        return self._client

    @property
    def credentials(self) -> Credentials:
        return self._credentials

    async def login_as(self, credentials: Credentials) -> DeviceClient:
        return FakeAccess.log_in(self.device, credentials, self.site)

    def remember(self, credentials: Credentials) -> None:
        self.device.remembered = credentials

    async def aclose(self) -> None:
        self.device.open_sessions -= 1


class FakeAccess:
    """Opens FakeDevices with the password the job's target carries, like the connection does."""

    def __init__(self, site: Site, *, firmware_only: frozenset[str] = frozenset()) -> None:
        self.site = site
        self.firmware_only = firmware_only
        self.opened: list[str] = []

    @staticmethod
    def log_in(device: FakeDevice, credentials: Credentials, site: Site) -> FakeClient:
        device.logins += 1
        if credentials.password != device.password:
            device.failed_logins += 1
            raise AuthenticationError("The device refused the password.")
        return FakeClient(site, device)

    async def open(self, target: JobTarget) -> FakeSession:
        device = self.site.devices[target.key]
        self.opened.append(target.serial)
        if not device.trusted:
            raise TrustDeclinedError("it presented another certificate than the list names.")
        client: DeviceClient = self.log_in(device, Credentials("admin", target.password), self.site)
        if device.serial in self.firmware_only:
            client = FirmwareOnly(FakeClient(self.site, device))
        device.open_sessions += 1
        return FakeSession(self.site, device, client)
