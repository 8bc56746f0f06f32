"""A device whose serial is only known after login (Mediant with a CA-issued certificate): pinned by address,
then under the serial it logged in as; found again there, its certificate change shown as a change."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.certificates import CertificateDetails
from app.core.clock import SystemClock
from app.core.errors import IdentityMismatchError
from app.core.models import Credentials, DeviceCandidate, DeviceIdentity
from app.core.progress import ProgressReporter
from app.sim.certs import make_self_signed
from app.sim.server import serve_device
from app.site.connection import OPEN_STAGES, ConnectionState, DeviceConnection
from app.site.prompts import CredentialQuestion, TrustQuestion
from app.vendors.audiocodes.plugin import PLUGIN
from tests.unit.site.support import FakePrompts, Site, make_site, row_for

MEDIANT = DeviceIdentity(vendor="audiocodes", model="Mediant")  # what the probe learns: no serial


def reporter() -> ProgressReporter:
    return ProgressReporter(OPEN_STAGES)


async def open_unknown_sbc(site: Site, candidate: DeviceCandidate) -> object:
    connection = DeviceConnection(site.connector, row_for(site, candidate), candidate)
    opened = await connection.open(reporter())
    if opened is not None:
        await opened.aclose()
    return opened


async def test_pinned_by_address_then_by_serial_and_found_again_with_its_credentials(tmp_path: Path) -> None:
    sbc = PLUGIN.create_simulator(serial_index=7, seed=1, clock=SystemClock())
    credentials = Credentials(sbc.info.username, sbc.info.password)
    prompts = FakePrompts(credentials=credentials)
    site = make_site(tmp_path, prompts)
    certificate = make_self_signed("sbc.site.example", organization="Site CA")  # no ACL_<serial> name
    async with serve_device(sbc, certificate=certificate) as running:
        address_key = f"audiocodes@{running.endpoint.host}:{running.endpoint.port}"
        serial_key = f"audiocodes:{sbc.info.serial}"
        candidate = DeviceCandidate(running.endpoint, MEDIANT, identified=True)
        connection = DeviceConnection(site.connector, row_for(site, candidate), candidate)
        opened = await connection.open(reporter())
        assert opened is not None
        await opened.aclose()
        assert [q.identity_key for q in prompts.asked if isinstance(q, TrustQuestion)] == [address_key]
        assert opened.identity.key == serial_key
        assert site.trust.pinned(serial_key) == running.fingerprint
        assert site.trust.entry(address_key) is None  # moved to the serial...
        assert site.trust.pinned(address_key) == running.fingerprint  # ...and found from the address
        assert site.trust.alias(address_key) == serial_key
        assert site.credentials.device_credentials(serial_key) == credentials
        actions = [(e.action, e.result) for e in site.history.entries(serial_key)]
        assert ("Certificate", "pinned to the serial read after login") in actions

        asked_before = len(prompts.asked)
        again = await open_unknown_sbc(site, candidate)  # next visit: no question at all
        assert again is not None
        assert len(prompts.asked) == asked_before

        first_fingerprint = running.fingerprint
        running.reload_certificate(make_self_signed("sbc.site.example", organization="Someone"))
        prompts.trust = False
        assert await open_unknown_sbc(site, candidate) is None
    question = prompts.asked[-1]
    assert isinstance(question, TrustQuestion)
    assert question.changed
    assert question.identity_key == serial_key
    assert question.trusted_fingerprint == first_fingerprint
    assert site.trust.pinned(serial_key) == first_fingerprint  # the technician kept it


async def test_a_serial_pinned_to_another_certificate_is_re_pinned_only_if_asked(tmp_path: Path) -> None:
    sbc = PLUGIN.create_simulator(serial_index=8, seed=1, clock=SystemClock())
    credentials = Credentials(sbc.info.username, sbc.info.password)
    prompts = FakePrompts(trust_answers=[True, False], credentials=credentials)
    site = make_site(tmp_path, prompts)
    serial_key = f"audiocodes:{sbc.info.serial}"
    earlier = make_self_signed("sbc.site.example", organization="Site CA, last year")
    site.trust.trust(serial_key, CertificateDetails.from_der(earlier.cert_der))
    pinned_before = site.trust.pinned(serial_key)
    served = make_self_signed("sbc.site.example", organization="Site CA")
    async with serve_device(sbc, certificate=served) as running:
        candidate = DeviceCandidate(running.endpoint, MEDIANT, identified=True)
        connection = DeviceConnection(site.connector, row_for(site, candidate), candidate)
        assert await connection.open(reporter()) is None
        address_key = f"audiocodes@{running.endpoint.host}:{running.endpoint.port}"
    first, second = [q for q in prompts.asked if isinstance(q, TrustQuestion)]
    assert (first.identity_key, first.changed) == (address_key, False)
    assert (second.identity_key, second.changed) == (serial_key, True)
    assert second.trusted_fingerprint == pinned_before
    assert site.trust.pinned(serial_key) == pinned_before
    assert site.trust.entry(address_key) is None
    assert site.credentials.device_credentials(serial_key) is None
    assert connection.state is ConnectionState.DECLINED
    assert len([q for q in prompts.asked if isinstance(q, CredentialQuestion)]) == 1



async def test_another_device_at_a_known_address_is_stopped_even_with_the_pinned_certificate(
    tmp_path: Path,
) -> None:
    known_serial_key = "audiocodes:SBC-LAST-VISIT"
    sbc = PLUGIN.create_simulator(serial_index=9, seed=1, clock=SystemClock())  # not that one
    prompts = FakePrompts()
    site = make_site(tmp_path, prompts)
    served = make_self_signed("sbc.site.example", organization="Site CA")
    async with serve_device(sbc, certificate=served) as running:
        candidate = DeviceCandidate(running.endpoint, MEDIANT, identified=True)
        site.trust.trust(known_serial_key, CertificateDetails.from_der(served.cert_der))
        site.trust.set_alias(candidate.address_key, known_serial_key)
        remembered = Credentials(sbc.info.username, sbc.info.password)
        site.credentials.save_device_credentials(known_serial_key, remembered)
        connection = DeviceConnection(site.connector, row_for(site, candidate), candidate)
        with pytest.raises(IdentityMismatchError, match=known_serial_key):
            await connection.open(reporter())
    assert prompts.asked == []
    assert site.trust.alias(candidate.address_key) == known_serial_key
    assert site.trust.pinned(f"audiocodes:{sbc.info.serial}") is None
