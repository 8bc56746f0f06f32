"""The 2N configuration file as named settings: leaves by path, network and SIP identity marked, and a
write that changes only the given leaves of the device's own file."""

from __future__ import annotations

import pytest

from app.core.errors import DeviceProtocolError
from app.vendors.two_n.settings import parse_settings, with_changes

CONFIG = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Product name: 2N IP Verso -->
<DeviceDatabase Version="4">
  <Device><DeviceName>Gate 1</DeviceName></Device>
  <Network><DhcpEnabled>1</DhcpEnabled></Network>
  <Phone><SipNumber>100</SipNumber><Domain>pbx.example.invalid</Domain></Phone>
  <Display><Brightness>80</Brightness></Display>
</DeviceDatabase>
"""


def test_leaves_are_settings_and_identity_is_marked() -> None:
    settings = parse_settings(CONFIG)
    assert settings.values == {"Device/DeviceName": "Gate 1", "Network/DhcpEnabled": "1",
                               "Phone/SipNumber": "100", "Phone/Domain": "pbx.example.invalid",
                               "Display/Brightness": "80"}
    assert settings.identity == {"Device/DeviceName", "Network/DhcpEnabled", "Phone/SipNumber"}


def test_a_write_changes_only_the_given_leaves_and_adds_missing_ones() -> None:
    changed = parse_settings(with_changes(CONFIG, {"Display/Brightness": "40", "Time/NtpEnabled": "0"}))
    assert changed.values["Display/Brightness"] == "40"
    assert changed.values["Time/NtpEnabled"] == "0"
    assert changed.values["Device/DeviceName"] == "Gate 1"


@pytest.mark.parametrize("body", [b"not xml", b"<Other/>"])
def test_a_file_that_is_no_configuration_is_a_protocol_error(body: bytes) -> None:
    with pytest.raises(DeviceProtocolError):
        parse_settings(body)
