"""A Mediant whose REST root needs a login (section 3) is still recognised by its certificate and
authentication challenge, and is opened once its certificate is trusted."""

from __future__ import annotations

from app.backend.session import pinned_client, probe_client
from app.backend.trust import fetch_certificate
from app.core.clock import ManualClock
from app.core.models import Credentials
from app.sim.certs import DeviceCertificate
from app.sim.server import serve_device
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.plugin import PLUGIN
from app.vendors.audiocodes.simulator import AudioCodesSimulator


async def test_a_mediant_that_challenges_on_its_root_is_identified_and_opened() -> None:
    sim = AudioCodesSimulator(serial_index=2, seed=4, clock=ManualClock())
    sim.scenarios.enable("locked_root")
    pair = sim.served_certificate()
    async with serve_device(
        sim, certificate=DeviceCertificate(pair.key_pem, pair.cert_pem, pair.cert_der)
    ) as running:
        async with probe_client() as probe:
            answer = await probe.get(f"{running.endpoint.base_url}/api")
            identity = await PLUGIN.identify(probe, running.endpoint)

        assert answer.status_code == 401
        assert identity is not None
        assert (identity.vendor, identity.model, identity.serial) == (
            "audiocodes",
            "Mediant",
            sim.state.serial,
        )

        trusted = await fetch_certificate(running.endpoint)
        http = pinned_client(trusted.der)
        client = AudioCodesClient(http, running.endpoint, Credentials("Admin", "Admin"), clock=sim.clock)
        try:
            await client.login()
            assert (await client.read_identity()).serial == sim.state.serial
        finally:
            await client.aclose()
            await http.aclose()


async def test_another_basic_challenge_is_not_taken_for_a_mediant() -> None:
    sim = AudioCodesSimulator(serial_index=3, seed=4, clock=ManualClock())
    sim.scenarios.enable("locked_root")
    async with serve_device(sim) as running:  # a generic certificate: nothing names a Mediant
        async with probe_client() as probe:
            assert await PLUGIN.identify(probe, running.endpoint) is None
