"""Every documented stitching error code becomes a typed error with the document's meaning."""

from __future__ import annotations

import httpx
import pytest

from app.core.errors import (
    DeviceBusyError,
    DeviceError,
    DeviceProtocolError,
    InvalidParameterError,
    NotSupportedError,
)
from app.core.models import Credentials
from app.vendors.axis.client import AxisClient, choose_version
from app.vendors.axis.errors import (
    ERRORS,
    AxisCalibrationError,
    AxisConfigurationFileError,
    AxisError,
    AxisInternalError,
    AxisStitchingDisabledError,
    AxisStitchingFailedError,
    AxisVersionNotSupportedError,
)
from app.vendors.axis.models import ApiVersion, RotationAxis
from app.vendors.axis.simulator import AxisSimulator

from .conftest import ENDPOINT, stitching_bodies

DOCUMENTED_CODES = [1000, 2000, *range(2200, 2215), 2003, 4001, 4002, 8000, 8002]
GENERIC_PARENT = {
    1000: InvalidParameterError,
    2000: DeviceBusyError,
    2003: NotSupportedError,
    2004: NotSupportedError,
    2202: DeviceError,
    2208: NotSupportedError,
    2212: NotSupportedError,
    2213: NotSupportedError,
    2214: NotSupportedError,
    4001: InvalidParameterError,
    4002: InvalidParameterError,
}


def test_every_documented_code_has_a_typed_error() -> None:
    assert set(DOCUMENTED_CODES) <= set(ERRORS)
    for error_type, meaning in ERRORS.values():
        assert issubclass(error_type, AxisError)
        assert issubclass(error_type, DeviceError)
        assert meaning.endswith(".")


# 2003 makes the client renegotiate once; its own tests are under "version negotiation" below.
@pytest.mark.parametrize("code", [code for code in DOCUMENTED_CODES if code != 2003])
async def test_device_error_code_raises_its_typed_error(
    client: AxisClient, sim: AxisSimulator, code: int
) -> None:
    await client.login()
    sim.state.fail_next.append(code)
    with pytest.raises(AxisError) as caught:
        await client.rotate_angle(1, RotationAxis.PAN, 0.1)
    expected_type, meaning = ERRORS[code]
    assert type(caught.value) is expected_type
    assert caught.value.code == code
    assert caught.value.message == f"rotateAngle: {meaning}"
    assert isinstance(caught.value, GENERIC_PARENT.get(code, DeviceError))
    assert stitching_bodies(sim)[-1]["params"] == {"id": 1, "axis": "pan", "angle": 0.1}
    assert sim.state.sensors[1].correction["pan"] == 0.0


@pytest.mark.parametrize(
    ("code", "family"),
    [
        (2205, AxisCalibrationError),
        (2210, AxisConfigurationFileError),
        (8002, AxisInternalError),
        (2203, AxisStitchingFailedError),
    ],
)
def test_error_families(code: int, family: type[AxisError]) -> None:
    assert ERRORS[code][0] is family


async def test_unknown_code_is_still_a_device_error() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "apiVersion": "3.0",
                "method": "getBlendingAmount",
                "error": {"code": 9999, "message": "Something new."},
            },
        )

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        client = AxisClient.connect(http, ENDPOINT, Credentials("root", "pw"))
        client._version = ApiVersion(3, 0)
        with pytest.raises(AxisError) as caught:
            await client.get_blending_amount()
    assert caught.value.code == 9999
    assert caught.value.detail == "Something new."


async def test_non_json_answer_is_a_protocol_error() -> None:
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(lambda r: httpx.Response(200, text="<html>"))
    ) as http:
        client = AxisClient.connect(http, ENDPOINT, Credentials("root", "pw"))
        with pytest.raises(DeviceProtocolError):
            await client.get_supported_versions()


@pytest.mark.parametrize("scenarios", [("blending_disabled",)])
async def test_blending_disabled_is_2214(client: AxisClient, sim: AxisSimulator) -> None:
    with pytest.raises(AxisStitchingDisabledError) as caught:
        await client.set_blending_amount(20.0)
    assert caught.value.code == 2214
    assert sim.state.blending == 50.0


@pytest.mark.parametrize("scenarios", [("stitching_disabled",)])
async def test_stitching_disabled_mode_is_2212(client: AxisClient, sim: AxisSimulator) -> None:
    with pytest.raises(AxisStitchingDisabledError) as caught:
        await client.restore(0)
    assert caught.value.code == 2212


@pytest.mark.parametrize("scenarios", [("parallax_unsupported",)])
async def test_method_reported_unsupported_is_2004(client: AxisClient, sim: AxisSimulator) -> None:
    capabilities = await client.get_capabilities()
    assert not capabilities.supports("setParallaxCompensationDistance")
    with pytest.raises(NotSupportedError) as caught:
        await client.set_parallax_compensation_distance(5.0)
    assert caught.value.code == 2004


# -- version negotiation -------------------------------------------------------------------------------


def test_choose_version_takes_the_format_the_client_sends() -> None:
    assert choose_version(["1.0", "2.1", "3.0"]) == ApiVersion(3, 0)
    assert choose_version(["3.2", "junk"]) == ApiVersion(3, 0)  # a 3.x camera takes 3.0 requests
    with pytest.raises(AxisVersionNotSupportedError):
        choose_version(["1.4", "2.1", "4.0"])  # no 3.x: the client would send a format it does not know


@pytest.mark.parametrize("scenarios", [("legacy_api_only",)])
async def test_a_legacy_camera_is_refused_before_any_call(client: AxisClient, sim: AxisSimulator) -> None:
    with pytest.raises(AxisVersionNotSupportedError) as caught:
        await client.get_blending_amount()
    assert "sends requests in the 3.0 format" in caught.value.message
    assert [b["method"] for b in stitching_bodies(sim)] == ["getSupportedVersions"]


@pytest.mark.parametrize("scenarios", [("future_api_only",)])
async def test_camera_with_no_understood_version_is_refused_before_any_call(
    client: AxisClient, sim: AxisSimulator
) -> None:
    with pytest.raises(AxisVersionNotSupportedError) as caught:
        await client.get_capabilities()
    assert caught.value.code == 2003
    assert [b["method"] for b in stitching_bodies(sim)] == ["getSupportedVersions"]


async def test_a_2003_after_a_firmware_change_renegotiates_once(
    client: AxisClient, sim: AxisSimulator
) -> None:
    await client.login()
    sim.state.versions = ("1.0", "2.1")  # the camera was downgraded while the panel was open
    with pytest.raises(AxisVersionNotSupportedError):
        await client.get_blending_amount()
    methods = [(b["method"], b.get("apiVersion")) for b in stitching_bodies(sim)]
    assert methods[-2:] == [("getBlendingAmount", "3.0"), ("getSupportedVersions", None)]


async def test_device_answers_2003_for_a_version_it_does_not_support(
    client: AxisClient, sim: AxisSimulator
) -> None:
    await client.login()
    sim.state.versions = ("4.0",)
    with pytest.raises(AxisVersionNotSupportedError) as caught:
        await client.get_capabilities()
    assert caught.value.code == 2003
    assert [b["method"] for b in stitching_bodies(sim)][-2:] == ["getCapabilities", "getSupportedVersions"]
