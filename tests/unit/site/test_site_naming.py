"""Who a device is after login, compared with who it was opened as."""

from __future__ import annotations

from app.core.models import DeviceIdentity
from app.site.naming import same_device

PROBED = DeviceIdentity("two_n", "2N IP Verso", serial="54-0000-0001", mac="7C:1E:B3:00:00:01")


def test_serial_and_mac_must_agree_where_both_sides_know_them() -> None:
    assert same_device(PROBED, DeviceIdentity("two_n", "", serial="54-0000-0001", mac="7c-1e-b3-00-00-01"))
    assert same_device(PROBED, DeviceIdentity("two_n", "", serial=" 54-0000-0001"))
    assert not same_device(PROBED, DeviceIdentity("two_n", "", serial="54-0000-0002", mac=PROBED.mac))
    assert not same_device(PROBED, DeviceIdentity("two_n", "", serial=PROBED.serial, mac="7C:1E:B3:00:00:02"))


def test_nothing_to_compare_or_another_vendor_is_not_the_same_device() -> None:
    assert not same_device(PROBED, DeviceIdentity("two_n", "2N IP Verso"))
    assert not same_device(PROBED, DeviceIdentity("axis", "", serial=PROBED.serial))
