"""Configuration backup files against the simulator: what the file holds, the diff preview, and a restore
that sends only what differs, leaves network and name alone unless asked, and reads everything back."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.models import Credentials
from app.core.progress import ProgressReporter
from app.site.jobs.tasks.backup import BackupTask
from app.vendors.base import BacksUpConfiguration, Capability
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.configuration_file import (
    FILE_FORMAT,
    PLACE_SPECIFIC_KEYS,
    BackupFileError,
    ConfigurationBackup,
    apply_settings,
    diff_settings,
    plan_restore,
    read_backup,
    read_settings,
    restore,
)
from app.vendors.inxpect.models import ManualZone
from app.vendors.inxpect.simulator import InxpectSimulator
from tests.unit.inxpect.conftest import ENDPOINT, NEW_PASSWORD


def puts(sim: InxpectSimulator, path: str) -> list[object]:
    """The JSON bodies of every PUT the simulator received on `path`."""
    return [r.json() for r in sim.requests.for_path(path, "PUT")]


async def test_backup_file_holds_identity_settings_and_network(
    client: InxpectClient, sim: InxpectSimulator
) -> None:
    sim.config = sim.config.with_changes(alarm_distance=6500, ss_manual_zones=(ManualZone(2000, 3500),))
    data = await client.backup_configuration()
    body = json.loads(data)
    assert body["format"] == FILE_FORMAT
    assert body["formatVersion"] == 1
    assert body["device"] == {"model": "MSK-101-POE", "serial": "20001", "firmware": "1.100 (board 1.207)"}
    assert body["configurationVersion"] == 3
    assert body["configuration"]["alarmDistance"] == 6500
    assert body["configuration"]["ssManualZones"] == [{"min": 2000, "max": 3500}]
    assert "configurationsCount" not in body["configuration"]
    assert "version" not in body["configuration"]
    assert body["network"] == {**sim.net, "name": "msk101poe-20001"}
    assert ConfigurationBackup.decode(data).settings == body["configuration"]


async def test_restore_previews_and_sends_only_the_differing_settings(
    client: InxpectClient, sim: InxpectSimulator
) -> None:
    backup = await read_backup(client)
    sim.config = sim.config.with_changes(alarm_distance=5000, led_mode=1, ss_mode=4)
    sim.name = "renamed-on-site"
    sim.net = {**sim.net, "netConfiguration": 2, "staticAddress": "10.0.0.9"}
    sim.requests.clear()

    plan = await plan_restore(client, backup)
    assert plan.lines() == [
        "Alarm area ends at: 5.00 m → 8.00 m",
        "LED: Off → Normal (red alarm, blue target, blinking red pre-alarm)",
        "Semi-static objects: Manual zones → Off",
    ]
    assert plan.network_changes == ()
    assert puts(sim, "/sensorConfiguration") == []  # a preview sends nothing

    report = await restore(client, plan)
    assert puts(sim, "/sensorConfiguration") == [
        {"configuration": {"alarmDistance": 8000, "ledMode": 0, "ssMode": 0}}
    ]
    assert [c.key for c in report.changes] == ["alarmDistance", "ledMode", "ssMode"]
    assert (sim.config.alarm_distance, sim.config.led_mode, sim.config.ss_mode) == (8000, 0, 0)
    # Network and name were not asked for: neither is sent, both stay as the technician left them.
    assert puts(sim, "/netSettings") == []
    assert puts(sim, "/comBoardName") == []
    assert sim.name == "renamed-on-site"
    assert sim.net["staticAddress"] == "10.0.0.9"


async def test_restore_with_network_sends_name_and_settings_last(
    client: InxpectClient, sim: InxpectSimulator
) -> None:
    backup = await read_backup(client)
    sim.name = "renamed-on-site"
    sim.net = {**sim.net, "netConfiguration": 6}
    plan = await plan_restore(client, backup, include_network=True)
    assert [c.key for c in plan.network_changes] == ["netConfiguration", "name"]
    assert plan.lines() == [
        "Addressing: auto IP (169.254.x.x), name resolution on → "
        "DHCP, falling back to auto IP, name resolution on",
        "Network name: renamed-on-site → msk101poe-20001",
    ]
    sim.requests.clear()
    report = await restore(client, plan)
    assert puts(sim, "/comBoardName") == [{"name": "msk101poe-20001"}]
    assert puts(sim, "/netSettings") == [
        {"netConfiguration": 7, "staticAddress": "192.168.0.50", "subnet": "255.255.255.0",
         "gateway": "192.168.0.1"}
    ]
    assert [r.method for r in sim.requests.for_path("/netSettings")][-2:] == ["PUT", "GET"]  # read back
    assert report.network_note.startswith("Network settings stored and read back")
    assert sim.net["netConfiguration"] == 7


async def test_restoring_what_the_sensor_already_has_sends_nothing(
    client: InxpectClient, sim: InxpectSimulator
) -> None:
    data = await client.backup_configuration()
    count = sim.config.configurations_count
    await client.restore_configuration(data)
    assert puts(sim, "/sensorConfiguration") == []
    assert sim.config.configurations_count == count


async def test_restore_of_another_sensors_backup_warns_and_skips_unknown_settings(
    client: InxpectClient, sim: InxpectSimulator
) -> None:
    backup = await read_backup(client)
    other = ConfigurationBackup(
        "MSK-101-POE", "99999", "1.200 (board 1.300)", backup.saved_at, 4,
        {**backup.settings, "mountHeight": 2600, "futureSetting": 5},
    )
    plan = await plan_restore(client, ConfigurationBackup.decode(other.encode()))
    assert plan.missing == ("futureSetting",)
    assert [c.key for c in plan.changes] == ["mountHeight"]
    assert any("sensor 99999" in w for w in plan.warnings)
    assert any("firmware 1.200" in w for w in plan.warnings)
    assert any("format 4" in w for w in plan.warnings)
    sim.requests.clear()
    await restore(client, plan)
    assert puts(sim, "/sensorConfiguration") == [{"configuration": {"mountHeight": 2600}}]


async def test_copy_to_another_sensor_can_leave_its_calibration_alone(
    client: InxpectClient, sim: InxpectSimulator, clock: ManualClock
) -> None:
    target_sim = InxpectSimulator(device_id=20002, seed=3, clock=clock, password=NEW_PASSWORD)
    target_sim.config = target_sim.config.with_changes(calibration_coefficient=1700, channel=3)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=target_sim),
                                 base_url=ENDPOINT.base_url) as http:
        target = InxpectClient(http, ENDPOINT, Credentials("", NEW_PASSWORD))
        source = await read_settings(client)
        keys = set(source) - PLACE_SPECIFIC_KEYS
        assert [c.key for c in diff_settings(await read_settings(target), source)] == [
            "calibrationCoefficient", "channel"
        ]
        changed = await apply_settings(target, source, keys=keys)
    assert [c.describe() for c in changed] == ["Radio channel: 3 → 0"]
    assert (target_sim.config.channel, target_sim.config.calibration_coefficient) == (0, 1700)


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda b: b.update(format="something else"), "not an MSK-101-POE configuration backup"),
        (lambda b: b.update(formatVersion=2), "format version 2"),
        (lambda b: b["configuration"].update(version=3), "only reports"),
        (lambda b: b["configuration"].update(alarmDistance="far"), "alarmDistance is not a whole number"),
        (lambda b: b["configuration"].update(futureSetting=[1]), "neither a whole number nor text"),
        (lambda b: b["configuration"].update(ssManualZones=[{"min": 1}]), "manual zone"),
        (lambda b: b["network"].update(netConfiguration=9), "bitmask"),
        (lambda b: b["network"].update(curHostAddress="1.2.3.4"), "unknown fields"),
    ],
)
async def test_unusable_files_are_refused_with_the_reason(
    client: InxpectClient, mutate: object, words: str
) -> None:
    body = json.loads(await client.backup_configuration())
    mutate(body)  # type: ignore[operator]
    with pytest.raises(BackupFileError, match=words):
        ConfigurationBackup.decode(json.dumps(body).encode())


async def test_a_file_that_is_not_json_is_refused() -> None:
    with pytest.raises(BackupFileError):
        ConfigurationBackup.decode(b"\x00\xffnot json")


async def test_backup_of_another_model_is_refused_before_anything_is_sent(
    client: InxpectClient, sim: InxpectSimulator
) -> None:
    backup = await read_backup(client)
    alien = ConfigurationBackup("LBK-S01", "1", "", backup.saved_at, 3, backup.settings)
    with pytest.raises(BackupFileError, match="LBK-S01"):
        await plan_restore(client, alien)


def test_the_client_backs_up_configuration() -> None:
    assert Capability.BACK_UP_CONFIGURATION.supported_by(InxpectClient)
    assert issubclass(InxpectClient, BacksUpConfiguration)


async def test_the_site_backup_job_saves_a_radar_as_json_that_restores(
    client: InxpectClient, sim: InxpectSimulator, tmp_path: Path
) -> None:
    identity = await client.read_identity()
    session = SimpleNamespace(identity=identity, client=client, credentials=Credentials("", NEW_PASSWORD))
    task = BackupTask(tmp_path)
    result = await task.run(session, ProgressReporter(task.steps(client)))  # type: ignore[arg-type]
    saved = Path(str(result.detail["file"]))
    assert saved.name.startswith("inxpect-MSK-101-POE-20001-")
    assert saved.suffix == ".json"
    sim.config = sim.config.with_changes(mount_height=3100)
    await client.restore_configuration(saved.read_bytes())
    assert sim.config.mount_height == 2000
