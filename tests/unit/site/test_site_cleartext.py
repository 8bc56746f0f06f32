"""Nothing secret over plain HTTP unless the technician allowed it for that one device."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.backend.credentials import SiteCredential
from app.core.certificates import CertificateDetails
from app.core.clock import ManualClock
from app.core.errors import CleartextRefusedError
from app.core.models import Credentials, DeviceCandidate, DeviceIdentity, Endpoint
from app.core.progress import ProgressReporter
from app.sim.certs import make_self_signed
from app.sim.server import serve_device
from app.site.connection import OPEN_STAGES, ConnectionState, DeviceConnection
from app.site.prompts import CleartextQuestion, CredentialQuestion
from app.vendors.base import SimulatedDevice
from app.vendors.registry import plugin_for
from tests.unit.site.secrets_seen import served_over, usernames
from tests.unit.site.support import FakePrompts, Site, make_site, row_for

STORED = "stored-pass-1"
SITE = "site-pass-2"


def plain_http_camera(serial_index: int) -> Any:
    simulator = plugin_for("axis").create_simulator(serial_index=serial_index, seed=5, clock=ManualClock())
    return served_over(simulator, "http")


def candidate_for(device: SimulatedDevice, endpoint: Endpoint) -> DeviceCandidate:
    return DeviceCandidate(endpoint, DeviceIdentity("axis", device.info.model, device.info.serial), True)


def with_known_passwords(site: Site, key: str) -> None:
    site.credentials.save_device_credentials(key, Credentials("stored-user", STORED))
    site.credentials.set_site_credentials([SiteCredential("site", "site-user", SITE)])


async def test_declined_plain_http_sends_nothing_and_is_recorded(tmp_path: Path) -> None:
    device = plain_http_camera(11)
    prompts = FakePrompts(cleartext=False, credentials=Credentials("root", "typed"))
    site = make_site(tmp_path, prompts)
    async with serve_device(device) as running:
        candidate = candidate_for(device, running.endpoint)
        key = row_for(site, candidate)
        with_known_passwords(site, key)
        connection = DeviceConnection(site.connector, key, candidate)
        assert await connection.open(ProgressReporter(OPEN_STAGES)) is None
    assert len(device.requests) == 0
    assert [type(q) for q in prompts.asked] == [CleartextQuestion]
    assert connection.state is ConnectionState.DECLINED
    entry = site.history.entries(key)[0]
    assert (entry.action, entry.result) == ("Unencrypted connection", "refused")
    assert not site.inventory.get(key).cleartext_allowed  # type: ignore[union-attr]


async def test_allowed_plain_http_never_tries_stored_or_site_passwords(tmp_path: Path) -> None:
    device = plain_http_camera(12)
    typed = Credentials(device.info.username, device.info.password)
    prompts = FakePrompts(cleartext=True, credentials=typed)
    site = make_site(tmp_path, prompts)
    async with serve_device(device) as running:
        candidate = candidate_for(device, running.endpoint)
        key = row_for(site, candidate)
        with_known_passwords(site, key)
        opened = await DeviceConnection(site.connector, key, candidate).open(ProgressReporter(OPEN_STAGES))
        assert opened is not None
        await opened.aclose()
    assert usernames(device.requests) == {device.info.username}  # only what the technician typed
    assert all(STORED.encode() not in r.body and SITE.encode() not in r.body for r in device.requests)
    kinds = [type(q) for q in prompts.asked]
    assert kinds == [CleartextQuestion, CredentialQuestion]
    question = prompts.asked[1]
    assert isinstance(question, CredentialQuestion)
    assert question.cleartext
    assert site.inventory.get(key).cleartext_allowed  # type: ignore[union-attr]
    actions = [(e.action, e.result) for e in site.history.entries(key)]
    assert ("Unencrypted connection", "allowed by the technician") in actions


async def test_a_pinned_device_is_never_contacted_over_plain_http(tmp_path: Path) -> None:
    device = plain_http_camera(13)
    prompts = FakePrompts(cleartext=True, credentials=Credentials("root", "typed"))
    site = make_site(tmp_path, prompts)
    async with serve_device(device) as running:
        candidate = candidate_for(device, running.endpoint)
        key = row_for(site, candidate)
        site.trust.trust(key, CertificateDetails.from_der(make_self_signed("The real camera").cert_der))
        with pytest.raises(CleartextRefusedError, match="plain HTTP"):
            await DeviceConnection(site.connector, key, candidate).open(ProgressReporter(OPEN_STAGES))
    assert len(device.requests) == 0
    assert prompts.asked == []
