"""The Axis client against the simulator served over real HTTPS on loopback, with a pinned certificate."""

from __future__ import annotations

from app.backend.session import pinned_client, probe_client
from app.core.clock import ManualClock
from app.core.models import Credentials
from app.sim.server import serve_device
from app.vendors.axis.models import RotationAxis
from app.vendors.axis.plugin import PLUGIN
from app.vendors.axis.simulator import AxisSimulator


async def test_identify_login_nudge_and_snapshot_over_tls() -> None:
    sim = AxisSimulator(serial_index=2, seed=9, clock=ManualClock())
    async with serve_device(sim) as running:
        assert running.certificate is not None
        async with probe_client() as probe:
            identity = await PLUGIN.identify(probe, running.endpoint)
        assert identity is not None
        assert identity.serial == sim.info.serial
        async with pinned_client(running.certificate.cert_der) as http:
            client = PLUGIN.create_client(http, running.endpoint, Credentials("root", sim.password))
            await client.login()
            assert client.auth.scheme == "digest"
            await client.rotate_angle(3, RotationAxis.TILT, -0.1)
            jpeg = await client.snapshot()
    assert jpeg[:2] == b"\xff\xd8"
    assert sim.state.sensors[3].correction["tilt"] == -0.1
    bodies = [r.json() for r in sim.requests.for_path("/axis-cgi/stitching.cgi")]
    assert bodies[-1]["params"] == {"id": 3, "axis": "tilt", "angle": -0.1}


async def test_basic_only_camera_over_tls() -> None:
    sim = AxisSimulator(serial_index=4, seed=9, clock=ManualClock())
    sim.scenarios.enable("basic_auth_only")
    async with serve_device(sim) as running:
        assert running.certificate is not None
        async with pinned_client(running.certificate.cert_der) as http:
            client = PLUGIN.create_client(http, running.endpoint, Credentials("root", sim.password))
            await client.set_blending_amount(0.0)
            assert client.auth.scheme == "basic"
            assert await client.get_blending_amount() == 0.0
    assert sim.state.blending == 0.0
