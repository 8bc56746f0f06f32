"""The visit is kept in SQLite, read back after reopening, and travels to another laptop in one file."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.backend.history import DeviceHistory
from app.site.plan import PlanField, PlanRow
from app.site.visit import Visit, VisitDetails, VisitFileError, VisitStore, export_visit, import_visit

VISIT = Visit(
    VisitDetails(site="Depot <north>", customer="ACME", technician="Ana", company="Installers Ltd",
                 plan_file="plan.csv"),
    (PlanRow(2, "Gate radar", "Gate", "Inxpect", "MSK-101-POE", "20000", "", "10.0.0.21", "1.102", "pole"),
     PlanRow(3, "Camera", serial="ACCC8E4A0002")),
    {PlanField.NAME: "Tag", PlanField.SERIAL: "SN"},
)


def test_a_saved_visit_is_there_after_the_database_is_reopened(tmp_path: Path) -> None:
    store = VisitStore(tmp_path / "visit.sqlite3")
    store.save(VISIT)
    store.close()

    reopened = VisitStore(tmp_path / "visit.sqlite3")

    assert reopened.load() == VISIT
    assert VisitStore(tmp_path / "other.sqlite3").load() == Visit()


def test_an_exported_visit_opens_on_another_laptop_with_its_history(tmp_path: Path) -> None:
    here = DeviceHistory(tmp_path / "here.sqlite3")
    here.record("inxpect:20000", "Walk test", "passed", {"alarm_at_m": 8.0, "area_ends_m": 8.0})
    here.record("axis:OTHER", "Renamed", "done")
    path = export_visit(VISIT, here, ["inxpect:20000"], tmp_path / "depot.visit.json")
    there = DeviceHistory(tmp_path / "there.sqlite3")

    visit, added = import_visit(path, there)
    again = import_visit(path, there)[1]

    assert visit == VISIT
    assert (added, again) == (1, 0)
    [entry] = there.entries("inxpect:20000")
    assert (entry.action, entry.result, dict(entry.detail)) == (
        "Walk test", "passed", {"alarm_at_m": 8.0, "area_ends_m": 8.0}
    )
    assert entry.at == here.entries("inxpect:20000")[0].at
    assert there.entries("axis:OTHER") == []


def test_a_file_that_is_not_a_visit_is_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"format": "something else"}', "utf-8")

    with pytest.raises(VisitFileError, match="not a visit file"):
        import_visit(path, DeviceHistory(tmp_path / "h.sqlite3"))
