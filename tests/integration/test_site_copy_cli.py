"""`commissioner site copy-config` in its own process against simulated Mediant SBCs on loopback: the
preview lists each device's changes and writes nothing; the copy writes only those and reads them back."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.clock import SystemClock
from app.vendors.audiocodes.simulator import AudioCodesSimulator
from tests.integration.test_site_jobs_cli import by_serial, device_list, serving, site

pytestmark = pytest.mark.timeout(180)


async def test_preview_then_copy_one_sbcs_parameters_to_the_others(tmp_path: Path) -> None:
    sims = [AudioCodesSimulator(serial_index=n, seed=n, clock=SystemClock()) for n in range(3)]
    source = sims[0]
    source.state.params.update(EnableSyslog="1", SyslogServerIP="10.0.0.9", TLSContexts_Count="5")
    factory = dict(sims[1].state.params)
    async with serving(sims) as running:
        listed = device_list(tmp_path / "devices.jsonl", running)
        args = ("copy-config", "--devices", str(listed), "--from", source.state.serial)

        code, lines, stderr = await site(*args, "--preview")
        assert code == 0, stderr
        rows = by_serial(lines)
        assert set(rows) == {sims[1].state.serial, sims[2].state.serial}
        for row in rows.values():
            assert row["state"] == "pending"
            assert row["message"] == "2 settings will change."
            assert row["changes"] == [{"name": "SyslogServerIP", "before": "0.0.0.0", "after": "10.0.0.9"},
                                      {"name": "EnableSyslog", "before": "0", "after": "1"}]
        assert all(sim.state.params == factory for sim in sims[1:])

        code, lines, stderr = await site(*args)
        assert code == 0, stderr
        assert lines[-1]["summary"] is True
        assert lines[-1]["done"] == 2
    for sim in sims[1:]:
        assert sim.state.params["SyslogServerIP"] == "10.0.0.9"
        assert sim.state.params["EnableSyslog"] == "1"
        assert sim.state.params["TLSContexts_Count"] == "3"  # identity: left alone
        assert sim.state.saved_params == sim.state.params  # saved to flash
