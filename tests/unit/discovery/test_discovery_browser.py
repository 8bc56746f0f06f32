"""Pure parts of the mDNS browser: service-type names, IP versions, records from resolved services."""

from __future__ import annotations

import socket

import pytest
from zeroconf import IPVersion, ServiceInfo

from app.discovery.browser import MdnsBrowser, ip_version_for, normalise_service_type, record_from_info


def test_service_types_are_fully_qualified() -> None:
    assert normalise_service_type("_axis-video._tcp") == "_axis-video._tcp.local."
    assert normalise_service_type("_https._tcp.local") == "_https._tcp.local."
    assert normalise_service_type("_https._tcp.local.") == "_https._tcp.local."


def test_ip_version_follows_the_chosen_addresses() -> None:
    assert ip_version_for(["127.0.0.1"]) is IPVersion.V4Only
    assert ip_version_for(["fe80::1%2"]) is IPVersion.V6Only
    assert ip_version_for(["10.0.0.2", "fd00::2"]) is IPVersion.All


def test_a_resolved_service_becomes_a_record_with_the_instance_label() -> None:
    info = ServiceInfo(
        "_axis-video._tcp.local.", "AXIS M1065-L - ACCC8E012345._axis-video._tcp.local.",
        addresses=[socket.inet_aton("127.0.0.1")], port=8443,
        properties={"macaddress": "ACCC8E012345", "flag": None}, server="axis-accc8e012345.local.",
    )
    record = record_from_info(info)
    assert record.service_type == "_axis-video._tcp.local."
    assert record.instance_name == "AXIS M1065-L - ACCC8E012345"
    assert record.host_name == "axis-accc8e012345.local."
    assert record.addresses == ("127.0.0.1",)
    assert record.port == 8443
    assert record.txt == {"macaddress": "ACCC8E012345", "flag": ""}


def test_a_browser_needs_an_interface() -> None:
    with pytest.raises(ValueError, match="choose at least one interface"):
        MdnsBrowser(["_axis-video._tcp"], [])
