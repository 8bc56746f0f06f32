"""The vendor registry is the one list of vendors: names, kinds, demo membership and the register seam."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from app.core.models import VendorId
from app.vendors import registry
from app.vendors.base import VendorKind


def test_the_built_in_vendors_in_registration_order() -> None:
    assert registry.vendor_ids()[:5] == ("inxpect", "two_n", "axis", "audiocodes", "hikvision")
    assert set(registry.demo_vendors()) >= {"inxpect", "two_n", "axis", "audiocodes", "hikvision"}


def test_names_and_kinds_come_from_the_plugins() -> None:
    assert registry.short_name("two_n") == "2N"
    assert registry.short_name("audiocodes") == "AudioCodes"
    assert registry.short_name("nobody") == "nobody"
    assert registry.is_cloud_service("hikvision")
    assert not registry.is_cloud_service("axis")
    assert not registry.is_cloud_service("nobody")
    assert registry.plugin_for(VendorId("axis")).kind is VendorKind.LAN_DEVICE


def test_the_cloud_service_names_itself_as_a_device_of_the_list() -> None:
    from app.core.models import Endpoint

    identity = registry.cloud_service().service_identity(Endpoint("127.0.0.1", 8443))
    assert registry.is_cloud_service(identity.vendor)
    assert identity.key == f"{identity.vendor}:cloud@127.0.0.1:8443"


def test_an_unknown_vendor_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        registry.plugin_for(VendorId("nobody"))


@dataclass
class _Named:
    """Enough of a plugin for the registry's bookkeeping (never asked to find or open anything here)."""

    vendor_id: VendorId
    short_name: str = "Named"
    kind: VendorKind = VendorKind.LAN_DEVICE
    in_demo: bool = False
    service_types: tuple[str, ...] = field(default=())


def test_register_adds_a_vendor_until_it_is_removed_again() -> None:
    plugin = _Named(VendorId("named"))
    unregister = registry.register(plugin)  # type: ignore[arg-type]
    try:
        assert registry.plugins()[-1] is plugin
        assert registry.short_name("named") == "Named"
        assert "named" not in registry.demo_vendors()
        with pytest.raises(ValueError, match="already registered"):
            registry.register(plugin)  # type: ignore[arg-type]
    finally:
        unregister()
    assert registry.find_plugin("named") is None
