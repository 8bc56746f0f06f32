"""upgrade_devices: the chosen devices are upgraded one after another through the cloud, each polled to its
end; each outcome is told to the panel as it changes and recorded in that device's own history, and a device
the cloud will not start is recorded as failed without stopping the others."""

from __future__ import annotations

from pathlib import Path

from app.backend.history import DeviceHistory
from app.core.clock import ManualClock
from app.core.progress import Progress, ProgressReporter
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.reports import UpgradeStage
from app.vendors.hikvision.simulator import HikPartnerSimulator
from app.vendors.hikvision.upgrades import UPGRADE_ACTION, UPGRADE_STAGE, DeviceUpgrade, upgrade_devices
from tests.unit.hikvision.conftest import site_with_devices, with_time

CAMERA, MISMATCHED_CAMERA, PANEL_1ST_GEN = 0, 3, 6  # positions in the simulator's registerable devices


async def test_devices_are_upgraded_in_turn_and_each_outcome_is_shown_and_recorded(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock, tmp_path: Path
) -> None:
    await site_with_devices(client, sim, 8)
    clock.advance(6)
    serials = [sim.info.extra["devices"][i]["serial"] for i in (CAMERA, PANEL_1ST_GEN, MISMATCHED_CAMERA)]
    chosen = [await client.find_device(serial) for serial in serials]
    history = DeviceHistory(tmp_path / "history.sqlite")
    shown: list[DeviceUpgrade] = []
    seen: list[Progress] = []

    await with_time(clock, upgrade_devices(
        client, chosen, ProgressReporter([UPGRADE_STAGE], seen.append), history,  # type: ignore[arg-type]
        show=shown.append, poll_seconds=lambda: 0.0,
    ))

    camera, panel, mismatched = serials
    last = {upgrade.serial: upgrade for upgrade in shown}
    stages = {s: u.progress.stage if u.progress else None for s, u in last.items()}
    assert stages == {camera: UpgradeStage.FINISHED, panel: None, mismatched: UpgradeStage.FAILED}
    assert "username and password" in last[panel].refused  # no login given: the cloud was not asked
    assert [u.serial for u in shown if u.progress is None] == [panel]
    assert shown[0].serial == camera
    assert seen[0].total == 300
    outcomes = {s: [(e.action, e.result) for e in history.entries(f"hikvision:{s}")] for s in serials}
    assert outcomes == {
        camera: [(UPGRADE_ACTION, "done")], panel: [(UPGRADE_ACTION, "failed")],
        mismatched: [(UPGRADE_ACTION, "failed")],
    }
    history.close()
