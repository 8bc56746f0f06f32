"""AxisClient against the simulator: each method's outgoing JSON and decoded answer."""

from __future__ import annotations

import pytest

from app.core.errors import AuthenticationError
from app.core.models import Credentials
from app.vendors.axis.client import AxisClient
from app.vendors.axis.models import ApiVersion, RotationAxis
from app.vendors.axis.simulator import AxisSimulator

from .conftest import ENDPOINT, stitching_bodies


async def test_login_negotiates_the_highest_understood_version_with_digest(
    client: AxisClient, sim: AxisSimulator
) -> None:
    await client.login()
    assert client.api_version == ApiVersion(3, 0)
    assert client.auth.scheme == "digest"
    body = stitching_bodies(sim)[0]
    assert body["method"] == "getSupportedVersions"
    assert "apiVersion" not in body
    assert str(body["context"]).startswith("commissioner-")


async def test_every_later_call_carries_the_negotiated_version(
    client: AxisClient, sim: AxisSimulator
) -> None:
    await client.get_blending_amount()
    bodies = stitching_bodies(sim)
    assert [b["method"] for b in bodies] == ["getSupportedVersions", "getBlendingAmount"]
    assert bodies[1]["apiVersion"] == "3.0"
    assert "params" not in bodies[1]


async def test_wrong_password_is_an_authentication_error(http, sim: AxisSimulator) -> None:  # type: ignore[no-untyped-def]
    client = AxisClient.connect(http, ENDPOINT, Credentials("root", "wrong"))
    with pytest.raises(AuthenticationError):
        await client.login()
    assert stitching_bodies(sim) == []


async def test_get_capabilities_decodes_methods_and_limits(client: AxisClient, sim: AxisSimulator) -> None:
    capabilities = await client.get_capabilities()
    assert stitching_bodies(sim)[-1] == {
        "apiVersion": "3.0",
        "context": stitching_bodies(sim)[-1]["context"],
        "method": "getCapabilities",
    }
    assert capabilities.supports("rotateAngle")
    assert capabilities.supports("restore")
    assert list(capabilities.limits.sensor_ids) == [0, 1, 2, 3]
    assert (capabilities.limits.angle_min, capabilities.limits.angle_max) == (-180.0, 180.0)
    assert (capabilities.limits.parallax_min, capabilities.limits.parallax_max) == (1.0, 50.0)


async def test_set_then_get_blending_amount(client: AxisClient, sim: AxisSimulator) -> None:
    await client.set_blending_amount(75.0)
    assert stitching_bodies(sim)[-1]["params"] == {"blendingAmount": 75.0}
    assert stitching_bodies(sim)[-1]["method"] == "setBlendingAmount"
    assert await client.get_blending_amount() == 75.0
    assert sim.state.blending == 75.0


async def test_parallax_is_read_from_the_misspelt_field(client: AxisClient, sim: AxisSimulator) -> None:
    await client.set_parallax_compensation_distance(20.0)
    assert stitching_bodies(sim)[-1]["params"] == {"parallaxCompensationDistance": 20.0}
    assert await client.get_parallax_compensation_distance() == 20.0
    assert sim.state.misspelt_parallax_field


@pytest.mark.parametrize("scenarios", [("documented_parallax_field",)])
async def test_parallax_is_read_from_the_documented_field(client: AxisClient, sim: AxisSimulator) -> None:
    assert await client.get_parallax_compensation_distance() == 10.0
    assert not sim.state.misspelt_parallax_field


@pytest.mark.parametrize(
    ("axis", "angle"), [(RotationAxis.PAN, 0.05), (RotationAxis.TILT, 0.15), (RotationAxis.ROLL, -0.2)]
)
async def test_rotate_angle_sends_id_axis_angle(
    client: AxisClient, sim: AxisSimulator, axis: RotationAxis, angle: float
) -> None:
    before = sim.state.sensors[2].effective(axis.value)
    await client.rotate_angle(2, axis, angle)
    assert stitching_bodies(sim)[-1]["params"] == {"id": 2, "axis": axis.value, "angle": angle}
    assert sim.state.sensors[2].effective(axis.value) == pytest.approx(before + angle)


async def test_restore_sends_the_sensor_id_and_resets_it(client: AxisClient, sim: AxisSimulator) -> None:
    await client.rotate_angle(0, RotationAxis.PAN, 0.5)
    await client.set_blending_amount(10.0)
    await client.restore(0)
    assert stitching_bodies(sim)[-1]["params"] == {"id": 0}
    assert sim.state.sensors[0].correction == {"pan": 0.0, "tilt": 0.0, "roll": 0.0}
    assert sim.state.blending == 50.0


async def test_snapshot_is_a_jpeg_that_changes_with_a_nudge(client: AxisClient) -> None:
    first = await client.snapshot()
    await client.rotate_angle(1, RotationAxis.TILT, 0.5)
    second = await client.snapshot()
    assert first[:2] == b"\xff\xd8"
    assert second[:2] == b"\xff\xd8"
    assert first != second


@pytest.mark.parametrize("scenarios", [("basic_auth_only",)])
async def test_basic_is_used_when_the_device_offers_only_basic(
    client: AxisClient, sim: AxisSimulator
) -> None:
    await client.login()
    assert client.auth.scheme == "basic"
    assert stitching_bodies(sim)[0]["method"] == "getSupportedVersions"


async def test_expired_nonce_is_answered_again_after_a_stale_challenge(
    client: AxisClient, sim: AxisSimulator, clock
) -> None:  # type: ignore[no-untyped-def]
    await client.login()
    clock.advance(3600)
    assert await client.get_blending_amount() == 50.0
    assert [b["method"] for b in stitching_bodies(sim)] == ["getSupportedVersions", "getBlendingAmount"]


async def test_read_identity_uses_basic_device_info(client: AxisClient, sim: AxisSimulator) -> None:
    identity = await client.read_identity()
    assert identity.serial == sim.info.serial
    assert identity.model == "AXIS Q3819-PVE"
    assert identity.firmware == "11.11.73"
    assert identity.mac == sim.info.mac
    assert sim.requests[0].json()["method"] == "getAllUnrestrictedProperties"
