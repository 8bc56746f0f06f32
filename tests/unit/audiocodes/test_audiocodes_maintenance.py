"""Maintenance operations: software update with restart, restart, debug file, each with its stages."""

from __future__ import annotations

import pytest

from app.core.errors import InvalidParameterError
from app.core.progress import Progress, ProgressReporter
from app.vendors.audiocodes.maintenance import (
    DEBUG_STAGES,
    RESTART_STAGES,
    SOFTWARE_STAGES,
    collect_debug_file,
    restart,
    update_software,
)

from .conftest import Rig, calls, drive


def reporter(stages: tuple[str, ...]) -> tuple[ProgressReporter, list[Progress]]:
    seen: list[Progress] = []
    return ProgressReporter(stages, seen.append), seen


async def test_software_update_waits_for_restart_and_confirms_version(rig: Rig) -> None:
    progress, seen = reporter(SOFTWARE_STAGES)
    status = await drive(
        rig.clock, update_software(rig.client, "M800_7.40A.600.001.cmp", b"C" * 4096, progress), 2.0
    )

    assert status.version == "7.40A.600.001"
    assert "PUT /api/v1/files/software" in calls(rig.sent)
    assert [p.stage for p in seen if p.done == 0][-1] == SOFTWARE_STAGES[2]
    assert any(p.stage == SOFTWARE_STAGES[0] and p.total == 4096 for p in seen)


async def test_bad_software_file_is_refused_and_the_device_stays_up(rig: Rig) -> None:
    progress, _ = reporter(SOFTWARE_STAGES)
    with pytest.raises(InvalidParameterError):
        await update_software(rig.client, "notes.txt", b"hello", progress)
    assert not rig.sim.state.is_down()


async def test_restart_without_saving_loses_unsaved_changes(rig: Rig) -> None:
    await rig.client.upload_ini_incremental(b"MaxActiveCalls = 99\r\n")
    progress, _ = reporter(RESTART_STAGES)
    await drive(rig.clock, restart(rig.client, progress, save=False), 2.0)
    assert b"MaxActiveCalls = 25" in await rig.client.download_ini()


async def test_debug_file_polls_until_ready(rig: Rig) -> None:
    progress, _ = reporter(DEBUG_STAGES)
    content = await drive(rig.clock, collect_debug_file(rig.client, progress), 1.0)
    assert content.startswith(b"Debug file of Mediant 800")
    polls = [p for p in calls(rig.sent) if p.startswith("GET /api/v1/files/status/")]
    assert len(polls) >= 2
