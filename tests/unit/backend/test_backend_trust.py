"""Trust on first use, pinning, certificate change blocking and CA bundles over real loopback TLS."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from app.backend.session import open_device_client, pinned_client, probe_client
from app.backend.trust import TrustStore, fetch_certificate
from app.core.certificates import CertificateDetails
from app.core.errors import (
    CertificateChangedError,
    ConfigurationError,
    DeviceProtocolError,
    DeviceUnreachableError,
    UntrustedCertificateError,
)
from app.core.models import Endpoint
from app.sim.certs import make_self_signed
from app.sim.server import serve_device
from tests.unit.backend.helpers import TinyDevice, hello_app, make_ca

KEY = "axis:TEST0001"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_fetch_certificate_reads_the_served_certificate_without_sending_a_request() -> None:
    device = TinyDevice(hello_app())
    async with serve_device(device) as running:
        details = await fetch_certificate(running.endpoint)
    assert details.fingerprint == running.fingerprint
    assert details.der == running.certificate.cert_der  # type: ignore[union-attr]
    assert "Backend test TEST0001" in details.subject
    assert len(device.requests) == 0


async def test_fetch_certificate_maps_a_closed_port_to_unreachable() -> None:
    with pytest.raises(DeviceUnreachableError):
        await fetch_certificate(Endpoint("127.0.0.1", _free_port()), timeout=2.0)


def test_trust_store_persists_per_identity_and_survives_reopening(tmp_path: Path) -> None:
    details = CertificateDetails.from_der(make_self_signed("Camera A").cert_der)
    path = tmp_path / "trust.json"
    TrustStore(path).trust(KEY, details)

    reopened = TrustStore(path)
    assert reopened.pinned(KEY) == details.fingerprint
    assert reopened.pinned_der(KEY) == details.der
    entry = reopened.entry(KEY)
    assert entry is not None
    assert entry.subject == details.subject
    assert entry.reason == "user"
    raw = json.loads(path.read_text())
    assert set(raw["devices"]) == {KEY}
    assert raw["devices"][KEY]["fingerprint"] == details.fingerprint

    reopened.forget(KEY)
    assert TrustStore(path).pinned(KEY) is None


def test_trust_store_default_path_is_in_the_data_dir(data_dir: Path) -> None:
    store = TrustStore()
    store.trust(KEY, CertificateDetails.from_der(make_self_signed("Camera").cert_der))
    assert store.path == data_dir / "trust.json"
    assert (data_dir / "trust.json").is_file()
    assert [p.name for p in data_dir.iterdir()] == ["trust.json"]  # no temp file left behind


def test_unusable_ca_bundle_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-ca.pem"
    bogus.write_text("not a certificate")
    store = TrustStore(tmp_path / "trust.json")
    with pytest.raises(ConfigurationError, match="cannot be used"):
        store.set_ca_bundle(bogus)
    assert store.ca_bundle is None


async def test_first_contact_asks_then_the_pinned_certificate_is_used(tmp_path: Path) -> None:
    device = TinyDevice(hello_app())
    store = TrustStore(tmp_path / "trust.json")
    async with serve_device(device) as running:
        with pytest.raises(UntrustedCertificateError) as caught:
            await open_device_client(running.endpoint, KEY, store)
        assert caught.value.certificate.fingerprint == running.fingerprint
        assert caught.value.identity == KEY
        assert len(device.requests) == 0

        store.trust(KEY, caught.value.certificate)
        async with await open_device_client(running.endpoint, KEY, store) as client:
            response = await client.get("/hello")
    assert response.text == "hello"
    assert [(r.method, r.path) for r in device.requests] == [("GET", "/hello")]


async def test_changed_certificate_is_refused_and_nothing_reaches_the_device(tmp_path: Path) -> None:
    device = TinyDevice(hello_app())
    store = TrustStore(tmp_path / "trust.json")
    async with serve_device(device) as running:
        original = CertificateDetails.from_der(running.certificate.cert_der)  # type: ignore[union-attr]
        store.trust(KEY, original)
        running.reload_certificate(make_self_signed("Impostor"))

        with pytest.raises(CertificateChangedError) as caught:
            await open_device_client(running.endpoint, KEY, store)
        assert caught.value.trusted_fingerprint == original.fingerprint
        assert caught.value.certificate.fingerprint == running.fingerprint != original.fingerprint
        assert "Impostor" in caught.value.certificate.subject
        assert len(device.requests) == 0
        assert store.blocked(KEY) == caught.value.certificate


async def test_certificate_swapped_mid_session_blocks_the_open_client(tmp_path: Path) -> None:
    device = TinyDevice(hello_app())
    store = TrustStore(tmp_path / "trust.json")
    async with serve_device(device) as running:
        original = CertificateDetails.from_der(running.certificate.cert_der)  # type: ignore[union-attr]
        store.trust(KEY, original)
        async with await open_device_client(running.endpoint, KEY, store) as client:
            first = await client.get("/hello", headers={"Connection": "close"})
            running.reload_certificate(make_self_signed("Impostor"))

            with pytest.raises(CertificateChangedError) as caught:
                await client.get("/hello")
            with pytest.raises(CertificateChangedError):
                await client.get("/hello")
    assert first.text == "hello"
    assert caught.value.trusted_fingerprint == original.fingerprint
    assert "Impostor" in caught.value.certificate.subject
    assert store.blocked(KEY) == caught.value.certificate
    assert [(r.method, r.path) for r in device.requests] == [("GET", "/hello")]


async def test_blocked_device_stays_refused_until_the_user_decides(tmp_path: Path) -> None:
    device = TinyDevice(hello_app())
    store = TrustStore(tmp_path / "trust.json")
    async with serve_device(device) as running:
        original_cert = running.certificate
        assert original_cert is not None
        store.trust(KEY, CertificateDetails.from_der(original_cert.cert_der))
        running.reload_certificate(make_self_signed("Replacement"))
        with pytest.raises(CertificateChangedError) as first:
            await open_device_client(running.endpoint, KEY, store)

        running.reload_certificate(original_cert)  # the old certificate is back: still blocked
        with pytest.raises(CertificateChangedError):
            await open_device_client(running.endpoint, KEY, store)
        assert len(device.requests) == 0

        store.unblock(KEY)  # the user looks again: the pin matches now
        async with await open_device_client(running.endpoint, KEY, store) as client:
            assert (await client.get("/hello")).status_code == 200

        running.reload_certificate(make_self_signed("Replacement 2"))
        with pytest.raises(CertificateChangedError) as second:
            await open_device_client(running.endpoint, KEY, store)
        store.trust(KEY, second.value.certificate)  # the user accepts the new certificate
        async with await open_device_client(running.endpoint, KEY, store) as client:
            assert (await client.get("/hello")).status_code == 200
    assert first.value.certificate.fingerprint != second.value.certificate.fingerprint
    assert [r.path for r in device.requests] == ["/hello", "/hello"]


async def test_replace_expected_pins_the_certificate_the_app_installed(tmp_path: Path) -> None:
    device = TinyDevice(hello_app())
    store = TrustStore(tmp_path / "trust.json")
    async with serve_device(device) as running:
        store.trust(KEY, CertificateDetails.from_der(running.certificate.cert_der))  # type: ignore[union-attr]
        running.reload_certificate(make_self_signed("Uploaded by the app"))
        confirmed = await fetch_certificate(running.endpoint)
        store.replace_expected(KEY, confirmed)
        async with await open_device_client(running.endpoint, KEY, store) as client:
            assert (await client.get("/hello")).text == "hello"
    entry = TrustStore(tmp_path / "trust.json").entry(KEY)
    assert entry is not None
    assert entry.reason == "installed by app"
    assert entry.fingerprint == confirmed.fingerprint
    assert len(device.requests) == 1


async def test_ca_bundle_verifies_a_device_without_a_prompt(tmp_path: Path) -> None:
    ca = make_ca()
    bundle = tmp_path / "vendor-ca.pem"
    bundle.write_bytes(ca.pem)
    other_bundle = tmp_path / "other-ca.pem"
    other_bundle.write_bytes(make_ca("Someone else").pem)
    device = TinyDevice(hello_app())
    store = TrustStore(tmp_path / "trust.json")
    async with serve_device(device, certificate=ca.issue("SBC 1")) as running:
        with pytest.raises(UntrustedCertificateError):
            await open_device_client(running.endpoint, KEY, store, ca_bundle=other_bundle)
        async with await open_device_client(running.endpoint, KEY, store, ca_bundle=bundle) as client:
            assert (await client.get("/hello")).text == "hello"
        store.set_ca_bundle(bundle)  # the setting applies to every device without an argument
        async with await open_device_client(running.endpoint, KEY, store) as client:
            assert (await client.get("/hello")).text == "hello"
    assert store.pinned(KEY) is None
    assert TrustStore(tmp_path / "trust.json").ca_bundle == bundle
    assert [r.path for r in device.requests] == ["/hello", "/hello"]


async def test_plain_http_needs_no_trust(tmp_path: Path) -> None:
    device = TinyDevice(hello_app(), scheme="http")
    store = TrustStore(tmp_path / "trust.json")
    async with serve_device(device) as running:
        async with await open_device_client(running.endpoint, KEY, store) as client:
            response = await client.post("/echo", content=b"ping")
    assert response.json() == {"received": "ping"}
    assert [(r.method, r.path) for r in device.requests] == [("POST", "/echo")]


async def test_pinned_client_refuses_any_other_certificate() -> None:
    device = TinyDevice(hello_app())
    async with serve_device(device) as running:
        async with pinned_client(running.certificate.cert_der) as client:  # type: ignore[union-attr]
            assert (await client.get(f"{running.endpoint.base_url}/hello")).text == "hello"
        async with pinned_client(make_self_signed("Other").cert_der) as client:
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                await client.get(f"{running.endpoint.base_url}/hello")
    assert len(device.requests) == 1


def test_two_stores_on_one_file_see_each_others_changes(tmp_path: Path) -> None:
    path = tmp_path / "trust.json"
    discovery_view, ui_store = TrustStore(path), TrustStore(path)
    first = CertificateDetails.from_der(make_self_signed("Camera 1").cert_der)
    second = CertificateDetails.from_der(make_self_signed("Camera 2").cert_der)
    ui_store.trust("axis:ONE", first)
    assert discovery_view.pinned("axis:ONE") == first.fingerprint
    discovery_view.trust("axis:TWO", second)  # must not drop the pin the other store wrote
    assert ui_store.keys() == ["axis:ONE", "axis:TWO"]
    assert TrustStore(path).keys() == ["axis:ONE", "axis:TWO"]


def _redirecting_app() -> Starlette:
    async def identity(_: Request) -> Response:
        return JSONResponse({"serial": "TEST0001"})

    async def moved(_: Request) -> Response:
        return RedirectResponse("/elsewhere", status_code=302)

    return Starlette(routes=[Route("/identity", identity), Route("/moved", moved)])


async def test_probe_client_identifies_before_trust_and_never_follows_redirects() -> None:
    device = TinyDevice(_redirecting_app())
    async with serve_device(device) as running, probe_client() as client:
        identity = await client.get(f"{running.endpoint.base_url}/identity")
        moved = await client.get(f"{running.endpoint.base_url}/moved")
    assert identity.json() == {"serial": "TEST0001"}
    assert moved.status_code == 302
    assert [(r.path, "authorization" in r.headers) for r in device.requests] == [
        ("/identity", False), ("/moved", False),
    ]


async def test_fetch_certificate_from_a_plain_http_port_is_a_protocol_error() -> None:
    device = TinyDevice(hello_app(), scheme="http")
    async with serve_device(device) as running:
        with pytest.raises(DeviceProtocolError, match="TLS handshake"):
            await fetch_certificate(Endpoint("127.0.0.1", running.endpoint.port))


async def test_https_without_an_identity_key_is_refused_before_any_contact(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="identity key"):
        await open_device_client(Endpoint("127.0.0.1", _free_port()), "", TrustStore(tmp_path / "t.json"))
