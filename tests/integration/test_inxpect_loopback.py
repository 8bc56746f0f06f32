"""The MSK-101-POE simulator over loopback TLS: identify, default password, live frames, firmware update."""

from __future__ import annotations

from app.backend.session import pinned_client, probe_client
from app.core.clock import SystemClock
from app.core.models import Credentials
from app.core.progress import ProgressReporter
from app.sim.server import serve_device
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.firmware import UPDATE_STAGES, FirmwareUpdater, prepare_update
from app.vendors.inxpect.ifw import read_ifw
from app.vendors.inxpect.ifw_builder import firmware_package
from app.vendors.inxpect.plugin import PLUGIN
from app.vendors.inxpect.simulator import InxpectSimulator
from tests.waiting import read_until


async def test_identify_change_default_password_and_see_live_frames() -> None:
    sim = PLUGIN.create_simulator(serial_index=7, seed=3, clock=SystemClock())
    async with serve_device(sim) as running:
        async with probe_client() as probe:
            identity = await PLUGIN.identify(probe, running.endpoint)
        assert identity is not None
        assert identity.vendor == "inxpect"
        assert running.certificate is not None
        async with pinned_client(running.certificate.cert_der) as http:
            client = PLUGIN.create_client(http, running.endpoint, Credentials("", sim.info.password))
            await client.login()
            assert client.password_is_default
            await client.change_password("commissioned-1")
            assert (await client.read_identity()).key == "inxpect:20007"
            first = await client.read_detections()
            latest = await read_until(client.read_detections, lambda seen: seen.acq_idx >= first.acq_idx + 5)
            assert latest.fps == 100
            await client.aclose()
        assert isinstance(sim, InxpectSimulator)
        assert not sim.tokens


async def test_firmware_update_over_tls_then_session_recovers_after_reboot() -> None:
    sim = InxpectSimulator(device_id=20008, seed=3, clock=SystemClock(), password="commissioned-1",
                           file_chunk_size=32 * 1024)
    async with serve_device(sim) as running:
        assert running.certificate is not None
        async with pinned_client(running.certificate.cert_der) as http:
            client = InxpectClient(http, running.endpoint, Credentials("", "commissioned-1"))
            await client.login()
            plan = await prepare_update(client, read_ifw(firmware_package(0, 1102, 200 * 1024), "sensor.ifw"))
            info = await FirmwareUpdater(client, plan).run(ProgressReporter(UPDATE_STAGES))
            assert info.sensor.fw_version == 1102
            chunks = [r for r in sim.requests if r.path == "/chunkFileUpdate"]
            assert chunks[-1].headers["content-range"] == "bytes 196608-204799/204800"
            assert [r.path for r in sim.requests][-3:] == ["/sensorInfo", "/login", "/sensorInfo"]
