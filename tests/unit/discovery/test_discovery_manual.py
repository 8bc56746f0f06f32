"""Parsing what a technician types into the add-device field, and which ports and plugins are tried."""

from __future__ import annotations

import pytest

from app.discovery.manual import InvalidAddressError, Target, parse_target, plugins_for_port, ports_to_try
from tests.integration.discovery_support import FAKE_PLUGIN


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.0.0.5", Target("10.0.0.5")),
        (" 10.0.0.5:8443 ", Target("10.0.0.5", 8443)),
        ("[fe80::1]:443", Target("fe80::1", 443)),
        ("[::1]", Target("::1")),
        ("fe80::1", Target("fe80::1")),
        ("fe80::1%eth0", Target("fe80::1%eth0")),
        ("msk101poe-20000.local", Target("msk101poe-20000.local")),
        ("cam-1.site.example:80", Target("cam-1.site.example", 80)),
        ("https://10.0.0.7", Target("10.0.0.7", 443)),
        ("http://10.0.0.7", Target("10.0.0.7", 80)),
        ("https://10.0.0.7:8443/index.html", Target("10.0.0.7", 8443)),
    ],
)
def test_addresses_a_technician_types(text: str, expected: Target) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "10.0.0.5:99999", "10.0.0.5:0", "bad_host!", "a..b", "10.0.0.5:x"]
)
def test_unusable_addresses_are_refused_with_examples(text: str) -> None:
    with pytest.raises(InvalidAddressError):
        parse_target(text)


def test_a_given_port_is_the_only_one_tried() -> None:
    assert ports_to_try([FAKE_PLUGIN], Target("10.0.0.5", 8443), extra_ports=[80]) == [8443]


class _Plugin:
    def __init__(self, name: str, ports: tuple[int, ...]) -> None:
        self.display_name = name
        self.default_ports = ports


def test_without_a_port_extra_ports_then_every_default_port_is_tried_once() -> None:
    plugins = [_Plugin("a", (443, 80)), _Plugin("b", (443, 8443))]
    ports = ports_to_try(plugins, Target("10.0.0.5"), extra_ports=[8080, 443])  # type: ignore[arg-type]
    assert ports == [8080, 443, 80, 8443]


def test_plugins_that_list_the_port_are_tried_first() -> None:
    first, second = _Plugin("a", (80,)), _Plugin("b", (443,))
    ordered = plugins_for_port([first, second], 443)  # type: ignore[list-item]
    assert [plugin.display_name for plugin in ordered] == ["b", "a"]
