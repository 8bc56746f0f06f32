"""Configuration copy: a per-device preview of each changed setting before anything is written, identity
settings left alone unless asked, only differing settings written, and success only when read back."""

from __future__ import annotations

from app.site.jobs.engine import SiteJob
from app.site.jobs.model import RowState, VerdictKind
from app.site.jobs.tasks.configuration import ConfigurationCopyTask, planned_changes, source_reader
from app.vendors.base import DeviceSettings
from tests.unit.site.job_fakes import FakeAccess, FakeDevice, Site


def copy_site() -> Site:
    return Site().add(
        FakeDevice("1", settings={"Name": "north gate", "Volume": "8", "Pin": "4321", "Mode": "night"}),
        FakeDevice("2", settings={"Name": "south gate", "Volume": "5", "Pin": "1"}),
        FakeDevice("3", settings={"Name": "east gate", "Volume": "8", "Pin": "4321", "Mode": "night"}),
        FakeDevice("4", model="Other"),
    )


def copy_job(site: Site, *, include_identity: bool = False) -> SiteJob:
    access = FakeAccess(site)
    source = site.by_serial("1").target
    task = ConfigurationCopyTask(source, source_reader(access, source), include_identity=include_identity)
    return SiteJob(task, site.targets, access)


async def test_preflight_previews_each_change_and_writes_nothing() -> None:
    site = copy_site()
    job = copy_job(site)
    rows = {row.target.serial: row for row in await job.preflight()}

    assert rows["2"].verdict is not None
    assert rows["2"].verdict.kind is VerdictKind.CAN
    assert rows["2"].message == "3 settings will change."
    assert rows["2"].detail["changes"] == [
        {"name": "Volume", "before": "5", "after": "8"},
        {"name": "Pin", "before": "(hidden)", "after": "(hidden)"},
        {"name": "Mode", "before": None, "after": "night"},
    ]
    assert (rows["1"].state, rows["1"].message) == (RowState.SKIPPED, "This is the device the configuration "
                                                                      "comes from.")
    assert rows["3"].state is RowState.SKIPPED
    assert rows["4"].state is RowState.CANNOT
    assert "Wrong model" in rows["4"].message
    assert all(not device.writes for device in site.devices.values())


async def test_the_copy_writes_only_the_differences_and_keeps_identity() -> None:
    site = copy_site()
    job = copy_job(site)
    summary = await job.run()
    assert summary.counts == {RowState.DONE: 1, RowState.SKIPPED: 2, RowState.CANNOT: 1}
    target = site.by_serial("2")
    assert target.writes == [{"Volume": "8", "Pin": "4321", "Mode": "night"}]
    assert target.settings["Name"] == "south gate"
    row = next(row for row in job.rows if row.target.serial == "2")
    assert row.message == "3 settings copied; the device reads them all back as sent."
    assert "4321" not in str(row.detail)


async def test_identity_settings_are_copied_only_when_asked() -> None:
    site = copy_site()
    await copy_job(site, include_identity=True).run()
    assert site.by_serial("2").settings["Name"] == "north gate"


async def test_a_setting_that_does_not_read_back_fails_the_device() -> None:
    site = copy_site()
    site.by_serial("2").ignores = frozenset({"Mode"})
    job = copy_job(site)
    await job.run()
    row = next(row for row in job.rows if row.target.serial == "2")
    assert row.state is RowState.FAILED
    assert row.message == "The device reads 1 of the 3 settings back otherwise than sent: Mode."


def test_identity_of_either_side_is_left_out() -> None:
    source = DeviceSettings({"Host": "a", "Dns": "1.1.1.1", "Volume": "3"}, frozenset({"Host"}))
    own = DeviceSettings({"Host": "b", "Dns": "9.9.9.9", "Volume": "3"}, frozenset({"Dns"}))
    assert planned_changes(source, own, include_identity=False) == []
    assert [c.name for c in planned_changes(source, own, include_identity=True)] == ["Host", "Dns"]
