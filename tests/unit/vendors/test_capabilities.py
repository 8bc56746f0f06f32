"""Each vendor's client declares its capabilities by implementing their protocols; generic code reads them."""

from __future__ import annotations

import httpx
import pytest

from app.core.models import Credentials, Endpoint
from app.core.progress import ProgressReporter
from app.vendors import registry
from app.vendors.base import (
    BacksUpConfiguration,
    Capability,
    DeviceClient,
    SetsTime,
    UpdatesFirmware,
    capabilities_of,
)

BASIC = {Capability.LOG_IN, Capability.READ_IDENTITY}
EXPECTED = {
    "inxpect": BASIC
    | {Capability.UPDATE_FIRMWARE, Capability.SET_FIRST_PASSWORD, Capability.BACK_UP_CONFIGURATION,
       Capability.COPY_CONFIGURATION},
    "two_n": BASIC | {Capability.UPDATE_FIRMWARE, Capability.BACK_UP_CONFIGURATION, Capability.SET_TIME,
                      Capability.COPY_CONFIGURATION},
    "axis": BASIC | {Capability.ALIGN_STITCHING},
    "audiocodes": BASIC
    | {Capability.UPDATE_FIRMWARE, Capability.BACK_UP_CONFIGURATION, Capability.INSTALL_CERTIFICATE,
       Capability.COPY_CONFIGURATION},
    "hikvision": BASIC | {Capability.REGISTER_TO_CLOUD},
}


@pytest.mark.parametrize("vendor", sorted(EXPECTED))
def test_each_client_class_offers_what_it_implements(vendor: str) -> None:
    plugin = registry.find_plugin(vendor)
    assert plugin is not None
    assert capabilities_of(plugin.client_type) == EXPECTED[vendor]
    assert issubclass(plugin.client_type, DeviceClient)


def test_an_object_has_a_capability_only_when_it_has_every_method_of_its_protocol() -> None:
    class ClockOnly:
        async def set_time(self, utc_time: int) -> None:
            self.utc_time = utc_time

    class HalfBackup:
        async def backup_configuration(self) -> bytes:
            return b""

    assert capabilities_of(ClockOnly()) == {Capability.SET_TIME}
    assert isinstance(ClockOnly(), SetsTime)
    assert not isinstance(HalfBackup(), BacksUpConfiguration)
    assert capabilities_of(HalfBackup) == frozenset()
    assert not Capability.UPDATE_FIRMWARE.supported_by(ClockOnly)


async def test_a_client_that_updates_firmware_names_distinct_stages_a_reporter_accepts() -> None:
    updaters = 0
    async with httpx.AsyncClient() as http:
        for plugin in registry.plugins():
            client = plugin.create_client(http, Endpoint("127.0.0.1", 9), Credentials("admin", "secret"))
            if not isinstance(client, UpdatesFirmware):
                continue
            updaters += 1
            stages = client.firmware_update_stages()
            assert len(set(stages)) == len(stages) > 1
            reporter = ProgressReporter(stages)
            reporter.stage(stages[-1])
            assert reporter.current.stage_index == len(stages) - 1
    assert updaters == 3


def test_every_capability_has_one_spelling_and_one_protocol() -> None:
    assert len({c.value for c in Capability}) == len(Capability)
    assert len({c.protocol for c in Capability}) == len(Capability)
