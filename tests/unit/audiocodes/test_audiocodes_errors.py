"""Every documented status becomes a typed error with the device's description; 409 is retryable."""

from __future__ import annotations

import httpx
import pytest

from app.core.errors import (
    AuthenticationError,
    DeviceBusyError,
    DeviceProtocolError,
    InvalidParameterError,
    NotSupportedError,
    PermissionDeniedError,
)
from app.core.models import Credentials
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.errors import AudioCodesBusyError, AudioCodesError

from .conftest import BASE, ENDPOINT, Rig, calls, make_rig


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, InvalidParameterError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotSupportedError),
        (405, NotSupportedError),
        (406, DeviceProtocolError),
        (409, DeviceBusyError),
        (500, DeviceProtocolError),
    ],
)
async def test_documented_statuses_map_to_typed_errors(status: int, expected: type[Exception]) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json={"description": f"reason {status}"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer), base_url=BASE) as http:
        client = AudioCodesClient(http, ENDPOINT, Credentials("Admin", "Admin"))
        with pytest.raises(expected) as caught:
            await client.license()
    assert isinstance(caught.value, AudioCodesError)
    assert caught.value.code == status
    assert caught.value.detail == f"reason {status}"
    assert f"reason {status}" in str(caught.value)
    assert seen[0].url.path == "/api/v1/license"


async def test_2xx_statuses_are_success(rig: Rig) -> None:
    page = await rig.client.alarms("active", after="9999")
    assert rig.sent[-1].params()["after"] == "9999"
    assert page.alarms == ()


async def test_ha_synchronisation_answers_409_and_a_retry_succeeds_later(rig: Rig) -> None:
    rig.sim.begin_ha_sync(30)
    with pytest.raises(AudioCodesBusyError) as caught:
        await rig.client.save_configuration()
    assert caught.value.code == 409
    assert caught.value.retryable
    assert "HA synchronization" in str(caught.value)
    assert (await rig.client.status()).serial_number  # reads still work while syncing

    rig.clock.advance(31)
    await rig.client.save_configuration()
    assert calls(rig.sent)[-1] == "POST /api/v1/actions/saveConfiguration"


async def test_reset_during_ha_sync_is_refused(rig: Rig) -> None:
    rig.sim.scenarios.enable("ha_sync")
    with pytest.raises(DeviceBusyError):
        await rig.client.reset()
    assert not rig.sim.state.is_down()


async def test_license_key_on_an_ha_pair_needs_the_file(sim, clock) -> None:
    sim.scenarios.enable("ha_pair")
    rig = await make_rig(sim, clock)
    with pytest.raises(AudioCodesBusyError) as caught:
        await rig.client.install_license_key("whatever", sim.state.serial)
    assert "Use license file instead" in str(caught.value)
    await rig.http.aclose()


async def test_pem_validation_answers_400(rig: Rig) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        await rig.client.upload_certificate("0", b"MIIB not a pem file")
    assert caught.value.code == 400
    assert "PEM" in str(caught.value)
