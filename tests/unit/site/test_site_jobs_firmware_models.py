"""Firmware per model: each device gets its model's package, a model without one is left alone, devices
already on their model's version are skipped, and the store's parameters bring the same task back."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from app.site.jobs.engine import SiteJob
from app.site.jobs.model import RowState
from app.site.jobs.tasks.firmware import FirmwarePackage, FirmwareTask
from tests.unit.site.job_fakes import FakeAccess, FakeDevice, Site


def package(tmp_path: Path, version: str) -> Path:
    path = tmp_path / f"fw-{version}.bin"
    path.write_text(version)
    return path


async def test_a_mixed_job_installs_each_models_package_and_skips_those_on_it(tmp_path: Path) -> None:
    site = Site().add(FakeDevice("1", model="Verso"), FakeDevice("2", model="Vario"),
                      FakeDevice("3", model="Verso", firmware="3.0"), FakeDevice("4", model="Axis"))
    task = FirmwareTask(packages=[FirmwarePackage.of(package(tmp_path, "3.0"), "3.0", ["verso"]),
                                  FirmwarePackage.of(package(tmp_path, "5.1"), "5.1", ["VARIO"])])
    job = SiteJob(task, site.targets, FakeAccess(site))

    summary = await job.run()

    rows = {row.target.serial: row for row in job.rows}
    assert summary.counts == {RowState.DONE: 2, RowState.SKIPPED: 1, RowState.CANNOT: 1}
    assert (site.by_serial("1").firmware, site.by_serial("2").firmware) == ("3.0", "5.1")
    assert rows["1"].detail["package"] == "fw-3.0.bin"
    assert rows["2"].detail["package"] == "fw-5.1.bin"
    assert rows["3"].message == "Already runs 3.0."
    assert site.by_serial("3").updates == 0
    assert "Wrong model" in rows["4"].message
    assert "verso" in rows["4"].message
    assert site.by_serial("4").updates == 0


async def test_a_package_for_any_model_is_the_fallback_of_the_named_ones(tmp_path: Path) -> None:
    site = Site().add(FakeDevice("1", model="Verso"), FakeDevice("2", model="Other"))
    task = FirmwareTask(package(tmp_path, "2.0"), version="2.0",
                        packages=[FirmwarePackage.of(package(tmp_path, "3.0"), "3.0", ["Verso"])])
    await SiteJob(task, site.targets, FakeAccess(site)).run()
    assert (site.by_serial("1").firmware, site.by_serial("2").firmware) == ("3.0", "2.0")


def test_the_stored_parameters_give_the_same_packages_back(tmp_path: Path) -> None:
    packages = [FirmwarePackage.of(package(tmp_path, "3.0"), "3.0", ["Verso"]),
                FirmwarePackage.of(package(tmp_path, "5.1"), "", ["Vario", "Vario XL"])]
    task = FirmwareTask(packages=packages)
    assert FirmwareTask.from_params(task.params()).packages == task.packages
    single = FirmwareTask(package(tmp_path, "2.0"), version="2.0")
    assert single.params() == {"package": str(tmp_path / "fw-2.0.bin"), "version": "2.0", "models": []}
    assert FirmwareTask.from_params(single.params()).packages == single.packages


def test_the_command_line_takes_one_package_per_model(tmp_path: Path) -> None:
    from app.main import build_parser
    from app.site.jobs.cli import task_of

    verso, vario = package(tmp_path, "3.0"), package(tmp_path, "5.1")
    args = build_parser().parse_args([
        "site", "firmware", "--devices", "list.jsonl", "--model-package", "2N IP Verso", str(verso), "3.0",
        "--model-package", "2N IP Vario", str(vario), ""])
    task = task_of(args)
    assert isinstance(task, FirmwareTask)
    assert task.package_for("2n ip verso") == FirmwarePackage(verso, "3.0", frozenset({"2n ip verso"}))
    assert task.package_for("2N IP Vario") == FirmwarePackage(vario, "", frozenset({"2n ip vario"}))
    assert task.package_for("2N IP Solo") is None


class ListedIdentityAccess(FakeAccess):
    """Opens devices as a device list names them: the opened identity carries no firmware."""

    async def open(self, target):  # type: ignore[no-untyped-def]
        session = await super().open(target)
        listed = dataclasses.replace(session.device.identity, firmware="")
        session.__class__ = type("ListedSession", (type(session),), {"identity": property(lambda _: listed)})
        return session


async def test_the_version_is_read_from_the_device_not_from_the_list(tmp_path: Path) -> None:
    site = Site().add(FakeDevice("1", firmware="3.0"), FakeDevice("2", firmware="1.0"))
    task = FirmwareTask(package(tmp_path, "3.0"), version="3.0")
    job = SiteJob(task, site.targets, ListedIdentityAccess(site))
    summary = await job.run()
    assert summary.counts == {RowState.SKIPPED: 1, RowState.DONE: 1}
    assert job.rows[1].message == "Now runs 3.0 (was 1.0)."
