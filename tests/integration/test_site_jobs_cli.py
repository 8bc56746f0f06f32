"""`commissioner site` in its own process against simulated devices served on loopback by this one."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from app.backend.session import pinned_client
from app.core.clock import SystemClock
from app.core.errors import AuthenticationError
from app.core.models import Credentials
from app.sim.cli import device_json
from app.sim.server import RunningDevice, serve_device
from app.vendors.axis.plugin import PLUGIN as AXIS
from app.vendors.base import SimulatedDevice
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.plugin import PLUGIN as INXPECT
from app.vendors.inxpect.simulator import InxpectSimulator
from app.vendors.two_n.simulator import TwoNSimulator, build_firmware
from app.vendors.two_n.simulator.profiles import VERSO

NEW_VERSION = "2.38.0.50.1"


class ResetsMidUpload:
    """A 2N simulator that takes the start of a firmware upload, then restarts without answering it."""

    def __init__(self, sim: TwoNSimulator) -> None:
        self.sim = sim
        self.info, self.requests, self.scenarios = sim.info, sim.requests, sim.scenarios

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve as the intercom does, except that a firmware upload is cut off by a restart."""
        if scope["type"] == "http" and scope["method"] == "PUT" and scope["path"] == "/api/firmware":
            await receive()
            self.sim.reboot()
            raise ConnectionResetError("the intercom restarted during the upload")
        await self.sim(scope, receive, send)

    async def start(self) -> None:
        """Start the intercom."""
        await self.sim.start()

    async def stop(self) -> None:
        """Stop the intercom."""
        await self.sim.stop()


@contextlib.asynccontextmanager
async def serving(devices: Sequence[SimulatedDevice]) -> AsyncIterator[list[RunningDevice]]:
    async with contextlib.AsyncExitStack() as stack:
        yield [await stack.enter_async_context(serve_device(device)) for device in devices]


def device_list(path: Path, running: Sequence[RunningDevice], **overrides: dict[str, Any]) -> Path:
    """The devices as `commissioner sim --json` prints them; `overrides` by serial change a line."""
    lines = []
    for each in running:
        record = device_json(each)
        record.update(overrides.get(str(record["serial"]), {}))
        lines.append(json.dumps(record, default=str))
    path.write_text("\n".join(lines) + "\n")
    return path


async def site(*args: str) -> tuple[int, list[dict[str, Any]], str]:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app", "site", *args, "--json",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
    )
    # A hang guard only: the whole job takes ~8 s alone, several times that on a loaded 2-core machine.
    stdout, stderr = await asyncio.wait_for(process.communicate(), 150)
    assert process.returncode is not None
    return process.returncode, [json.loads(line) for line in stdout.decode().splitlines()], stderr.decode()


#: Each test starts `commissioner site` in a new interpreter and waits for whole firmware restarts.
pytestmark = pytest.mark.timeout(180)


def by_serial(lines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(line["serial"]): line for line in lines if "summary" not in line}


async def test_firmware_on_three_intercoms_one_resets_mid_upload_the_others_finish(tmp_path: Path) -> None:
    sims = [TwoNSimulator(serial_index=n, seed=n, clock=SystemClock(), profile=VERSO, reboot_seconds=1.0)
            for n in range(3)]
    # Just booted, with a 1 s restart: the boot instant alone cannot tell that restart from none; the
    # uptime against this computer's clock does.
    package = tmp_path / "verso.bin"
    package.write_bytes(build_firmware("verso", NEW_VERSION, size=300_000, seed=3))
    devices: list[SimulatedDevice] = [sims[0], ResetsMidUpload(sims[1]), sims[2]]
    async with serving(devices) as running:
        listed = device_list(tmp_path / "devices.jsonl", running)
        code, lines, stderr = await site("firmware", "--devices", str(listed), "--package", str(package),
                                         "--version", NEW_VERSION, "--concurrency", "3",
                                         "--upload-concurrency", "3")
    rows = by_serial(lines)
    assert code == 1, stderr
    good = [rows[sims[n].serial] for n in (0, 2)]
    assert all(row["ok"] and row["state"] == "done" and row["firmware"] == NEW_VERSION for row in good)
    assert sims[0].state.sw_version == sims[2].state.sw_version == NEW_VERSION
    failed = rows[sims[1].serial]
    assert (failed["ok"], failed["state"]) == (False, "failed")
    assert failed["message"]
    assert sims[1].state.sw_version != NEW_VERSION
    assert lines[-1] == {"summary": True, "job": lines[-1]["job"], "kind": "firmware", "devices": 3,
                         "done": 2, "failed": 1, "ok": False}


async def test_backup_saves_what_it_can_and_reports_what_cannot_without_failing(tmp_path: Path) -> None:
    intercoms = [TwoNSimulator(serial_index=n, seed=n, clock=SystemClock()) for n in range(3)]
    radar = InxpectSimulator(device_id=20005, seed=1, clock=SystemClock(), password="Radar-20005-pw")
    camera = AXIS.create_simulator(serial_index=6, seed=1, clock=SystemClock())
    out = tmp_path / "backups"
    out.mkdir()
    async with serving([*intercoms, radar, camera]) as running:
        unlisted = intercoms[2].serial
        listed = device_list(tmp_path / "devices.jsonl", running,
                             **{unlisted: {"fingerprint": "", "serial": "../../escape"}})
        code, lines, stderr = await site("backup", "--devices", str(listed), "--out", str(out))
    rows = by_serial(lines)
    assert code == 0, stderr
    for sim in intercoms[:2]:
        row = rows[sim.serial]
        saved = Path(row["file"])
        assert row["ok"]
        assert saved.parent == out
        assert saved.suffix == ".xml"
        assert saved.name.startswith(f"two_n-{sim.profile.variant.replace(' ', '_')}-{sim.serial}-")
        assert b"<DeviceDatabase" in saved.read_bytes()
    assert rows["../../escape"]["state"] == "cannot"
    assert rows["../../escape"]["message"].startswith("Certificate not trusted")
    radar_file = Path(rows[radar.info.serial]["file"])
    assert radar_file.name.startswith("inxpect-MSK-101-POE-20005-")
    assert radar_file.suffix == ".json"
    saved_settings = json.loads(radar_file.read_bytes())["configuration"]
    assert saved_settings["alarmDistance"] == radar.config.alarm_distance
    assert rows[camera.info.serial]["state"] == "cannot"
    assert rows[camera.info.serial]["message"] == "This device cannot back up and restore configuration."
    assert sorted(path.parent for path in out.rglob("*")) == [out, out, out]
    assert lines[-1]["ok"] is True
    assert lines[-1]["cannot"] == 2
    assert lines[-1]["done"] == 3


async def test_first_password_on_factory_radars_then_the_new_one_logs_in_and_the_old_one_fails(
    tmp_path: Path,
) -> None:
    radars = [INXPECT.create_simulator(serial_index=n, seed=n, clock=SystemClock()) for n in (7, 8)]
    new_passwords = tmp_path / "passwords"
    serials = [radar.info.serial for radar in radars]
    new_passwords.write_text("\n".join(f"{serial},Radar-{serial}-pw" for serial in serials))
    async with serving(radars) as running:
        listed = device_list(tmp_path / "devices.jsonl", running)
        code, lines, stderr = await site("password", "--devices", str(listed), "--new-password-file",
                                         str(new_passwords), "--concurrency", "2")
        for radar, each in zip(radars, running, strict=True):
            assert each.certificate is not None
            async with pinned_client(each.certificate.cert_der) as http:
                fresh = InxpectClient(http, each.endpoint, Credentials("", f"Radar-{radar.info.serial}-pw"))
                await fresh.login()
                assert not fresh.password_is_default
                old = InxpectClient(http, each.endpoint, Credentials("", radar.info.password))
                try:
                    await old.login()
                except AuthenticationError:
                    pass
                else:
                    raise AssertionError("the factory password still logs in")
    assert code == 0, stderr
    assert all(row["state"] == "done" and row["ok"] for row in by_serial(lines).values())
    assert lines[-1]["done"] == 2
