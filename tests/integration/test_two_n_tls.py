"""A simulated 2N intercom as a real HTTPS server on loopback: probe, Digest, display, firmware, events."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator

import pytest
from PIL import Image

from app.backend.session import pinned_client, probe_client
from app.core.clock import SystemClock
from app.core.models import Credentials
from app.core.progress import ProgressReporter
from app.sim.server import RunningDevice, serve_device
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.image import ConversionOptions, FitMode, convert_image_async, target_for
from app.vendors.two_n.models import SwitchAction
from app.vendors.two_n.plugin import PLUGIN
from app.vendors.two_n.simulator import TwoNSimulator, build_firmware
from app.vendors.two_n.transfers import (
    DISPLAY_UPLOAD_STAGES,
    FIRMWARE_APPLY_STAGES,
    FIRMWARE_UPLOAD_STAGES,
    apply_firmware,
    upload_display_image,
    upload_firmware,
)
from tests.waiting import wait_until


@pytest.fixture
async def intercom() -> AsyncIterator[tuple[TwoNSimulator, RunningDevice]]:
    sim = TwoNSimulator(serial_index=1, seed=9, clock=SystemClock(), reboot_seconds=2.0)
    async with serve_device(sim) as running:
        yield sim, running


async def test_probe_identifies_then_digest_login_over_pinned_tls(intercom) -> None:
    sim, running = intercom
    async with probe_client() as probe:
        identity = await PLUGIN.identify(probe, running.endpoint)
    assert identity is not None
    assert (identity.model, identity.serial) == ("2N IP Vario", sim.serial)
    async with pinned_client(running.certificate.cert_der) as http:
        credentials = Credentials(sim.info.username, sim.info.password)
        client = PLUGIN.create_client(http, running.endpoint, credentials)
        await client.login()
        assert (await client.read_identity()).key == identity.key


async def test_display_picture_reaches_the_screen(intercom) -> None:
    sim, running = intercom
    source = io.BytesIO()
    Image.new("RGB", (4000, 3000), (250, 200, 0)).save(source, "JPEG", progressive=True)
    async with pinned_client(running.certificate.cert_der) as http:
        client = TwoNClient(http, running.endpoint, Credentials(sim.info.username, sim.info.password))
        target = target_for("2N IP Vario", await client.display_caps())
        image = await convert_image_async(source.getvalue(), target, ConversionOptions(FitMode.FILL))
        await upload_display_image(client, target.display, image, ProgressReporter(DISPLAY_UPLOAD_STAGES),
                                   duration_ms=60_000)
        screen = await client.simulator_screen(target.display)
    with Image.open(io.BytesIO(screen)) as shown:
        assert shown.size == (320, 240)
        assert shown.convert("RGB").getpixel((160, 120)) == pytest.approx((250, 200, 0), abs=8)


async def test_firmware_update_restarts_and_reconnects(intercom) -> None:
    sim, running = intercom
    async with pinned_client(running.certificate.cert_der) as http:
        client = TwoNClient(http, running.endpoint, Credentials(sim.info.username, sim.info.password))
        upload = await upload_firmware(client, build_firmware("vario", "2.38.2.52.0", size=1_000_000),
                                       "vario.bin", ProgressReporter(FIRMWARE_UPLOAD_STAGES))
        info = await apply_firmware(client, upload, ProgressReporter(FIRMWARE_APPLY_STAGES), SystemClock(),
                                    poll_interval=0.3)
    assert info.sw_version == "2.38.2.52.0"


async def test_long_poll_over_the_network(intercom) -> None:
    sim, running = intercom
    async with pinned_client(running.certificate.cert_der) as http:
        client = TwoNClient(http, running.endpoint, Credentials(sim.info.username, sim.info.password))
        channel = await client.log_subscribe(events=("SwitchStateChanged",))
        pull = asyncio.ensure_future(client.log_pull(channel, timeout=20))
        await wait_until(lambda: _pull_waiting(sim, channel))  # the trigger must wake a waiting long poll
        await client.switch_control(2, SwitchAction.TRIGGER)
        events = await asyncio.wait_for(pull, 10)
        assert [e.event for e in events] == ["SwitchStateChanged"]
        await client.log_unsubscribe(channel)


def _pull_waiting(sim: TwoNSimulator, channel_id: int) -> bool:
    """True once the simulator holds a long poll open on this channel."""
    channel = sim.events.channel(channel_id)
    return channel is not None and channel.pulls_waiting > 0
