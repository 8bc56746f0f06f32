"""A row never silently moves from https to http: such a sighting becomes a conflict row of its own."""

from __future__ import annotations

from app.core.models import DeviceCandidate, DeviceIdentity, DeviceState, Endpoint, Scheme
from app.discovery.identify import Identification
from app.discovery.inventory import DeviceInventory

KEY = "two_n:54-1234-5678"


def sighting(port: int, scheme: Scheme, fingerprint: str = "") -> Identification:
    identity = DeviceIdentity(vendor="two_n", model="2N IP Verso", serial="54-1234-5678")
    candidate = DeviceCandidate(Endpoint("127.0.0.1", port, scheme), identity, identified=True,
                                certificate_fingerprint=fingerprint)
    return Identification(candidate, None)


def test_an_http_sighting_of_a_device_known_over_https_is_a_conflict_row() -> None:
    inventory = DeviceInventory({KEY: "AA:BB"}.get)
    inventory.observe(sighting(443, "https", "AA:BB"), source="verso._https._tcp.local.")
    conflict = inventory.observe(sighting(80, "http"), source="rogue._http._tcp.local.")
    row = inventory.get(KEY)
    assert row is not None
    assert row.candidate.endpoint == Endpoint("127.0.0.1", 443, "https")
    assert conflict.key != KEY
    assert conflict.state is DeviceState.CONFLICT
    assert not conflict.identified  # cannot be opened
    assert KEY in conflict.detail
    assert "plain HTTP" in conflict.detail
    assert inventory.key_for_source("verso._https._tcp.local.") == KEY


def test_an_http_sighting_of_a_pinned_identity_is_a_conflict_even_without_a_row() -> None:
    inventory = DeviceInventory({KEY: "AA:BB"}.get)
    conflict = inventory.observe(sighting(80, "http"), source="rogue._http._tcp.local.")
    assert conflict.state is DeviceState.CONFLICT
    assert inventory.get(KEY) is None


def test_an_unpinned_http_device_is_listed_and_may_later_move_to_https() -> None:
    inventory = DeviceInventory({}.get)
    plain = inventory.observe(sighting(80, "http"), source="verso._http._tcp.local.")
    assert (plain.key, plain.state) == (KEY, DeviceState.NEEDS_LOGIN)
    inventory.note_cleartext(KEY)
    assert inventory.get(KEY).cleartext_allowed  # type: ignore[union-attr]
    upgraded = inventory.observe(sighting(443, "https", "CC:DD"), source="verso._https._tcp.local.")
    assert upgraded.key == KEY
    assert upgraded.candidate.endpoint.scheme == "https"
    assert not upgraded.cleartext_allowed
