"""A device listed without a serial is compared with the pin of the identity it logged in as there."""

from __future__ import annotations

from pathlib import Path

from app.backend.trust import TrustStore
from app.core.certificates import CertificateDetails
from app.core.models import DeviceCandidate, DeviceIdentity, DeviceState, Endpoint
from app.discovery.identify import Identification
from app.discovery.inventory import DeviceInventory
from app.sim.certs import make_self_signed

SBC = Endpoint("127.0.0.1", 8443)


def sighting(fingerprint: str) -> Identification:
    identity = DeviceIdentity(vendor="audiocodes", model="Mediant")  # the probe learns no serial
    candidate = DeviceCandidate(SBC, identity, identified=True, certificate_fingerprint=fingerprint)
    return Identification(candidate, None)


def test_a_changed_certificate_at_a_known_address_is_shown_as_changed(tmp_path: Path) -> None:
    trust = TrustStore(tmp_path / "trust.json")
    pinned = CertificateDetails.from_der(make_self_signed("sbc", organization="Site CA").cert_der)
    trust.trust("audiocodes:SBC0007", pinned)
    trust.set_alias("audiocodes@127.0.0.1:8443", "audiocodes:SBC0007")
    inventory = DeviceInventory(trust.pinned)
    assert inventory.observe(sighting(pinned.fingerprint), source="a").state is DeviceState.NEEDS_LOGIN
    changed = inventory.observe(sighting("00:11"), source="a")
    assert changed.state is DeviceState.CERTIFICATE_CHANGED


def test_an_address_never_logged_in_to_is_untrusted(tmp_path: Path) -> None:
    inventory = DeviceInventory(TrustStore(tmp_path / "trust.json").pinned)
    assert inventory.observe(sighting("00:11"), source="a").state is DeviceState.CERTIFICATE_UNTRUSTED
