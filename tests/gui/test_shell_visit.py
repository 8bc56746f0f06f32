"""The visit in the window: a plan opened through its column mapping, the device list and checklist show it,
and it is there again after the app restarts."""

from __future__ import annotations

from pathlib import Path

import qasync
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.backend import evidence
from app.core.clock import ManualClock
from app.discovery.service import DiscoveryService
from app.sim.server import serve_device
from app.site.plan import PlanField
from app.ui.device_list import COLUMNS, MISSING_FOREGROUND, MISSING_STATE, UNPLANNED_BACKGROUND
from app.ui.main_window import MainWindow
from app.ui.services import AppServices
from app.ui.visit.plan_dialog import NO_COLUMN
from app.vendors.registry import plugin_for
from tests.gui.conftest import add_by_address, run_async, wait_until
from tests.unit.site.test_site_plan_workbook import schedule_workbook

SCHEDULE = """Tag,Where,SN,IP address,Comment
RAD-01 Gate,Gate,,{radar},a radar tells its serial only after login: planned by address
CAM-01 Yard,Roof,{camera},,
,Nowhere,123,,no name
RAD-02 Bay,Bay,20999,,not installed yet
"""


def test_a_plan_opened_with_its_mapping_marks_the_list_and_fills_the_checklist(
    window: MainWindow, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    radar = plugin_for("inxpect").create_simulator(serial_index=31, seed=31, clock=ManualClock())
    camera = plugin_for("axis").create_simulator(serial_index=32, seed=32, clock=ManualClock())
    stranger = plugin_for("axis").create_simulator(serial_index=33, seed=33, clock=ManualClock())
    plan = tmp_path / "schedule.csv"
    radar_key: list[str] = []

    async def scenario() -> None:
        async with serve_device(radar) as r, serve_device(camera) as c, serve_device(stranger) as s:
            radar_key.append((await add_by_address(window, r.endpoint)).key)
            for running in (c, s):
                await add_by_address(window, running.endpoint)
            plan.write_text(SCHEDULE.format(radar=f"{r.endpoint.host}:{r.endpoint.port}",
                                            camera=camera.info.serial), "utf-8")
            open_plan_with_location(window, plan)
            window.services.history.record(radar_key[0], evidence.WALK_TEST, "passed", {"alarm_at_m": 8.0})
            window.visit.refresh()
            await wait_until(lambda: "0 of 3 done · 1 not found · 1 found, not in the plan"
                             in window.visit.view.progress_label.text())

    run_async(qloop, scenario())
    assert window.visit.dock is not None
    assert window.visit.dock.isVisible()  # the checklist comes forward once a plan is open
    model = window.model
    planned = {model.index(row, 0).data(Qt.ItemDataRole.UserRole): (
        model.index(row, COLUMNS.index("Planned name")).data(),
        model.index(row, COLUMNS.index("Location")).data(),
        model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole),
    ) for row in range(model.rowCount())}
    assert planned[radar_key[0]][:2] == ("RAD-01 Gate", "Gate")
    assert planned[f"axis:{camera.info.serial}"][:2] == ("CAM-01 Yard", "Roof")
    assert planned[f"axis:{stranger.info.serial}"][:2] == ("not in the plan", "")
    assert planned[f"axis:{stranger.info.serial}"][2].color().name() == UNPLANNED_BACKGROUND
    assert planned[f"axis:{camera.info.serial}"][2] is None
    ghost = model.rowCount() - 1  # the planned radar not found: a greyed row after the devices found
    texts = [model.index(ghost, column).data() for column in range(len(COLUMNS))]
    assert texts == ["", "", "", "", "", "20999", MISSING_STATE, "RAD-02 Bay", "Bay"]
    assert model.index(ghost, 0).data(Qt.ItemDataRole.UserRole) is None  # nothing to open
    assert model.index(ghost, 0).data(Qt.ItemDataRole.ForegroundRole).color().name() == MISSING_FOREGROUND
    assert sum(model.count_by_state().values()) == 3  # the devices found, not the planned ones
    window.table.selectRow(window.proxy.mapFromSource(model.index(ghost, 0)).row())
    assert window.table.selected_keys() == []
    tree = window.visit.view.tree
    names = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert names == ["RAD-01 Gate", "CAM-01 Yard", "RAD-02 Bay", "Found, not in the plan"]
    assert tree.topLevelItem(2).text(1) == "not found"
    radar_items = {tree.topLevelItem(0).child(i).text(0): tree.topLevelItem(0).child(i).text(1)
                   for i in range(tree.topLevelItem(0).childCount())}
    assert radar_items["acceptance test passed"] == "✓ done"
    assert radar_items["factory password changed"] == "open"


def open_plan_with_location(window: MainWindow, plan: Path) -> None:
    """Open `plan` through its dialog, mapping the location column by hand, and check what it reports."""
    dialog = window.visit.open_plan(plan)
    assert dialog is not None
    assert dialog.combos[PlanField.NAME].currentText() == "Tag"
    assert dialog.combos[PlanField.LOCATION].currentText() == NO_COLUMN  # "Where" is no known header
    dialog.combos[PlanField.LOCATION].setCurrentText("Where")
    assert [dialog.problems.item(i).text() for i in range(dialog.problems.count())] == [
        "line 4: no planned name"
    ]
    assert dialog.summary.text().startswith("3 planned device(s) read; 1 row(s) not taken")
    dialog.use_button.click()
    assert [row.location for row in window.visit.visit.rows] == ["Gate", "Roof", "Bay"]


def test_the_visit_is_resumed_after_a_restart_and_travels_in_a_file(
    window: MainWindow, qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    plan = tmp_path / "schedule.csv"
    plan.write_text(SCHEDULE.format(radar="10.0.0.21", camera="ACCC8E4A0002"), "utf-8")
    dialog = window.visit.open_plan(plan)
    assert dialog is not None
    dialog.use_button.click()
    window.services.history.record("inxpect:20000", evidence.WALK_TEST, "passed", {"alarm_at_m": 8.0})
    exported = window.visit.export_to(tmp_path / "depot.visit.json")
    window.close()

    services = AppServices.create()  # the same data folder: the app started again
    services.discovery = DiscoveryService(inventory=services.inventory)
    again = MainWindow(services)
    qtbot.addWidget(again)

    assert [row.name for row in again.visit.visit.rows] == ["RAD-01 Gate", "CAM-01 Yard", "RAD-02 Bay"]
    assert again.visit.visit.details.plan_file == "schedule.csv"
    assert again.visit.visit.mapping[PlanField.NAME] == "Tag"
    assert '"RAD-02 Bay"' in exported.read_text("utf-8")
    again.close()
    run_async(qloop, services.discovery.stop())


def test_an_excel_schedule_opens_through_the_same_mapping_dialog(window: MainWindow, tmp_path: Path) -> None:
    plan = tmp_path / "schedule.xlsx"
    plan.write_bytes(schedule_workbook())

    dialog = window.visit.open_plan(plan)
    assert dialog is not None
    assert dialog.combos[PlanField.NAME].currentText() == "Device name"
    assert dialog.summary.text().startswith("2 planned device(s) read; 2 row(s) not taken")
    dialog.use_button.click()

    assert [(row.line, row.name) for row in window.visit.visit.rows] == [(4, "RAD-01 Gate radar"),
                                                                        (6, "CAM-01 Yard")]
    assert window.visit.visit.details.plan_file == "schedule.xlsx"
