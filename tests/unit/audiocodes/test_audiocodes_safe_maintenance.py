"""Restarting work on a Mediant: configuration backed up first (and where), an HA pair named in the
warning, and a restart that waits for calls to end (gracefulTimeout, document section 6)."""

from __future__ import annotations

import json

import pytest

from app.core.progress import ProgressReporter
from app.vendors.audiocodes import maintenance
from app.vendors.audiocodes.safe_maintenance import (
    SAFE_RESTORE_STAGES,
    SAFE_SOFTWARE_STAGES,
    WHEN_CALLS_END,
    backup_folder,
    restart_warning,
    restore_configuration_safely,
    update_software_safely,
)

from .conftest import Rig, calls, drive


async def test_software_update_backs_up_the_configuration_first_and_says_where(rig: Rig) -> None:
    before = rig.sim.state.render_ini()
    await rig.client.status()

    outcome = await drive(
        rig.clock,
        update_software_safely(
            rig.client, "M800_SIP_7.40A.500.785.cmp", b"\x00CMP" * 64, ProgressReporter(SAFE_SOFTWARE_STAGES)
        ),
    )

    sent = calls(rig.sent)
    assert sent.index("GET /api/v1/files/ini") < sent.index("PUT /api/v1/files/software")
    assert outcome.backup.parent == backup_folder()
    assert rig.sim.state.serial in outcome.backup.name
    assert outcome.backup.read_bytes() == before
    assert outcome.status is not None
    assert outcome.status.version == "7.40A.500.785"


async def test_full_ini_restore_backs_up_the_configuration_first(rig: Rig) -> None:
    before = rig.sim.state.render_ini()

    outcome = await restore_configuration_safely(
        rig.client,
        "new.ini",
        b"[SYSTEM Params]\nSyslogServerIP = 10.9.9.9\n",
        ProgressReporter(SAFE_RESTORE_STAGES),
    )

    sent = calls(rig.sent)
    assert sent[-2:] == ["GET /api/v1/files/ini", "PUT /api/v1/files/ini"]
    assert outcome.backup.read_bytes() == before
    assert "before-ini-restore" in outcome.backup.name


@pytest.mark.parametrize(("graceful", "waited"), [(WHEN_CALLS_END, 120.0), (30, 30.0), (0, 0.0)])
async def test_a_graceful_restart_waits_for_calls(rig: Rig, graceful: int, waited: float) -> None:
    rig.sim.scenarios.enable("calls_in_progress")
    start = rig.clock.monotonic()

    await drive(
        rig.clock,
        maintenance.restart(
            rig.client, ProgressReporter(maintenance.RESTART_STAGES), save=True, graceful_timeout=graceful
        ),
    )

    reset = next(r for r in rig.sent if r.path == "/api/v1/actions/reset")
    assert json.loads(reset.body) == {"saveConfiguration": True, "gracefulTimeout": graceful}
    assert rig.sim.state.down_from is None  # it restarted and is back
    assert rig.sim.state.boot_monotonic - start >= waited


async def test_the_warning_names_an_ha_pair(rig: Rig) -> None:
    standalone = await rig.client.status()
    assert "BOTH units" not in restart_warning(standalone, "Updating the software")
    rig.sim.scenarios.enable("ha_pair")
    pair = await rig.client.status()
    warning = restart_warning(pair, "Updating the software")
    assert "HA pair" in warning
    assert "restarts BOTH units" in warning


async def test_a_hitless_update_switches_the_ha_pair_over_without_a_restart(rig: Rig) -> None:
    rig.sim.scenarios.enable("ha_pair")
    await rig.client.status()

    outcome = await drive(
        rig.clock,
        update_software_safely(
            rig.client,
            "M800_SIP_7.40A.500.785.cmp",
            b"\x00CMP" * 64,
            ProgressReporter(SAFE_SOFTWARE_STAGES),
            hitless=True,
        ),
    )

    assert "PUT /api/v1/files/software/hitless" in calls(rig.sent)
    assert "PUT /api/v1/files/software" not in calls(rig.sent)
    assert outcome.status is not None
    assert outcome.status.version == "7.40A.500.785"
    assert rig.sim.state.down_from is None  # never unreachable: the units switched over
    assert outcome.backup.is_file()


async def test_a_standalone_device_refuses_the_hitless_procedure(rig: Rig) -> None:
    from app.core.errors import DeviceBusyError

    with pytest.raises(DeviceBusyError, match="HA system only"):
        await rig.client.upload_software_hitless("M800_SIP_7.40A.500.785.cmp", b"\x00CMP" * 64)
