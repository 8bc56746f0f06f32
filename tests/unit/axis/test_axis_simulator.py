"""The simulated camera enforces the document's limits and codes and renders a changing panorama."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.vendors.axis.simulator import AxisSimulator
from app.vendors.axis.simulator.stitching import handle


def call(sim: AxisSimulator, method: str, params: Any = None, version: Any = "3.0") -> dict[str, Any]:
    body: dict[str, Any] = {"apiVersion": version, "context": "t", "method": method}
    if params is not None:
        body["params"] = params
    return handle(sim.state, body)


@pytest.mark.parametrize(
    ("method", "params", "code"),
    [
        ("rotateAngle", {"id": 4, "axis": "pan", "angle": 0.1}, 1000),
        ("rotateAngle", {"id": 0, "axis": "yaw", "angle": 0.1}, 1000),
        ("rotateAngle", {"id": 0, "axis": "pan", "angle": 181}, 1000),
        ("rotateAngle", {"id": 0, "axis": "pan"}, 4001),
        ("rotateAngle", {"id": 0, "axis": "pan", "angle": "0.1"}, 4002),
        ("rotateAngle", {"id": 0, "axis": 3, "angle": 0.1}, 4002),
        ("setBlendingAmount", {"blendingAmount": 101}, 1000),
        ("setBlendingAmount", {"blendingAmount": True}, 4002),
        ("setParallaxCompensationDistance", {"parallaxCompensationDistance": 0.5}, 1000),
        ("setParallaxCompensationDistance", {}, 4001),
        ("restore", {"id": -1}, 1000),
        ("noSuchMethod", None, 2004),
    ],
)
def test_limits_and_types_are_enforced(sim: AxisSimulator, method: str, params: Any, code: int) -> None:
    answer = call(sim, method, params)
    assert answer["error"]["code"] == code
    assert answer["context"] == "t"
    assert "data" not in answer


def test_accumulated_rotation_beyond_the_hard_limit_is_refused(sim: AxisSimulator) -> None:
    for _ in range(2):
        assert "data" in call(sim, "rotateAngle", {"id": 0, "axis": "roll", "angle": 90})
    assert call(sim, "rotateAngle", {"id": 0, "axis": "roll", "angle": 1})["error"]["code"] == 1000
    assert sim.state.sensors[0].correction["roll"] == 180


def test_missing_version_and_unsupported_version(sim: AxisSimulator) -> None:
    assert call(sim, "getCapabilities", version=None)["error"]["code"] == 4001
    assert call(sim, "getCapabilities", version="2.9")["error"]["code"] == 2003
    assert call(sim, "getCapabilities", version="2.1")["apiVersion"] == "2.1"
    assert handle(sim.state, {"method": "getSupportedVersions"})["data"] == {
        "apiVersions": ["1.0", "2.1", "3.0"]
    }


def test_starts_misaligned_and_is_deterministic_per_seed(clock) -> None:  # type: ignore[no-untyped-def]
    first = AxisSimulator(serial_index=0, seed=5, clock=clock)
    again = AxisSimulator(serial_index=0, seed=5, clock=clock)
    assert first.misalignment() > 0.2
    assert first.state.sensors[1].mounting_error == again.state.sensors[1].mounting_error


def test_correcting_every_sensor_aligns_the_panorama(sim: AxisSimulator) -> None:
    for sensor_id, sensor in sim.state.sensors.items():
        for axis, error in sensor.mounting_error.items():
            call(sim, "rotateAngle", {"id": sensor_id, "axis": axis, "angle": -error})
    assert sim.misalignment() == pytest.approx(0.0, abs=1e-9)


def seam_mismatch(jpeg: bytes, sim: AxisSimulator) -> float:
    import io

    import numpy as np
    from PIL import Image

    image = np.asarray(Image.open(io.BytesIO(jpeg)).convert("L"), dtype=np.float32)
    seams = sim.renderer.seam_positions(4)
    return float(np.mean([np.abs(image[:, s - 2] - image[:, s + 1]).mean() for s in seams]))


async def test_snapshot_seams_improve_as_alignment_improves(
    sim: AxisSimulator, http: httpx.AsyncClient
) -> None:
    auth = httpx.DigestAuth("root", sim.password)
    sim.state.blending = 0.0
    misaligned = await http.get("/axis-cgi/jpg/image.cgi", auth=auth)
    assert misaligned.status_code == 200
    assert misaligned.headers["content-type"] == "image/jpeg"
    for sensor in sim.state.sensors.values():
        sensor.correction = {axis: -error for axis, error in sensor.mounting_error.items()}
    sim.state.parallax = 30.0  # the street's distance: its buildings line up exactly
    aligned = await http.get("/axis-cgi/jpg/image.cgi", auth=auth)
    assert seam_mismatch(aligned.content, sim) < seam_mismatch(misaligned.content, sim) * 0.7


async def test_snapshot_needs_credentials_and_a_known_resolution(
    sim: AxisSimulator, http: httpx.AsyncClient
) -> None:
    unauthenticated = await http.get("/axis-cgi/jpg/image.cgi")
    assert unauthenticated.status_code == 401
    assert unauthenticated.headers["www-authenticate"].startswith("Digest ")
    bad = await http.get(
        "/axis-cgi/jpg/image.cgi", params={"resolution": "7x7"}, auth=httpx.DigestAuth("root", sim.password)
    )
    assert bad.status_code == 400
    small = await http.get(
        "/axis-cgi/jpg/image.cgi",
        params={"resolution": "960x270"},
        auth=httpx.DigestAuth("root", sim.password),
    )
    assert small.status_code == 200
    assert small.content[:2] == b"\xff\xd8"
