"""Registering a device to a cloud site, the capability generic code asks for, against the simulator."""

from __future__ import annotations

import pytest

from app.core.errors import InvalidParameterError
from app.vendors.base import RegistersDevicesToCloud
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.simulator import HikPartnerSimulator

from .conftest import area_calls


async def test_a_device_is_registered_once_and_again_without_error(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    registers: RegistersDevicesToCloud = client
    site = await client.add_site("Mill Lane 4", 133)
    device = sim.info.extra["devices"][0]
    await registers.register_device(site.id, device["serial"], device["validateCode"])
    await registers.register_device(site.id, device["serial"], device["validateCode"])  # already yours
    assert [d.serial for d in await client.site_devices(site.id)] == [device["serial"]]
    assert len(area_calls(sim, "v2/device/add")) == 2


async def test_a_wrong_verification_code_is_a_typed_error_the_technician_understands(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    site = await client.add_site("Mill Lane 4", 133)
    serial = sim.info.extra["devices"][1]["serial"]
    with pytest.raises(InvalidParameterError, match="verification code is wrong") as raised:
        await client.register_device(site.id, serial, "WRONGX")
    assert raised.value.code == "EVZ20010"
    assert str(raised.value).startswith(f"Registering {serial}")


async def test_the_simulated_site_has_an_all_digit_label_that_parses_and_registers(
    client: HikPartnerClient, sim: HikPartnerSimulator
) -> None:
    from app.vendors.hikvision.labels import parse_labels

    device = next(d for d in sim.info.extra["devices"] if d["serial"].isdigit())
    [label] = parse_labels(f"{device['serial']} {device['validateCode']}").devices
    site = await client.add_site("Mill Lane 4", 133)
    await client.register_device(site.id, label.serial, label.verification_code)
    assert [d.serial for d in await client.site_devices(site.id)] == [device["serial"]]
