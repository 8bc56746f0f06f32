"""The device list model: identity keys, address changes, absences and certificate states."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.core.models import DeviceCandidate, DeviceIdentity, DeviceState, Endpoint
from app.discovery.identify import Identification
from app.discovery.inventory import DeviceInventory, InventoryChange, InventoryChangeKind

PIN = "AA:BB"


def _candidate(port: int = 443, *, serial: str = "S1", identified: bool = True, fp: str = PIN,
               model: str = "M") -> DeviceCandidate:
    identity = DeviceIdentity(vendor="axis", model=model, serial=serial, mac="ac:cc:8e:00:00:01")
    return DeviceCandidate(
        Endpoint("127.0.0.1", port), identity, identified=identified, certificate_fingerprint=fp
    )


def _inventory(pins: dict[str, str] | None = None) -> tuple[DeviceInventory, list[InventoryChange]]:
    inventory = DeviceInventory((pins if pins is not None else {"axis:S1": PIN}).get)
    changes: list[InventoryChange] = []
    inventory.subscribe(changes.append)
    return inventory, changes


def _kinds(changes: list[InventoryChange]) -> list[tuple[InventoryChangeKind, str]]:
    return [(change.kind, change.entry.key) for change in changes]


def test_an_identified_device_is_keyed_by_vendor_and_serial() -> None:
    inventory, changes = _inventory()
    entry = inventory.observe(Identification(_candidate(), None), source="cam._axis-video._tcp.local.")
    assert entry.key == "axis:S1"
    assert entry.state is DeviceState.NEEDS_LOGIN
    assert _kinds(changes) == [(InventoryChangeKind.ADDED, "axis:S1")]
    assert inventory.key_for_source("cam._axis-video._tcp.local.") == "axis:S1"


def test_a_device_back_under_a_new_address_updates_its_row() -> None:
    inventory, changes = _inventory()
    inventory.observe(Identification(_candidate(443), None), source="a")
    inventory.observe(Identification(_candidate(8443), None), source="addr:127.0.0.1:8443")
    assert [entry.candidate.endpoint.port for entry in inventory.entries()] == [8443]
    assert _kinds(changes) == [
        (InventoryChangeKind.ADDED, "axis:S1"), (InventoryChangeKind.UPDATED, "axis:S1")
    ]
    assert inventory.entries()[0].sources == frozenset({"a", "addr:127.0.0.1:8443"})


def test_a_device_known_by_mac_is_matched_when_its_serial_shows_up() -> None:
    inventory, changes = _inventory(pins={})
    by_mac = replace(_candidate(), identity=DeviceIdentity(vendor="axis", model="M", mac="AC:CC:8E:00:00:01"))
    inventory.observe(Identification(by_mac, None), source="a")
    entry = inventory.observe(Identification(_candidate(8443), None), source="b")
    assert [e.key for e in inventory.entries()] == ["axis:S1"]
    assert entry.sources == frozenset({"a", "b"})
    assert _kinds(changes) == [
        (InventoryChangeKind.ADDED, "axis:ACCC8E000001"),
        (InventoryChangeKind.REMOVED, "axis:ACCC8E000001"),
        (InventoryChangeKind.ADDED, "axis:S1"),
    ]


def test_a_provisional_row_merges_into_the_identified_device() -> None:
    inventory, changes = _inventory()
    unknown = replace(_candidate(), identity=DeviceIdentity(vendor="axis", model=""), identified=False)
    inventory.observe(Identification(unknown, None, "Identifying…"), source="x")
    assert inventory.entries()[0].key == "seen:x"
    assert inventory.entries()[0].state is DeviceState.DISCOVERED
    inventory.observe(Identification(_candidate(), None), source="x")
    assert [e.key for e in inventory.entries()] == ["axis:S1"]
    assert _kinds(changes)[-2:] == [
        (InventoryChangeKind.REMOVED, "seen:x"), (InventoryChangeKind.ADDED, "axis:S1")
    ]


def test_a_device_that_leaves_goes_offline_and_keeps_its_identity() -> None:
    inventory, _changes = _inventory()
    inventory.observe(Identification(_candidate(), None), source="a")
    entry = inventory.source_gone("a")
    assert entry is not None
    assert entry.state is DeviceState.OFFLINE
    assert entry.detail == "The device stopped announcing itself."
    assert inventory.entries() == [entry]
    assert entry.candidate.identity.model == "M"


def test_a_failed_reprobe_marks_offline_but_an_odd_answer_keeps_the_state() -> None:
    inventory, _changes = _inventory()
    inventory.observe(Identification(_candidate(), None), source="a")
    silent = Identification(_candidate(identified=False), None, "no answer", reachable=False)
    assert inventory.observe(silent, source="a").state is DeviceState.OFFLINE
    inventory.observe(Identification(_candidate(), None), source="a")
    odd = Identification(_candidate(identified=False), None, "did not answer like an Axis", reachable=True)
    entry = inventory.observe(odd, source="a")
    assert entry.state is DeviceState.NEEDS_LOGIN
    assert entry.detail == "did not answer like an Axis"
    assert entry.identified


def test_certificate_states_follow_the_trust_store() -> None:
    inventory, _changes = _inventory(pins={"axis:S2": PIN, "axis:S3": "CC:DD"})
    untrusted = inventory.observe(Identification(_candidate(serial="S1"), None), source="1")
    trusted = inventory.observe(Identification(_candidate(serial="S2"), None), source="2")
    changed = inventory.observe(Identification(_candidate(serial="S3"), None), source="3")
    plain_http = inventory.observe(Identification(_candidate(serial="S4", fp=""), None), source="4")
    assert untrusted.state is DeviceState.CERTIFICATE_UNTRUSTED
    assert trusted.state is DeviceState.NEEDS_LOGIN
    assert changed.state is DeviceState.CERTIFICATE_CHANGED
    assert plain_http.state is DeviceState.NEEDS_LOGIN


def test_online_survives_a_rediscovery_at_the_same_place_but_not_a_move() -> None:
    inventory, changes = _inventory()
    inventory.observe(Identification(_candidate(), None), source="a")
    assert inventory.set_state("axis:S1", DeviceState.ONLINE) is not None
    assert inventory.observe(Identification(_candidate(), None), source="a").state is DeviceState.ONLINE
    moved = inventory.observe(Identification(_candidate(9443), None), source="a")
    assert moved.state is DeviceState.NEEDS_LOGIN
    assert inventory.set_state("nobody", DeviceState.ONLINE) is None
    assert [change.entry.state for change in changes] == [
        DeviceState.NEEDS_LOGIN, DeviceState.ONLINE, DeviceState.NEEDS_LOGIN
    ]


def test_unsubscribed_callbacks_hear_nothing_more() -> None:
    inventory = DeviceInventory()
    heard: list[InventoryChange] = []
    unsubscribe = inventory.subscribe(heard.append)
    inventory.observe(Identification(_candidate(serial="S1"), None), source="a")
    unsubscribe()
    inventory.observe(Identification(_candidate(serial="S2"), None), source="b")
    assert [change.entry.key for change in heard] == ["axis:S1"]
    assert len(inventory.entries()) == 2


def test_another_device_at_a_known_address_gets_its_own_row() -> None:
    inventory, changes = _inventory(pins={})
    inventory.observe(Identification(_candidate(serial="S1"), None), source="addr:127.0.0.1:443")
    other = DeviceIdentity(vendor="axis", model="M", serial="S2")  # a different MAC too
    newcomer = replace(_candidate(serial="S2"), identity=other)
    inventory.observe(Identification(newcomer, None), source="addr:127.0.0.1:443")
    assert sorted(entry.key for entry in inventory.entries()) == ["axis:S1", "axis:S2"]
    assert InventoryChangeKind.REMOVED not in [change.kind for change in changes]
    assert inventory.key_for_source("addr:127.0.0.1:443") == "axis:S2"


def test_a_failing_subscriber_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    inventory = DeviceInventory()
    heard: list[str] = []

    def broken(_change: InventoryChange) -> None:
        raise RuntimeError("widget gone")

    inventory.subscribe(broken)
    inventory.subscribe(lambda change: heard.append(change.entry.key))
    inventory.observe(Identification(_candidate(), None), source="a")
    assert heard == ["axis:S1"]
    assert "inventory subscriber" in caplog.text


def test_a_row_found_without_a_serial_is_rekeyed_when_login_tells_who_it_is() -> None:
    inventory, changes = _inventory(pins={})
    sensor = DeviceIdentity(vendor="inxpect", model="MSK-101-POE")
    at = Endpoint("127.0.0.1", 8443)
    keyless = DeviceCandidate(at, sensor, identified=True, certificate_fingerprint=PIN)
    found = inventory.observe(Identification(keyless, None), source="addr:127.0.0.1:8443")
    assert found.key == "seen:addr:127.0.0.1:8443"
    real = DeviceIdentity(vendor="inxpect", model="MSK-101-POE", serial="20031", firmware="1.2.3")

    learnt = inventory.learn_identity(found.key, real, DeviceState.ONLINE)

    assert learnt is not None
    assert [e.key for e in inventory.entries()] == ["inxpect:20031"]
    assert learnt.state is DeviceState.ONLINE
    assert learnt.candidate.identity == real
    assert learnt.candidate.endpoint.port == 8443
    assert inventory.key_for_source("addr:127.0.0.1:8443") == "inxpect:20031"
    assert _kinds(changes)[-2:] == [
        (InventoryChangeKind.REMOVED, "seen:addr:127.0.0.1:8443"),
        (InventoryChangeKind.ADDED, "inxpect:20031"),
    ]


def test_learning_an_identity_already_listed_merges_the_two_rows() -> None:
    inventory, _changes = _inventory(pins={})
    listed = inventory.observe(Identification(_candidate(443), None), source="mdns")
    keyless = replace(_candidate(8443), identity=DeviceIdentity(vendor="axis", model="M"))
    found = inventory.observe(Identification(keyless, None), source="addr:127.0.0.1:8443")
    assert len(inventory.entries()) == 2

    merged = inventory.learn_identity(found.key, listed.candidate.identity, DeviceState.ONLINE)

    assert merged is not None
    assert [e.key for e in inventory.entries()] == ["axis:S1"]
    assert merged.sources == frozenset({"mdns", "addr:127.0.0.1:8443"})
    assert merged.candidate.endpoint.port == 8443  # where it was just opened
    assert inventory.learn_identity("nothing", listed.candidate.identity, DeviceState.ONLINE) is None


def test_firmware_read_from_the_device_survives_sightings_that_announce_none() -> None:
    inventory, changes = _inventory()
    inventory.observe(Identification(_candidate(), None), source="a")
    assert inventory.note_firmware("axis:S1", "11.11.73") is not None
    assert _kinds(changes)[-1] == (InventoryChangeKind.UPDATED, "axis:S1")
    inventory.observe(Identification(_candidate(), None), source="a")  # a re-probe that reads no firmware
    row = inventory.get("axis:S1")
    assert row is not None
    assert row.candidate.identity.firmware == "11.11.73"
    announced = replace(_candidate(), identity=replace(_candidate().identity, firmware="11.12.1"))
    inventory.observe(Identification(announced, None), source="a")
    row = inventory.get("axis:S1")
    assert row is not None
    assert row.candidate.identity.firmware == "11.12.1"
    assert inventory.note_firmware("axis:unknown", "1.0") is None
