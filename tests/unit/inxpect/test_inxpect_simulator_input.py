"""The simulated MSK-101-POE answers malformed input with its errorCode form, never HTTP 500."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.unit.inxpect.conftest import NEW_PASSWORD


async def put(http: httpx.AsyncClient, path: str, body: Any) -> httpx.Response:
    """Log in, then PUT `body` as it is (no client-side validation in the way)."""
    token = (await http.put("/login", json={"password": NEW_PASSWORD})).json()["token"]
    return await http.put(path, json=body, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize("sensitivity", [384, 484, 127, 229, 75])
async def test_alarm_sensitivity_must_be_a_flagged_percentage_byte(
    http: httpx.AsyncClient, sensitivity: int
) -> None:
    answer = await put(http, "/sensorConfiguration", {"configuration": {"alarmSensitivity": sensitivity}})
    assert answer.status_code == 200
    assert answer.json()["errorCode"] != 0


@pytest.mark.parametrize("zone", [{"min": "abc", "max": 100}, {"min": 0, "max": [1]}, {"min": 1.5, "max": 2}])
async def test_a_non_numeric_zone_bound_is_refused_in_the_vendor_form(
    http: httpx.AsyncClient, zone: dict[str, Any]
) -> None:
    answer = await put(http, "/sensorConfiguration", {"configuration": {"ssManualZones": [zone]}})
    assert answer.status_code == 200
    assert answer.json()["errorCode"] != 0


@pytest.mark.parametrize("destination", ["abc", None, [0], 1.5, True])
async def test_a_non_numeric_update_destination_is_refused_in_the_vendor_form(
    http: httpx.AsyncClient, destination: object
) -> None:
    answer = await put(http, "/startProcessUpdate", {"dst": destination})
    assert answer.status_code == 200
    assert answer.json()["errorCode"] != 0
