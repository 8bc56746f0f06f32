"""AudioCodesClient against the simulated Mediant: each call's request and its decoded result."""

from __future__ import annotations

import base64
import json

import pytest

from app.core.errors import AuthenticationError
from app.core.models import Credentials
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.models import HighAvailability, OperationalState
from app.vendors.audiocodes.permissions import UserLevel
from app.vendors.audiocodes.simulator.licensing import BASE_FEATURES

from .conftest import ENDPOINT, Rig, calls, drive


async def test_status_sends_basic_auth_and_decodes_every_field(rig: Rig) -> None:
    status = await rig.client.status()

    request = rig.sent[-1]
    assert (request.method, request.path) == ("GET", "/api/v1/status")
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"Admin:Admin").decode()
    assert status.serial_number == rig.sim.state.serial
    assert status.product_type == "Mediant 800"
    assert status.version == "7.20A.200.014"
    assert status.operational_state is OperationalState.UNLOCKED
    assert status.high_availability is HighAvailability.NOT_OPERATIONAL
    assert status.local_time == rig.clock.now().replace(microsecond=0)
    assert status.save_needed is False


async def test_login_detects_each_user_level(sim, clock) -> None:
    from .conftest import make_rig

    for username, level in (
        ("Admin", UserLevel.SECURITY_ADMINISTRATOR),
        ("operator", UserLevel.ADMINISTRATOR),
        ("monitor", UserLevel.MONITOR),
    ):
        rig = await make_rig(sim, clock, username)
        await rig.client.login()
        assert rig.client.user_level is level
        assert calls(rig.sent)[0] == "GET /api/v1/status"
        await rig.http.aclose()


async def test_wrong_password_is_an_authentication_error(rig: Rig) -> None:
    client = AudioCodesClient(rig.http, ENDPOINT, Credentials("Admin", "wrong"))
    with pytest.raises(AuthenticationError) as caught:
        await client.login()
    assert caught.value.code == 401


async def test_read_identity_comes_from_status(rig: Rig) -> None:
    identity = await rig.client.read_identity()
    assert identity.vendor == "audiocodes"
    assert identity.serial == rig.sim.state.serial
    assert identity.mac == rig.sim.state.mac
    assert identity.key == f"audiocodes:{rig.sim.state.serial}"


async def test_license_read_and_key_install(rig: Rig) -> None:
    from app.vendors.audiocodes.simulator.licensing import EXTENDED_FEATURES, mint_license_key

    before = await rig.client.license()
    assert before.serial_number == rig.sim.state.serial
    assert before.description == BASE_FEATURES
    key = mint_license_key(rig.sim.state.serial, EXTENDED_FEATURES)

    await rig.client.install_license_key(key, rig.sim.state.serial)

    request = rig.sent[-1]
    assert (request.method, request.path) == ("PUT", "/api/v1/license")
    assert json.loads(request.body) == {
        "licenseVersion": 1,
        "serialNumber": rig.sim.state.serial,
        "key": key,
    }
    assert (await rig.client.license()).description == EXTENDED_FEATURES


async def test_license_file_install_is_multipart(rig: Rig) -> None:
    from app.vendors.audiocodes.simulator.licensing import license_file, mint_license_key

    key = mint_license_key(rig.sim.state.serial, "Key features:;HA ;Coders: OPUS;")
    data = license_file({"99999999999": "x", rig.sim.state.serial: key})

    await rig.client.install_license_file("site.lic", data)

    request = rig.sent[-1]
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert b'name="file"; filename="site.lic"' in request.body
    assert (await rig.client.license()).key == key


async def test_actions_save_configuration_sends_zero_content_length(rig: Rig) -> None:
    rig.sim.state.save_needed = True
    await rig.client.save_configuration()

    request = rig.sent[-1]
    assert (request.method, request.path) == ("POST", "/api/v1/actions/saveConfiguration")
    assert request.headers["content-length"] == "0"
    assert request.body == b""
    assert (await rig.client.status()).save_needed is False


async def test_reset_sends_documented_attributes_and_device_restarts(rig: Rig) -> None:
    before = await rig.client.status()
    text = await rig.client.reset(save_configuration=False, graceful_timeout=0)

    assert json.loads(rig.sent[-1].body) == {"saveConfiguration": False, "gracefulTimeout": 0}
    assert text == "Device will reset now"
    after = await drive(rig.clock, rig.client.wait_until_back(boot_uptime_below=before.uptime_seconds))
    assert after.uptime_seconds < before.uptime_seconds


async def test_auth_token_and_web_url(rig: Rig) -> None:
    token = await rig.client.auth_token(UserLevel.SECURITY_ADMINISTRATOR, session_timeout=180)

    assert json.loads(rig.sent[-1].body) == {
        "username": "Admin",
        "privLevel": "admin",
        "sessionTimeout": 180,
    }
    url = rig.client.web_login_url(token)
    assert url == f"https://mediant.test:443/index.html?mode=web&authToken={token}"
    page = await rig.http.get(url)
    assert page.status_code == 200
    assert (await rig.http.get(url)).status_code == 401  # one use only


async def test_ini_backup_and_incremental_upload(rig: Rig) -> None:
    ini = await rig.client.download_ini()
    assert rig.sent[-1].path == "/api/v1/files/ini"
    assert f";Serial Number: {rig.sim.state.serial}".encode() in ini

    await rig.client.upload_ini_incremental(b"[SYSTEM Params]\r\nSyslogServerIP = 127.0.0.1\r\n")

    request = rig.sent[-1]
    assert (request.method, request.path) == ("PUT", "/api/v1/files/ini/incremental")
    assert b"SyslogServerIP = 127.0.0.1" in request.body
    assert b"SyslogServerIP = 127.0.0.1" in await rig.client.download_ini()
    assert (await rig.client.status()).save_needed is True


async def test_full_ini_upload_resets_the_device(rig: Rig) -> None:
    backup = await rig.client.download_ini()
    text = await rig.client.upload_ini(backup.replace(b"MaxActiveCalls = 25", b"MaxActiveCalls = 40"))
    assert text == "Device will reset now to activate new configuration"
    await drive(rig.clock, rig.client.wait_until_back(boot_uptime_below=60))
    assert b"MaxActiveCalls = 40" in await rig.client.download_ini()


async def test_cli_script_download_and_incremental_run(rig: Rig) -> None:
    script = await rig.client.download_cli_script()
    assert script.startswith(b"configure system")

    result = await rig.client.run_cli_script("show system version")

    assert rig.sent[-1].path == "/api/v1/files/cliScript/incremental"
    assert b'filename="cli.txt"' in rig.sent[-1].body
    assert result.description == "Incremental CLI Script file was loaded."
    assert f"Serial Number: {rig.sim.state.serial}" in result.output


async def test_software_upload_restarts_with_the_new_version(rig: Rig) -> None:
    text = await rig.client.upload_software("M800_SIP_7.40A.500.785.cmp", b"\x00CMP" * 64)

    assert rig.sent[-1].path == "/api/v1/files/software"
    assert text == "Device will reset now to activate new software load"
    status = await drive(rig.clock, rig.client.wait_until_back(boot_uptime_below=60))
    assert status.version == "7.40A.500.785"


async def test_debug_file_is_created_asynchronously(rig: Rig) -> None:
    ticket = await rig.client.create_debug_file(attach_core_dump=True)

    assert json.loads(rig.sent[-1].body) == {"attachCoreDump": True}
    assert ticket.location == f"/api/v1/files/status/{ticket.transaction_id}"
    assert await rig.client.fetch_debug_file(ticket) is None
    rig.clock.advance(10)
    content = await rig.client.fetch_debug_file(ticket)
    assert content is not None
    assert rig.sim.state.serial.encode() in content
    assert rig.sent[-1].path == ticket.location


async def test_redundant_debug_file_needs_an_ha_pair(rig: Rig) -> None:
    from app.core.errors import NotSupportedError

    with pytest.raises(NotSupportedError):
        await rig.client.create_debug_file(redundant=True)
    assert rig.sent[-1].path == "/api/v1/files/create/debugFileRedundant"
    rig.sim.scenarios.enable("ha_pair")
    ticket = await rig.client.create_debug_file(redundant=True)
    assert ticket.location.startswith("/api/v1/files/status/")
