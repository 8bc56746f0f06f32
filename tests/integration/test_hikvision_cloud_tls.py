"""The simulated Hik-Partner Pro cloud over real TLS on loopback: identify, sign in, register, events."""

from __future__ import annotations

from app.backend.session import pinned_client, probe_client
from app.core.clock import ManualClock
from app.core.models import Credentials
from app.sim.server import serve_device
from app.vendors.hikvision.models import DeviceToAdd, OnlineStatus
from app.vendors.hikvision.plugin import PLUGIN
from app.vendors.hikvision.simulator import AREA_PREFIX, HikPartnerSimulator


async def test_cloud_flow_over_pinned_tls() -> None:
    clock = ManualClock()
    sim = PLUGIN.create_simulator(serial_index=0, seed=11, clock=clock)
    assert isinstance(sim, HikPartnerSimulator)
    assert sim.info.model == "Hik-Partner Pro cloud"
    assert sim.info.advert is None
    async with serve_device(sim) as running:
        async with probe_client() as probe:
            identity = await PLUGIN.identify(probe, running.endpoint)
        assert identity is not None
        assert identity.vendor == "hikvision"
        # no credentials probed
        assert [seen.json() for seen in sim.requests] == [{"appKey": "", "secretKey": ""}]

        assert running.certificate is not None
        async with pinned_client(running.certificate.cert_der) as http:
            client = PLUGIN.create_client(
                http, running.endpoint, Credentials(sim.info.username, sim.info.password)
            )
            await client.login()
            assert client.session.area_domain == f"https://127.0.0.1:{running.endpoint.port}{AREA_PREFIX}"
            site = await client.add_site("Loopback site", 136)
            first = sim.info.extra["devices"][0]
            [outcome] = await client.add_devices(
                site.id, [DeviceToAdd(first["serial"], first["validateCode"])]
            )
            assert outcome.added
            clock.advance(6)
            device = await client.find_device(first["serial"])
            assert device is not None
            assert device.online is OnlineStatus.ONLINE
            info = await client.isapi("GET", "/ISAPI/System/deviceInfo", first["serial"])
            assert f"<model>{first['model']}</model>" in info.body
            batch = await client.poll_events()
            assert [m.event_type for m in batch.messages] == ["deviceadded"]
            await client.confirm_events(batch.batch_id)
    area_paths = {seen.path.split("/api/")[0] for seen in sim.requests if "token/get" not in seen.path}
    assert area_paths == {AREA_PREFIX}
