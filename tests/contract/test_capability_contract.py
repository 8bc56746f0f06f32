"""Every capability a vendor's client declares, exercised against that vendor's simulator over HTTPS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from app.core.clock import Clock
from app.core.errors import AuthenticationError, DefaultPasswordError
from app.core.models import Credentials
from app.core.progress import Progress, ProgressReporter
from app.sim.server import RunningDevice
from app.vendors.base import AnyPlugin, Capability, SetsFirstPassword, capabilities_of
from app.vendors.simulation import BODY_KEPT, RecordedRequest
from tests.contract.support import assert_one_shape, logged_in
from tests.contract.vendor_cases import CASES, FIRST_PASSWORD, UNDER_CONTRACT, VendorCase

DECLARED = [
    (plugin, capability) for plugin in UNDER_CONTRACT for capability in capabilities_of(plugin.client_type)
]


@dataclass(frozen=True, slots=True)
class Rig:
    """One vendor's served simulator, a pinned httpx client on it, and what the contract knows of it."""

    plugin: AnyPlugin
    running: RunningDevice
    http: httpx.AsyncClient
    clock: Clock
    case: VendorCase
    tmp_path: Path

    async def client(self, password: str = "") -> Any:
        """A logged-in client, first password set."""
        return await logged_in(self.plugin, self.running, self.http, self.clock, password)

    def received_since(self, count: int) -> list[RecordedRequest]:
        """The requests the simulator received after its first `count`."""
        return list(self.running.device.requests)[count:]


async def log_in_and_out(rig: Rig) -> None:
    client = await rig.client()
    await client.aclose()
    again = await rig.client(FIRST_PASSWORD if isinstance(client, SetsFirstPassword) else "")
    await again.aclose()


async def read_identity(rig: Rig) -> None:
    client = await rig.client()
    identity = await client.read_identity()
    assert identity.vendor == rig.plugin.vendor_id
    assert identity.key


async def update_firmware(rig: Rig) -> None:
    assert rig.case.firmware is not None, "the contract needs a firmware file this simulator accepts"
    firmware = rig.case.firmware(rig.running.device)
    image = rig.tmp_path / firmware.name
    image.write_bytes(firmware.data)
    client = await rig.client()
    stages = client.firmware_update_stages()
    seen: list[Progress] = []
    running_now = await client.update_firmware(image, ProgressReporter(stages, seen.append))
    assert running_now.startswith(firmware.version)
    reported = list(dict.fromkeys(progress.stage for progress in seen))
    assert reported[0] == stages[0]
    assert reported == [stage for stage in stages if stage in reported]  # in the declared order
    assert (await client.read_identity()).firmware.startswith(firmware.version)


async def set_first_password(rig: Rig) -> None:
    info = rig.running.device.info
    factory = Credentials(info.username, info.password)
    client = rig.plugin.create_client(rig.http, rig.running.endpoint, factory)
    await client.login()
    assert client.needs_first_password(), "the simulator starts as a device out of the box"
    with pytest.raises(DefaultPasswordError):
        await client.read_identity()
    await client.set_first_password(FIRST_PASSWORD)
    assert not client.needs_first_password()
    await client.read_identity()
    changed = Credentials(info.username, FIRST_PASSWORD)
    again = rig.plugin.create_client(rig.http, rig.running.endpoint, changed)
    await again.login()
    assert not again.needs_first_password()
    stale = rig.plugin.create_client(rig.http, rig.running.endpoint, factory)
    with pytest.raises(AuthenticationError):
        await stale.login()


async def back_up_configuration(rig: Rig) -> None:
    client = await rig.client()
    backup = await client.backup_configuration()
    assert isinstance(backup, bytes)
    assert 0 < len(backup) < BODY_KEPT
    drift = rig.case.drift
    undone = drift(rig.running.device) if drift is not None else None
    sent_before = len(rig.running.device.requests)
    await client.restore_configuration(backup)
    if undone is not None:
        assert undone(), "the restore put back what changed since the backup"
        return
    carried = [r for r in rig.received_since(sent_before) if backup in r.body]
    assert carried, "the restore sent the backup as it was read"


async def copy_configuration(rig: Rig) -> None:
    client = await rig.client()
    settings = await client.read_settings()
    assert settings.values
    assert settings.identity <= set(settings.values)
    assert rig.case.setting_change is not None, "the contract needs a setting the device takes a new value of"
    name, changed = rig.case.setting_change(settings)
    assert name not in settings.identity
    assert settings.values[name] != changed
    sent_before = len(rig.running.device.requests)
    await client.write_settings({name: changed})
    assert any(changed.encode() in r.body for r in rig.received_since(sent_before))
    after = (await client.read_settings()).values
    assert after[name] == changed
    assert {key: value for key, value in after.items() if key != name} == {
        key: value for key, value in settings.values.items() if key != name}


async def set_time(rig: Rig) -> None:
    moment = 1_900_000_000
    client = await rig.client()
    sent_before = len(rig.running.device.requests)
    await client.set_time(moment)
    sent = rig.received_since(sent_before)
    assert any(str(moment) in r.query or str(moment).encode() in r.body for r in sent)


async def align_stitching(rig: Rig) -> None:
    client = await rig.client()
    sent_before = len(rig.running.device.requests)
    await client.set_blending_amount(30.0)
    await client.set_parallax_compensation_distance(12.0)
    await client.restore(0)
    assert_one_shape(rig.received_since(sent_before))


async def install_certificate(rig: Rig) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "contract.example")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30)).sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    context = rig.case.certificate_context
    assert context, "the contract needs a TLS context id to install into"
    client = await rig.client()
    sent_before = len(rig.running.device.requests)
    await client.upload_private_key(context, key_pem)
    await client.upload_certificate(context, cert_pem)
    sent = rig.received_since(sent_before)
    assert any(key_pem in r.body for r in sent)
    assert any(cert_pem in r.body for r in sent)


async def register_to_cloud(rig: Rig) -> None:
    assert rig.case.cloud_site is not None, "the contract needs a way to make a site in the cloud account"
    client = await rig.client()
    site = await rig.case.cloud_site(client)
    device = rig.running.device.info.extra["devices"][0]
    await client.register_device(site, device["serial"], device["validateCode"])
    await client.register_device(site, device["serial"], device["validateCode"])  # already there: fine


EXERCISES: dict[Capability, Callable[[Rig], Awaitable[None]]] = {
    Capability.LOG_IN: log_in_and_out,
    Capability.READ_IDENTITY: read_identity,
    Capability.UPDATE_FIRMWARE: update_firmware,
    Capability.SET_FIRST_PASSWORD: set_first_password,
    Capability.BACK_UP_CONFIGURATION: back_up_configuration,
    Capability.COPY_CONFIGURATION: copy_configuration,
    Capability.SET_TIME: set_time,
    Capability.ALIGN_STITCHING: align_stitching,
    Capability.INSTALL_CERTIFICATE: install_certificate,
    Capability.REGISTER_TO_CLOUD: register_to_cloud,
}


def test_every_capability_has_an_exercise() -> None:
    assert set(EXERCISES) == set(Capability)


@pytest.mark.parametrize(
    ("plugin", "capability"), DECLARED, ids=[f"{p.vendor_id}-{c.name.lower()}" for p, c in DECLARED]
)
async def test_a_declared_capability_works_against_the_simulator(
    plugin: AnyPlugin,
    capability: Capability,
    running: RunningDevice,
    http: httpx.AsyncClient,
    clock: Clock,
    tmp_path: Path,
) -> None:
    rig = Rig(plugin, running, http, clock, CASES[plugin.vendor_id], tmp_path)
    await EXERCISES[capability](rig)
    assert_one_shape(list(running.device.requests))
