"""DeviceConnection against real loopback simulators, with fake prompts standing in for the technician."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.backend.trust import fetch_certificate
from app.core.clock import ManualClock
from app.core.errors import IdentityMismatchError
from app.core.models import Credentials, DeviceCandidate, DeviceIdentity, DeviceState, Endpoint
from app.core.progress import ProgressReporter
from app.sim.server import serve_device
from app.site.connection import OPEN_STAGES, ConnectionState, DeviceConnection
from app.site.prompts import CredentialQuestion, TrustQuestion
from app.vendors.base import SimulatedDevice
from app.vendors.inxpect.simulator import InxpectSimulator
from app.vendors.registry import plugin_for
from tests.unit.site.support import FakePrompts, make_site, row_for

S = ConnectionState


def axis(serial_index: int = 3) -> Any:
    return plugin_for("axis").create_simulator(serial_index=serial_index, seed=3, clock=ManualClock())


def reporter() -> ProgressReporter:
    return ProgressReporter(OPEN_STAGES)


def as_probed(device: SimulatedDevice, endpoint: Endpoint) -> DeviceCandidate:
    info = device.info
    return DeviceCandidate(endpoint, DeviceIdentity("axis", info.model, info.serial), identified=True)


async def test_first_open_walks_every_state_and_closing_ends_it(tmp_path: Path) -> None:
    device = axis()
    prompts = FakePrompts(credentials=Credentials(device.info.username, device.info.password))
    site = make_site(tmp_path, prompts)
    async with serve_device(device) as running:
        candidate = as_probed(device, running.endpoint)
        key = row_for(site, candidate)
        connection = DeviceConnection(site.connector, key, candidate)
        opened = await connection.open(reporter())
        assert opened is not None
        assert connection.trail == [S.NEW, S.CHECKING_CERTIFICATE, S.AWAITING_TRUST, S.CHECKING_CERTIFICATE,
                                    S.LOGGING_IN, S.AWAITING_CREDENTIALS, S.VERIFYING_IDENTITY, S.OPEN]
        assert site.states(key) is DeviceState.ONLINE
        assert site.trust.pinned(key) == running.fingerprint
        assert site.credentials.device_credentials(key) == prompts.credentials
        await opened.aclose()
    assert connection.state is S.CLOSED


async def test_the_device_must_be_who_it_was_opened_as(tmp_path: Path) -> None:
    device = axis(4)
    prompts = FakePrompts(credentials=Credentials(device.info.username, device.info.password))
    site = make_site(tmp_path, prompts)
    async with serve_device(device) as running:
        claimed = DeviceIdentity("axis", "P3818-PVE", "ACCC8E999999")
        impostor = DeviceCandidate(running.endpoint, claimed, identified=True)
        key = row_for(site, impostor)
        connection = DeviceConnection(site.connector, key, impostor)
        with pytest.raises(IdentityMismatchError, match="not the device you trusted"):
            await connection.open(reporter())
        sent = len(device.requests)
    assert connection.state is S.FAILED
    assert site.trust.pinned(key) is None  # the pin made on the way in is taken back
    assert site.credentials.device_credentials(key) is None
    # Reading the identity (device info, then capabilities) was the last thing sent to it.
    assert device.requests[-1].path in {"/axis-cgi/basicdeviceinfo.cgi", "/axis-cgi/stitching.cgi"}
    assert sent == len(device.requests)


async def test_a_certificate_pinned_to_another_device_is_named_in_the_trust_question(tmp_path: Path) -> None:
    device = axis(5)
    prompts = FakePrompts(trust=False)
    site = make_site(tmp_path, prompts)
    async with serve_device(device) as running:
        site.trust.trust("axis:ACCC8E000001", await fetch_certificate(running.endpoint))
        candidate = as_probed(device, running.endpoint)
        connection = DeviceConnection(site.connector, row_for(site, candidate), candidate)
        assert await connection.open(reporter()) is None
    question = prompts.asked[0]
    assert isinstance(question, TrustQuestion)
    assert question.pinned_to == ("axis:ACCC8E000001",)
    assert not question.changed
    assert connection.state is S.DECLINED
    assert len(device.requests) == 0


async def test_the_login_question_offers_a_password_recovery_only_where_the_vendor_has_one(
    tmp_path: Path,
) -> None:
    radar = InxpectSimulator(device_id=20031, seed=1, clock=ManualClock(), password="Radar-20031-pw")
    camera = axis(5)
    offered = {}
    for device, vendor in ((radar, "inxpect"), (camera, "axis")):
        prompts = FakePrompts(credentials=Credentials(device.info.username, device.info.password))
        site = make_site(tmp_path / vendor, prompts)
        async with serve_device(device) as running:
            info = device.info
            candidate = DeviceCandidate(running.endpoint, DeviceIdentity(vendor, info.model, info.serial),
                                        identified=True)
            connection = DeviceConnection(site.connector, row_for(site, candidate), candidate)
            opened = await connection.open(reporter())
            assert opened is not None
            await opened.aclose()
        questions = [q for q in prompts.asked if isinstance(q, CredentialQuestion)]
        offered[vendor] = questions[0].recover is not None
    assert offered == {"inxpect": True, "axis": False}
