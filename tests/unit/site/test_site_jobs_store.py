"""Site jobs survive a crash: a killed process leaves rows the restart reports and resumes."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from app.site.jobs.engine import SiteJob
from app.site.jobs.model import JobKind, JobSettings, RowState, RowStatus
from app.site.jobs.store import JobStore
from app.site.jobs.tasks.firmware import FirmwareTask
from tests.unit.site.job_fakes import NEW, FakeAccess, FakeDevice, Site


async def killed_mid_job(database: Path, package: Path) -> str:
    """Start the child job process, wait until it stands mid-job, kill it (no clean-up runs); its job id."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.unit.site.job_crash_child", str(database), str(package),
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    line = (await asyncio.wait_for(child.stdout.readline(), 30)).decode().split()
    child.send_signal(signal.SIGKILL)
    await child.wait()
    assert line[0] == "ready"
    return line[1]


async def test_after_a_crash_the_store_says_which_devices_finished_and_where_the_others_stood(
    tmp_path: Path,
) -> None:
    database, package = tmp_path / "jobs.sqlite3", tmp_path / "fw.bin"
    package.write_text(NEW)
    job_id = await killed_mid_job(database, package)

    store = JobStore(database)
    [job] = store.recover()
    assert (job.job_id, job.kind, job.params["version"]) == (job_id, JobKind.FIRMWARE, NEW)
    done, interrupted, pending = job.rows
    assert (done.state, done.detail["firmware"]) == (RowState.DONE, NEW)
    assert interrupted.state is RowState.INTERRUPTED
    assert interrupted.message.startswith("Interrupted: the app stopped during step 3/5 (Uploading).")
    assert pending.state is RowState.PENDING

    site = Site().add(FakeDevice("0", firmware=NEW), FakeDevice("1"), FakeDevice("2"))
    access = FakeAccess(site)
    task = FirmwareTask(package, version=NEW)
    resumed = SiteJob.resume(job, task, access, targets=site.targets, store=store)
    summary = await resumed.run()
    assert summary.counts == {RowState.DONE: 3}
    assert access.opened == ["1", "2"]  # the finished device is left alone
    assert store.unfinished() == []
    assert [row.state for row in store.load(job_id).rows] == [RowState.DONE] * 3


async def test_rows_are_written_as_they_change(tmp_path: Path) -> None:
    package = tmp_path / "fw.bin"
    package.write_text(NEW)
    store = JobStore(tmp_path / "jobs.sqlite3")
    site = Site().add(FakeDevice("1"), FakeDevice("2", update="reset"), FakeDevice("3", firmware=NEW))
    job = SiteJob(FirmwareTask(package, version=NEW), site.targets, FakeAccess(site), store=store,
                  settings=JobSettings(concurrency=2, upload_concurrency=1))
    seen: list[list[RowStatus]] = []
    job.subscribe(lambda row: seen.append(list(store.load(job.job_id).rows)) if row.state.finished else None)
    await job.run()

    stored = store.load(job.job_id)
    assert stored.finished
    assert stored.settings == JobSettings(concurrency=2, upload_concurrency=1)
    assert [(row.state, row.message) for row in stored.rows] == [(row.state, row.message) for row in job.rows]
    assert [row.state for row in stored.rows] == [RowState.DONE, RowState.FAILED, RowState.SKIPPED]
    assert all(any(row.state.finished for row in snapshot) for snapshot in seen)
    assert "password" not in str(stored.rows[0].target.public())
