"""Who a device is after login, compared with who it was opened as."""

from __future__ import annotations

from app.core.models import DeviceIdentity, Endpoint
from app.site.naming import cloud_address_problem, cloud_key, host_port, same_device

PROBED = DeviceIdentity("two_n", "2N IP Verso", serial="54-0000-0001", mac="7C:1E:B3:00:00:01")


def test_serial_and_mac_must_agree_where_both_sides_know_them() -> None:
    assert same_device(PROBED, DeviceIdentity("two_n", "", serial="54-0000-0001", mac="7c-1e-b3-00-00-01"))
    assert same_device(PROBED, DeviceIdentity("two_n", "", serial=" 54-0000-0001"))
    assert not same_device(PROBED, DeviceIdentity("two_n", "", serial="54-0000-0002", mac=PROBED.mac))
    assert not same_device(PROBED, DeviceIdentity("two_n", "", serial=PROBED.serial, mac="7C:1E:B3:00:00:02"))


def test_nothing_to_compare_or_another_vendor_is_not_the_same_device() -> None:
    assert not same_device(PROBED, DeviceIdentity("two_n", "2N IP Verso"))
    assert not same_device(PROBED, DeviceIdentity("axis", "", serial=PROBED.serial))


def test_the_cloud_address_rule_says_why_an_address_is_refused() -> None:
    assert cloud_address_problem("https://cloud.example") == ""
    assert "plain-HTTP address" in cloud_address_problem("http://cloud.example")
    assert cloud_address_problem("cloud.example") == "'cloud.example' is not an https:// address."
    assert cloud_key(" https://cloud.example ") == "hikvision:cloud@cloud.example:443"


def test_host_port_brackets_an_ipv6_literal() -> None:
    assert host_port(Endpoint("fe80::1", 443)) == "[fe80::1]:443"
    assert host_port(Endpoint("127.0.0.1", 8443)) == "127.0.0.1:8443"
