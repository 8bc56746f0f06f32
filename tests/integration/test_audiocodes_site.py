"""A Mediant run by the simulated site (as `commissioner sim` and the demo run it) serves TLS context 0."""

from __future__ import annotations

from datetime import timedelta

from app.backend.session import pinned_client
from app.backend.trust import fetch_certificate
from app.core.clock import ManualClock
from app.core.models import Credentials
from app.sim.site import run_site
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.models import SubjectFields
from app.vendors.audiocodes.simulator import AudioCodesSimulator
from tests.unit.audiocodes.pki_helpers import SiteCa


async def test_site_serves_the_certificate_installed_in_context_zero() -> None:
    clock = ManualClock()
    async with run_site(["audiocodes"], 1, clock=clock, advertise=False) as site:
        running = site.devices[0]
        sim = running.device
        assert isinstance(sim, AudioCodesSimulator)
        served = await fetch_certificate(running.endpoint)
        assert served.der == sim.served_certificate().cert_der  # context 0's certificate from the start
        http = pinned_client(served.der)
        client = AudioCodesClient(http, running.endpoint, Credentials("Admin", "Admin"), clock=clock)
        try:
            await client.generate_private_key("0", 2048)
            csr = await client.certificate_request("0", SubjectFields(common_name="127.0.0.1"), "sha256")
            signed = SiteCa.create(now=clock.now()).sign(csr, not_before=clock.now() - timedelta(hours=1))
            await client.upload_certificate("0", signed)
        finally:
            await client.aclose()
            await http.aclose()

        now_served = await fetch_certificate(running.endpoint)
        assert now_served.fingerprint != served.fingerprint
        assert now_served.der == sim.served_certificate().cert_der
        assert running.fingerprint == now_served.fingerprint
