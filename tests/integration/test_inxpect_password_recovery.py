"""Password recovery over real loopback HTTPS: a sensor without power answers nothing useful, the reset goes
in the window after start-up, and a sensor that never answers ends the watch at its bound."""

from __future__ import annotations

import asyncio
import socket

import pytest

from app.backend.session import pinned_client, probe_client
from app.core.clock import SystemClock
from app.core.errors import DeviceError
from app.core.models import Credentials, Endpoint
from app.sim.server import serve_device
from app.vendors.base import RecoveryProgress
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.password_recovery import RecoveryPhase, RecoveryStatus, recover_password
from app.vendors.inxpect.plugin import PLUGIN
from app.vendors.inxpect.simulator import InxpectSimulator


async def test_the_plugins_recovery_resets_a_power_cycled_sensor_over_https() -> None:
    clock = SystemClock()
    sim = InxpectSimulator(device_id=20041, seed=1, clock=clock, password="Forgotten-20041")
    async with serve_device(sim) as running:
        assert running.certificate is not None
        sim.reboot(at=clock.monotonic() - 60)  # it has been running a minute: the window is closed
        seen: list[RecoveryProgress] = []

        def report(progress: RecoveryProgress) -> None:
            seen.append(progress)
            if len(seen) == 1:
                sim.scenarios.enable("power_cycle")  # the technician unplugs it now

        async with pinned_client(running.certificate.cert_der) as http:
            await asyncio.wait_for(PLUGIN.password_recovery(http, running.endpoint)(report), timeout=30)
    texts = [progress.text for progress in seen]
    assert texts[0] == RecoveryPhase.POWER_CYCLE.value
    assert RecoveryPhase.SENSOR_OFF.value in texts
    assert seen[-1].done
    assert sim.password_is_default
    assert [r.status for r in sim.requests.for_path("/comboardReset")][-1] == 200


async def test_a_sensor_that_never_answers_ends_the_watch_at_its_bound() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    async with probe_client() as http:
        client = InxpectClient(http, Endpoint("127.0.0.1", port), Credentials("", ""))
        seen: list[RecoveryStatus] = []
        with pytest.raises(DeviceError, match="not seen restarting"):
            await recover_password(client, SystemClock(), seen.append, watch_s=2.5)
    assert {status.phase for status in seen} == {RecoveryPhase.SENSOR_OFF}
    assert 2 <= len(seen) <= 4
