"""A pinned device is checked against its pin only (never a CA bundle) and is never contacted over HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from app.backend.session import open_device_client
from app.backend.trust import TrustStore, fetch_certificate
from app.core.certificates import CertificateDetails
from app.core.errors import CertificateChangedError, CleartextRefusedError
from app.sim.certs import make_self_signed
from app.sim.server import serve_device
from tests.unit.backend.helpers import TinyDevice, hello_app, make_ca

if TYPE_CHECKING:
    from tests.unit.backend.helpers import TestCA

KEY = "audiocodes:SBC0001"


def store_with_bundle(tmp_path: Path) -> tuple[TrustStore, TestCA, Path]:
    """A trust store whose CA bundle setting is a fresh site CA."""
    ca = make_ca()
    bundle = tmp_path / "site-ca.pem"
    bundle.write_bytes(ca.pem)
    store = TrustStore(tmp_path / "trust.json")
    store.set_ca_bundle(bundle)
    return store, ca, bundle


async def test_a_ca_bundle_never_lets_another_certificate_pass_for_a_pinned_device(tmp_path: Path) -> None:
    store, ca, bundle = store_with_bundle(tmp_path)
    store.trust(KEY, CertificateDetails.from_der(make_self_signed("The SBC as pinned").cert_der))
    device = TinyDevice(hello_app())
    async with serve_device(device, certificate=ca.issue("Signed by the site CA")) as running:
        with pytest.raises(CertificateChangedError):
            await open_device_client(running.endpoint, KEY, store)
        with pytest.raises(CertificateChangedError):  # passing the bundle explicitly changes nothing
            await open_device_client(running.endpoint, KEY, store, ca_bundle=bundle)
    assert store.blocked(KEY) is not None
    assert len(device.requests) == 0


async def test_the_pinned_context_accepts_the_pin_and_nothing_the_bundle_signed(tmp_path: Path) -> None:
    store, ca, _ = store_with_bundle(tmp_path)
    device = TinyDevice(hello_app())
    async with serve_device(device, certificate=ca.issue("SBC")) as running:
        store.trust(KEY, await fetch_certificate(running.endpoint))
        async with await open_device_client(running.endpoint, KEY, store) as client:
            assert (await client.get("/hello")).text == "hello"
            running.reload_certificate(ca.issue("Another SBC signed by the same CA"))
            await client._transport.aclose()  # new connections only: drop the pooled one
            with pytest.raises(CertificateChangedError):
                await client.get("/hello")
    assert [r.path for r in device.requests] == ["/hello"]


async def test_a_pinned_identity_is_never_contacted_over_plain_http(tmp_path: Path) -> None:
    store = TrustStore(tmp_path / "trust.json")
    store.trust(KEY, CertificateDetails.from_der(make_self_signed("The SBC").cert_der))
    device = TinyDevice(hello_app(), scheme="http")
    async with serve_device(device) as running:
        with pytest.raises(CleartextRefusedError, match="plain HTTP"):
            await open_device_client(running.endpoint, KEY, store)
    assert len(device.requests) == 0


def test_aliases_and_pins_by_fingerprint_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "trust.json"
    details = CertificateDetails.from_der(make_self_signed("Shared").cert_der)
    store = TrustStore(path)
    store.trust("two_n:A", details)
    store.trust("two_n:B", details)
    store.set_alias("audiocodes@10.0.0.5:443", KEY)
    reopened = TrustStore(path)
    assert reopened.keys_pinning(details.fingerprint) == ["two_n:A", "two_n:B"]
    assert reopened.alias("audiocodes@10.0.0.5:443") == KEY
    assert reopened.alias("audiocodes@10.0.0.6:443") is None


def test_restore_puts_back_the_previous_pin_or_none(tmp_path: Path) -> None:
    store = TrustStore(tmp_path / "trust.json")
    old = CertificateDetails.from_der(make_self_signed("Old").cert_der)
    store.trust(KEY, old)
    previous = store.entry(KEY)
    store.trust(KEY, CertificateDetails.from_der(make_self_signed("New").cert_der))
    store.restore(KEY, previous)
    assert TrustStore(tmp_path / "trust.json").entry(KEY) == previous
    store.restore(KEY, None)
    assert store.pinned(KEY) is None
