"""The simulated cloud answers malformed bodies with its parameter error (LAP000001), never HTTP 500."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.vendors.hikvision.simulator import HikPartnerSimulator
from app.vendors.hikvision.simulator.app import AREA_PREFIX
from tests.unit.hikvision.conftest import TOKEN_HOST


async def area_call(
    http: httpx.AsyncClient, sim: HikPartnerSimulator, path: str, body: Any
) -> httpx.Response:
    """Take a token, then POST `body` as it is to the area host's `path`."""
    token = await http.post(
        f"{TOKEN_HOST}/api/hpcgw/v1/token/get", json={"appKey": sim.app_key, "secretKey": sim.secret_key}
    )
    headers = {"Authorization": f"Bearer {token.json()['data']['accessToken']}"}
    return await http.post(f"{TOKEN_HOST}{AREA_PREFIX}/api/hpcgw/{path}", json=body, headers=headers)


SITE, INSTALLER = "{site}", "{installer}"


def filled(value: Any, site: str, installer: str) -> Any:
    """`value` with the SITE and INSTALLER placeholders replaced by a real site and employee."""
    if isinstance(value, dict):
        return {k: filled(v, site, installer) for k, v in value.items()}
    if isinstance(value, list):
        return [filled(v, site, installer) for v in value]
    return {SITE: site, INSTALLER: installer}.get(value, value) if isinstance(value, str) else value


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("v2/site/assign", {"siteIds": "abc", "installerPermissionTimes": "abc"}),
        ("v2/site/assign", {"siteIds": [[]], "installerPermissionTimes": [{"installerId": INSTALLER}]}),
        ("v2/site/assign", {"siteIds": [SITE], "installerPermissionTimes": ["abc"]}),
        ("v2/site/assign", {"siteIds": [SITE], "installerPermissionTimes": -1}),
        ("v2/site/handover/share", {"siteId": SITE, "batchHcAccount": -1}),
        ("v2/site/handover/share", {"siteId": SITE, "batchHcAccount": ["abc"]}),
        ("v2/site/handover/share", {"siteId": SITE, "batchHcAccount": [{"hcAccount": "a@b.c", "type": "x"}]}),
        ("v2/site/handover/share", {"siteId": SITE, "batchHcAccount": [{"hcAccount": "a@b.c"}],
                                    "userSharePermission": [5]}),
        ("v1/site/customer/cancle", {"siteId": SITE, "hcAccounts": 5}),
        ("v2/device/add", {"siteId": SITE, "deviceList": ["abc"]}),
        ("v1/mq/subscribe", {"subMode": "list", "subType": 0, "deviceSerialList": 1.5}),
    ],
)
async def test_a_wrong_typed_array_is_a_parameter_error(
    http: httpx.AsyncClient, sim: HikPartnerSimulator, path: str, body: dict[str, Any]
) -> None:
    sim.state.add_site({"name": "Warehouse", "timeZone": 27})
    site = next(iter(sim.state.sites))
    answer = await area_call(http, sim, path, filled(body, site, sim.state.company[0].id))
    assert answer.status_code == 200
    assert answer.json()["errorCode"] == "LAP000001"
