"""User levels: the simulator's 403/405 per table 2-2, and which actions the panel offers."""

from __future__ import annotations

import pytest

from app.core.errors import NotSupportedError, PermissionDeniedError
from app.vendors.audiocodes.permissions import Action, UserLevel, permission

from .conftest import calls, make_rig


async def test_monitor_reads_status_and_alarms_but_is_forbidden_the_rest(sim, clock) -> None:
    rig = await make_rig(sim, clock, "monitor")
    assert (await rig.client.status()).serial_number == sim.state.serial
    assert (await rig.client.alarms("active")).alarms
    with pytest.raises(PermissionDeniedError) as caught:
        await rig.client.license()
    assert caught.value.code == 403
    with pytest.raises(PermissionDeniedError):
        await rig.client.save_configuration()
    assert calls(rig.sent)[-1] == "POST /api/v1/actions/saveConfiguration"
    await rig.http.aclose()


async def test_administrator_may_save_but_not_touch_tls_or_install_license(sim, clock) -> None:
    rig = await make_rig(sim, clock, "operator")
    await rig.client.save_configuration()
    assert (await rig.client.license()).serial_number == sim.state.serial
    with pytest.raises(PermissionDeniedError):
        await rig.client.tls_contexts()
    with pytest.raises(PermissionDeniedError):
        await rig.client.install_license_key("k", sim.state.serial)
    with pytest.raises(PermissionDeniedError):
        await rig.client.download_ini()
    await rig.http.aclose()


async def test_unsupported_method_answers_405(sim, clock) -> None:
    rig = await make_rig(sim, clock)
    response = await rig.http.delete("/api/v1/status", auth=("Admin", "Admin"))
    assert response.status_code == 405
    with pytest.raises(NotSupportedError):
        await rig.client._call("PUT", "/status")
    await rig.http.aclose()


def test_permission_names_the_level_needed() -> None:
    denied = permission(UserLevel.MONITOR, Action.INSTALL_LICENSE)
    assert not denied.allowed
    assert denied.reason == (
        "Install a license needs a Security Administrator user; you are logged in as Monitor."
    )
    assert permission(UserLevel.ADMINISTRATOR, Action.SAVE_CONFIGURATION).allowed
    assert not permission(UserLevel.ADMINISTRATOR, Action.MANAGE_CERTIFICATES).allowed
    assert all(permission(UserLevel.SECURITY_ADMINISTRATOR, action).allowed for action in Action)
