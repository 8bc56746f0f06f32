"""The Inxpect capabilities generic code asks for, against the simulator: first password, firmware file."""

from __future__ import annotations

from pathlib import Path

import httpx

from app.core.clock import ManualClock
from app.core.models import Credentials
from app.core.progress import Progress, ProgressReporter
from app.vendors.base import SetsFirstPassword, UpdatesFirmware
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.device import InxpectDevice
from app.vendors.inxpect.ifw_builder import firmware_package
from app.vendors.inxpect.simulator import InxpectSimulator
from app.vendors.inxpect.simulator.factory import DEFAULT_PASSWORD

from .conftest import ENDPOINT, NEW_PASSWORD


async def test_a_factory_sensor_needs_its_first_password_and_takes_it(clock: ManualClock) -> None:
    sim = InxpectSimulator(device_id=20001, seed=7, clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim), base_url=ENDPOINT.base_url) as http:
        client: SetsFirstPassword = InxpectClient(http, ENDPOINT, Credentials("", DEFAULT_PASSWORD))
        assert isinstance(client, InxpectClient)
        await client.login()
        assert client.needs_first_password()
        await client.set_first_password(NEW_PASSWORD)
        assert not client.needs_first_password()
        assert sim.password == NEW_PASSWORD
        again = InxpectClient(http, ENDPOINT, Credentials("", NEW_PASSWORD))
        await again.login()
        assert not again.needs_first_password()


async def test_a_firmware_file_is_installed_and_the_new_version_read_back(
    http: httpx.AsyncClient, sim: InxpectSimulator, tmp_path: Path
) -> None:
    image = tmp_path / "CBPOE.ifw"
    image.write_bytes(firmware_package(1, 1209, 40 * 1024))
    device: UpdatesFirmware = InxpectDevice(http, ENDPOINT, Credentials("", NEW_PASSWORD))
    assert isinstance(device, InxpectDevice)
    await device.login()
    seen: list[Progress] = []
    reporter = ProgressReporter(device.firmware_update_stages(), seen.append)
    version = await device.update_firmware(image, reporter)
    assert version.endswith("(board 1.209)")
    assert (await device.read_info()).comboard.fw_version == 1209
    assert seen[0].stage == "Checking the device"
    assert seen[-1].stage == "Reading the firmware back"
    assert sim.requests.for_path("/stopProcessUpdate")
