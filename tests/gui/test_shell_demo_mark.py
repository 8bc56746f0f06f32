"""A window made for the demo says so: its title, its panels' context (the demo CA) and the report."""

from __future__ import annotations

from pathlib import Path

import qasync
from pytestqt.qtbot import QtBot

from app.site.as_built import DEMO_MARK
from app.site.visit import Visit, VisitDetails
from app.ui.main_window import MainWindow
from app.ui.services import AppServices
from app.ui.site_report_action import save_site_report
from tests.gui.conftest import run_async

DETAILS = VisitDetails(site="Depot North", customer="ACME", technician="Ana Field", company="Installers Ltd")


def _report_text(window: MainWindow, qloop: qasync.QEventLoop, path: Path) -> str:
    window.visit.save(Visit(DETAILS, ()))
    run_async(qloop, save_site_report(window, path))
    return path.read_text("utf-8")


def test_a_demo_window_marks_its_title_panels_and_report(
    qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    window = MainWindow(AppServices.create(), demo=True)
    qtbot.addWidget(window)
    try:
        assert "DEMO" in window.windowTitle()
        assert window.workspace.demo is True
        assert DEMO_MARK in _report_text(window, qloop, tmp_path / "report.html")
    finally:
        window.close()


def test_a_real_window_carries_no_demo_mark(qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path) -> None:
    window = MainWindow(AppServices.create())
    qtbot.addWidget(window)
    try:
        assert "DEMO" not in window.windowTitle()
        assert window.workspace.demo is False
        assert DEMO_MARK not in _report_text(window, qloop, tmp_path / "report.html")
    finally:
        window.close()
