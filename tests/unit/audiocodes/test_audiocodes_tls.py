"""TLS context files: list, private key (status, upload, generate), certificate, CSR, trusted roots."""

from __future__ import annotations

import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.core.errors import InvalidParameterError
from app.vendors.audiocodes.models import SubjectFields

from .conftest import Rig
from .pki_helpers import SiteCa


async def test_contexts_and_key_status(rig: Rig) -> None:
    contexts = await rig.client.tls_contexts()
    assert rig.sent[-1].path == "/api/v1/files/tls"
    assert [(c.id, c.name) for c in contexts] == [("0", "default"), ("1", "SIP trunk"), ("2", "Teams")]

    info = await rig.client.private_key("2")
    assert rig.sent[-1].path == "/api/v1/files/tls/2/privateKey"
    assert (info.size, info.valid) == (2048, True)


async def test_generate_key_sizes(rig: Rig) -> None:
    await rig.client.generate_private_key("1", 512)
    assert json.loads(rig.sent[-1].body) == {"size": 512}
    assert (await rig.client.private_key("1")).size == 512
    with pytest.raises(ValueError):
        await rig.client.generate_private_key("1", 3072)


async def test_upload_encrypted_private_key_with_password(rig: Rig) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"s3cret-pass"),
    )
    with pytest.raises(InvalidParameterError):
        await rig.client.upload_private_key("1", pem, password="wrong-pass")

    await rig.client.upload_private_key("1", pem, password="s3cret-pass")

    request = rig.sent[-1]
    assert request.path == "/api/v1/files/tls/1/privateKey"
    assert "password" not in request.query
    assert b'name="password"' in request.body
    assert b'filename="key.pem"' in request.body
    info = await rig.client.private_key("1")
    assert (info.size, info.valid) == (1024, False)  # the old certificate does not match the new key


async def test_self_signed_certificate_for_the_current_key(rig: Rig) -> None:
    await rig.client.generate_private_key("2", 1024)
    await rig.client.generate_self_signed("2", SubjectFields(common_name="lync-gw.company.com", country="US"))

    assert json.loads(rig.sent[-1].body) == {"subjectName": "lync-gw.company.com", "countryCode": "US"}
    certificate = x509.load_pem_x509_certificate(await rig.client.certificate("2"))
    assert certificate.subject.rfc4514_string() == "C=US,CN=lync-gw.company.com"
    assert (await rig.client.private_key("2")).valid


async def test_csr_defaults_to_the_device_sha1_when_asked(rig: Rig) -> None:
    csr_pem = await rig.client.certificate_request("0", SubjectFields(common_name="sbc"), "sha1")
    assert json.loads(rig.sent[-1].body) == {"subjectName": "sbc", "signatureAlgorithm": "sha1"}
    csr = x509.load_pem_x509_csr(csr_pem)
    assert csr.signature_hash_algorithm is not None
    assert csr.signature_hash_algorithm.name == "sha1"


async def test_trusted_root_store_replace_and_add(rig: Rig) -> None:
    assert await rig.client.trusted_roots("0") == b""  # empty store answers 400 "no content"
    first, second = SiteCa.create("Root A"), SiteCa.create("Root B")

    await rig.client.replace_trusted_roots("0", first.pem)
    assert rig.sent[-1].path == "/api/v1/files/tls/0/trustedRoot"
    await rig.client.add_trusted_root("0", second.pem)
    assert rig.sent[-1].path == "/api/v1/files/tls/0/trustedRoot/incremental"

    names = [
        c.subject.rfc4514_string()
        for c in x509.load_pem_x509_certificates(await rig.client.trusted_roots("0"))
    ]
    assert names == ["CN=Root A", "CN=Root B"]
    await rig.client.replace_trusted_roots("0", second.pem)
    assert len(x509.load_pem_x509_certificates(await rig.client.trusted_roots("0"))) == 1


async def test_save_configuration_without_zero_content_length_is_refused(rig: Rig) -> None:
    response = await rig.http.post(
        "/api/v1/actions/saveConfiguration",
        auth=("Admin", "Admin"),
        content=b"{}",
    )
    assert response.status_code == 400
    assert "Content-Length: 0" in response.json()["description"]
