"""The site job engine on fake capability clients: limits, verdicts, failures, pause, cancel, retry, pilot."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.backend.history import DeviceHistory
from app.site.jobs.engine import SiteJob
from app.site.jobs.model import JobSettings, RowState, RowStatus, VerdictKind
from app.site.jobs.tasks.backup import BackupTask
from app.site.jobs.tasks.firmware import FirmwareTask
from app.site.jobs.tasks.password import FirstPasswordTask
from tests.unit.site.job_fakes import NEW, FakeAccess, FakeDevice, Site
from tests.waiting import wait_until


@pytest.fixture
def package(tmp_path: Path) -> Path:
    path = tmp_path / "fw-2.0.bin"
    path.write_text(NEW)
    return path


def site_of(count: int, **kwargs: object) -> Site:
    return Site().add(*(FakeDevice(str(n), **kwargs) for n in range(count)))  # type: ignore[arg-type]


def firmware_job(site: Site, package: Path, settings: JobSettings | None = None, **kwargs: object) -> SiteJob:
    task = FirmwareTask(package, version=NEW)
    return SiteJob(task, site.targets, FakeAccess(site), settings=settings, **kwargs)  # type: ignore[arg-type]


def states(job: SiteJob) -> dict[str, RowState]:
    return {row.target.serial: row.state for row in job.rows}


async def test_no_more_uploads_at_once_than_the_upload_limit_and_every_device_done(package: Path) -> None:
    hold = asyncio.Event()
    site = site_of(10, hold=hold)
    job = firmware_job(site, package, JobSettings(concurrency=8, upload_concurrency=3))
    running = asyncio.create_task(job.run())
    await wait_until(lambda: site.uploading == 3)
    await asyncio.sleep(0)  # a fourth would have started on this turn of the loop
    assert site.uploading == 3
    hold.set()
    summary = await running
    assert site.most_uploading == 3
    assert summary.counts == {RowState.DONE: 10}
    assert all(device.firmware == NEW and device.open_sessions == 0 for device in site.devices.values())


async def test_small_work_runs_at_the_job_concurrency(tmp_path: Path) -> None:
    site = site_of(6)
    entered: list[int] = []
    gate = asyncio.Event()
    task = BackupTask(tmp_path)
    original = task.run

    async def counting_run(session, reporter):  # type: ignore[no-untyped-def]
        entered.append(1)
        await gate.wait()
        return await original(session, reporter)

    task.run = counting_run  # type: ignore[method-assign]
    settings = JobSettings(concurrency=4, upload_concurrency=1)
    job = SiteJob(task, site.targets, FakeAccess(site), settings=settings)
    running = asyncio.create_task(job.run())
    await wait_until(lambda: len(entered) == 4)
    await asyncio.sleep(0)
    assert len(entered) == 4
    gate.set()
    assert (await running).counts == {RowState.DONE: 6}


async def test_preflight_gives_each_device_its_verdict_and_writes_nothing(package: Path) -> None:
    site = Site().add(FakeDevice("1"), FakeDevice("2", firmware=NEW), FakeDevice("3", model="Other"),
                      FakeDevice("4", trusted=False), FakeDevice("5"))
    access = FakeAccess(site, firmware_only=frozenset())
    task = FirmwareTask(package, version=NEW, models=["M1"])
    job = SiteJob(task, site.targets, access)
    rows = {row.target.serial: row for row in await job.preflight()}

    assert rows["1"].state is RowState.PENDING
    assert rows["1"].verdict is not None
    assert rows["1"].verdict.kind is VerdictKind.CAN
    assert (rows["2"].state, rows["2"].message) == (RowState.SKIPPED, "Already runs 2.0.")
    assert rows["3"].state is RowState.CANNOT
    assert "Wrong model" in rows["3"].message
    assert rows["4"].state is RowState.CANNOT
    assert rows["4"].message.startswith("Certificate not trusted")
    assert all(device.updates == 0 and device.open_sessions == 0 for device in site.devices.values())


async def test_a_device_without_the_capability_cannot_and_is_not_a_failure(tmp_path: Path) -> None:
    site = site_of(2)
    access = FakeAccess(site, firmware_only=frozenset({"1"}))
    job = SiteJob(BackupTask(tmp_path), site.targets, access)
    summary = await job.run()
    assert states(job) == {"0": RowState.DONE, "1": RowState.CANNOT}
    cannot = job.row(site.by_serial("1").target.key)
    assert cannot.message == "This device cannot back up and restore configuration."
    assert summary.failed == 0


async def test_per_device_failures_end_in_clear_rows_while_the_others_finish(package: Path) -> None:
    site = Site().add(FakeDevice("1"), FakeDevice("2", update="reset"), FakeDevice("3", update="garbage"),
                      FakeDevice("4", update="stays"), FakeDevice("5"))
    job = firmware_job(site, package)
    summary = await job.run()
    rows = {row.target.serial: row for row in job.rows}
    assert states(job) == {"1": RowState.DONE, "2": RowState.FAILED, "3": RowState.FAILED,
                           "4": RowState.FAILED, "5": RowState.DONE}
    assert rows["2"].message == ("The device stopped answering during the upload. The device is left running "
                                 "its previous firmware.")
    assert "answered something the app cannot use (unexpected token in reply)" in rows["3"].message
    assert rows["4"].message.startswith("The device restarted but runs 1.0, not 2.0.")
    assert rows["1"].message == "Now runs 2.0 (was 1.0)."
    assert rows["1"].detail["firmware"] == NEW
    assert summary.failed == 3


async def test_rows_name_their_step_and_progress(package: Path) -> None:
    hold = asyncio.Event()
    site = site_of(1, hold=hold)
    job = firmware_job(site, package)
    seen: list[str] = []
    job.subscribe(lambda row: seen.append(row.progress_line))
    running = asyncio.create_task(job.run())
    await wait_until(lambda: site.uploading == 1)
    assert job.rows[0].progress_line == "Step 3/5 · Uploading · 45 %"
    hold.set()
    await running
    assert "Step 1/2 · Connecting" in seen
    assert "Step 4/5 · Installing" in seen
    assert "Step 5/5 · Reading the version back" in seen
    assert seen[-1] == "done"


async def test_pause_holds_devices_that_have_not_started_until_unpaused(package: Path) -> None:
    site = site_of(3)
    job = firmware_job(site, package)
    job.pause()
    running = asyncio.create_task(job.run())
    await wait_until(lambda: set(states(job).values()) == {RowState.PAUSED})
    assert all(device.logins == 0 for device in site.devices.values())
    job.unpause()
    assert (await running).counts == {RowState.DONE: 3}


async def test_cancel_one_running_device_leaves_the_others_running(package: Path) -> None:
    hold = asyncio.Event()
    site = site_of(3, hold=hold)
    job = firmware_job(site, package, JobSettings(concurrency=3, upload_concurrency=3))
    running = asyncio.create_task(job.run())
    await wait_until(lambda: site.uploading == 3)
    job.cancel(site.by_serial("1").target.key)
    await wait_until(lambda: states(job)["1"] is RowState.CANCELLED)
    hold.set()
    await running
    assert states(job) == {"0": RowState.DONE, "1": RowState.CANCELLED, "2": RowState.DONE}
    cancelled = job.row(site.by_serial("1").target.key)
    assert cancelled.message.startswith("Cancelled during step 3/5 (Uploading).")
    assert site.by_serial("1").open_sessions == 0


async def test_cancel_all_stops_running_devices_and_never_starts_waiting_ones(package: Path) -> None:
    hold = asyncio.Event()
    site = site_of(4, hold=hold)
    job = firmware_job(site, package, JobSettings(concurrency=2, upload_concurrency=2))
    running = asyncio.create_task(job.run())
    await wait_until(lambda: site.uploading == 2)
    job.cancel()
    summary = await running
    assert summary.counts == {RowState.CANCELLED: 4}
    assert sum(device.updates for device in site.devices.values()) == 2
    waiting = [row for row in job.rows if "before it started" in row.message]
    assert len(waiting) == 2


async def test_retry_reruns_only_failed_devices_and_never_one_whose_login_failed(package: Path) -> None:
    site = Site().add(FakeDevice("1"), FakeDevice("2", update="reset"), FakeDevice("3"))
    targets = site.targets
    site.by_serial("3").password = "changed-on-site"  # the list's password no longer works
    job = SiteJob(FirmwareTask(package, version=NEW), targets, FakeAccess(site))
    await job.run()
    assert states(job) == {"1": RowState.DONE, "2": RowState.FAILED, "3": RowState.FAILED}
    locked_out_risk = job.row(site.by_serial("3").target.key)
    assert locked_out_risk.login_failed
    assert "not retried automatically" in locked_out_risk.message
    assert job.retry_keys() == [site.by_serial("2").target.key]

    site.by_serial("2").update = "ok"
    await job.retry()
    assert states(job) == {"1": RowState.DONE, "2": RowState.DONE, "3": RowState.FAILED}
    assert (site.by_serial("1").updates, site.by_serial("2").updates) == (1, 2)
    assert site.by_serial("3").failed_logins == 1  # Retry did not try its password again

    await job.retry(relogin={site.by_serial("3").target.key})
    assert site.by_serial("3").failed_logins == 2  # only when the technician asked for it


async def test_pilot_runs_one_device_then_waits_for_the_go_ahead(package: Path) -> None:
    site = site_of(4)
    asked: list[RowStatus] = []
    decision = asyncio.Event()

    async def approve(row: RowStatus) -> bool:
        asked.append(row)
        await decision.wait()
        return True

    job = SiteJob(FirmwareTask(package, version=NEW), site.targets, FakeAccess(site),
                  settings=JobSettings(pilot=True), pilot_approval=approve)
    running = asyncio.create_task(job.run())
    await wait_until(lambda: bool(asked))
    assert [device.updates for device in site.devices.values()] == [1, 0, 0, 0]
    assert asked[0].state is RowState.DONE
    assert asked[0].target.serial == "0"
    decision.set()
    assert (await running).counts == {RowState.DONE: 4}


async def test_a_failed_pilot_stops_the_rest_unattended(package: Path) -> None:
    site = Site().add(FakeDevice("1", update="reset"), FakeDevice("2"), FakeDevice("3"))
    job = firmware_job(site, package, JobSettings(pilot=True))
    await job.run()
    assert states(job) == {"1": RowState.FAILED, "2": RowState.CANCELLED, "3": RowState.CANCELLED}
    assert site.by_serial("2").updates == site.by_serial("3").updates == 0
    assert "pilot" in job.row(site.by_serial("2").target.key).message


async def test_first_password_counts_only_when_the_new_one_works_and_the_old_one_fails() -> None:
    site = Site().add(FakeDevice("1"), FakeDevice("2", factory=False))
    job = SiteJob(FirstPasswordTask(lambda session: "N3w-password"), site.targets, FakeAccess(site))
    await job.run()
    assert states(job) == {"1": RowState.DONE, "2": RowState.SKIPPED}
    device = site.by_serial("1")
    assert device.password == "N3w-password"
    assert device.remembered is not None
    assert device.remembered.password == "N3w-password"
    assert device.failed_logins == 1  # the factory password, refused once as proof
    assert "factory password no longer does" in job.row(device.target.key).message


async def test_every_device_history_gets_the_job_outcome(package: Path, tmp_path: Path) -> None:
    history = DeviceHistory(tmp_path / "history.sqlite3")
    site = Site().add(FakeDevice("1"), FakeDevice("2", update="reset"), FakeDevice("3", firmware=NEW))
    job = firmware_job(site, package, history=history)
    await job.run()
    results = {serial: [entry.result for entry in history.entries(f"fake:{serial}")] for serial in "123"}
    assert results == {"1": ["succeeded", "started"], "2": ["failed", "started"], "3": ["skipped"]}
    assert history.entries("fake:1")[0].action == "Site job: firmware"
    assert history.entries("fake:1")[0].detail["job"] == job.job_id
