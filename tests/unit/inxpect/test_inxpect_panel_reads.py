"""The reads behind the Inxpect panel's views, against the simulator (Qt-free)."""

from __future__ import annotations

from dataclasses import replace

from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.models import NetFlag
from app.vendors.inxpect.panel_reads import (
    read_configuration_setup,
    read_device_settings,
    read_field_of_view,
    store_net_settings,
)


async def test_device_settings_are_network_name_and_event_log(client: InxpectClient) -> None:
    settings = await read_device_settings(client)
    assert settings.network == await client.read_net_settings()
    assert settings.name == await client.read_name()
    assert settings.events == await client.read_event_log()


async def test_stored_network_settings_are_read_back(client: InxpectClient) -> None:
    current = await client.read_net_settings()
    edited = replace(current, net_configuration=current.net_configuration ^ NetFlag.NAME_RESOLUTION)
    stored = await store_net_settings(client, edited)
    assert stored.net_configuration == edited.net_configuration
    assert stored == await client.read_net_settings()


async def test_configuration_setup_and_field_of_view_agree(client: InxpectClient) -> None:
    setup = await read_configuration_setup(client)
    view = await read_field_of_view(client)
    assert setup.installations
    assert (setup.info, setup.configuration) == (view.info, view.configuration)
