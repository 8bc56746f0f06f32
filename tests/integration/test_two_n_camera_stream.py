"""The camera's live view over a real loopback HTTPS connection: the simulated intercom pushes JPEGs as
multipart/x-mixed-replace (§5.8.2, `fps` >= 1) and the client reads them whole, bounded and in order."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from PIL import Image

from app.backend.session import pinned_client
from app.core.clock import SystemClock
from app.core.errors import DeviceTimeoutError
from app.core.models import Credentials
from app.sim.server import RunningDevice, serve_device
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.endpoints import Service
from app.vendors.two_n.errors import TwoNInvalidParameterError
from app.vendors.two_n.simulator import TwoNSimulator
from app.vendors.two_n.simulator.camera import STREAM_STALLS
from app.vendors.two_n.simulator.security import ServiceSettings
from tests.waiting import wait_until


@pytest.fixture
async def intercom() -> AsyncIterator[tuple[TwoNSimulator, RunningDevice]]:
    sim = TwoNSimulator(serial_index=0, seed=4, clock=SystemClock())
    async with serve_device(sim) as running:
        yield sim, running


@pytest.fixture
async def client(intercom: tuple[TwoNSimulator, RunningDevice]) -> AsyncIterator[TwoNClient]:
    sim, running = intercom
    async with pinned_client(running.certificate.cert_der) as http:
        yield TwoNClient(http, running.endpoint, Credentials(sim.info.username, sim.info.password))


async def test_frames_arrive_as_jpegs_of_the_asked_size_and_the_stream_closes_with_the_reader(
    intercom: tuple[TwoNSimulator, RunningDevice], client: TwoNClient
) -> None:
    sim, _ = intercom
    frames: list[bytes] = []
    async with client.camera_stream(320, 240, 10, "external") as stream:
        async for jpeg in stream:
            frames.append(jpeg)
            if len(frames) == 4:
                break
        assert sim.camera_streams == 1
    for jpeg in frames:
        with Image.open(io.BytesIO(jpeg)) as image:
            assert (image.format, image.size) == ("JPEG", (320, 240))
    assert len(set(frames)) == 4  # each frame carries its own number
    await wait_until(lambda: sim.camera_streams == 0)  # the intercom stopped sending once the app left
    asked = sim.requests.for_path("/api/camera/snapshot")[-1]
    assert asked.params() == {"width": "320", "height": "240", "source": "external", "fps": "10"}


async def test_wrong_parameters_come_back_in_the_envelope(client: TwoNClient) -> None:
    with pytest.raises(TwoNInvalidParameterError) as refused:
        async with client.camera_stream(333, 222, 5):
            pass
    assert refused.value.param == "width"


async def test_a_stream_that_stalls_ends_as_a_timeout(
    intercom: tuple[TwoNSimulator, RunningDevice], client: TwoNClient
) -> None:
    sim, _ = intercom
    sim.scenarios.enable(STREAM_STALLS)
    received: list[bytes] = []

    async def watch() -> None:
        async with client.camera_stream(160, 120, 5, patience=0.6) as stream:
            async for jpeg in stream:
                received.append(jpeg)

    with pytest.raises(DeviceTimeoutError, match="The camera sent no picture for 1 s"):
        await watch()
    assert len(received) == 2


async def test_time_with_fps_gives_one_frame_from_memory(client: TwoNClient) -> None:
    response = await client.api.send("GET", "/api/camera/snapshot",
                                     params={"width": 160, "height": 120, "fps": 5, "time": -5})
    assert response.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.size == (160, 120)
    with pytest.raises(TwoNInvalidParameterError) as refused:
        await client.api.send("GET", "/api/camera/snapshot",
                              params={"width": 160, "height": 120, "time": -31})
    assert refused.value.param == "time"


async def test_a_camera_service_set_to_digest_streams_after_the_challenge(
    intercom: tuple[TwoNSimulator, RunningDevice], client: TwoNClient
) -> None:
    sim, _ = intercom
    sim.services[Service.CAMERA] = ServiceSettings(auth="digest")
    async with client.camera_stream(160, 120, 5) as stream:
        first = await anext(stream)
    with Image.open(io.BytesIO(first)) as image:
        assert image.size == (160, 120)
    asked = sim.requests.for_path("/api/camera/snapshot")
    assert [r.status for r in asked] == [401, 200]
    assert asked[-1].headers["authorization"].startswith("Digest ")
