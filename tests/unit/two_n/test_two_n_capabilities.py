"""The 2N capabilities generic code asks for, against the simulator: configuration backup and restore."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.errors import InvalidParameterError
from app.core.models import Credentials, Endpoint
from app.vendors.base import BacksUpConfiguration
from app.vendors.two_n.device import TwoNDevice
from app.vendors.two_n.simulator import TwoNSimulator

from .conftest import drive, multipart_parts


@pytest.fixture
def device(http: httpx.AsyncClient, endpoint: Endpoint, sim: TwoNSimulator) -> TwoNDevice:
    return TwoNDevice(http, endpoint, Credentials(sim.info.username, sim.info.password))


async def test_a_backup_restored_puts_the_configuration_back(
    device: TwoNDevice, sim: TwoNSimulator, clock: ManualClock
) -> None:
    backups: BacksUpConfiguration = device
    backup = await backups.backup_configuration()
    assert b"<DeviceDatabase" in backup
    renamed = backup.replace(b"<DeviceName>2N IP Verso</DeviceName>", b"<DeviceName>Gate A</DeviceName>")
    await backups.restore_configuration(renamed)
    assert multipart_parts(sim.requests[-1])["blob-cfg"][2] == renamed

    async def renamed_on_the_device() -> None:  # the intercom applies a restore about 15 s later (§5.3.1)
        while (await device.system_info()).device_name != "Gate A":
            await asyncio.sleep(0)

    await drive(clock, renamed_on_the_device())


async def test_a_file_that_is_no_backup_is_refused_before_anything_is_sent(
    device: TwoNDevice, sim: TwoNSimulator
) -> None:
    sent = len(sim.requests)
    with pytest.raises(InvalidParameterError, match="not a 2N configuration backup"):
        await device.restore_configuration(b"<html>not a backup</html>")
    assert len(sim.requests) == sent
