"""The report's site jobs section: each job of the visit with what it did and every device's outcome in
words (open ones marked), escaped; jobs before the visit started are left out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.core.models import VendorId
from app.site.as_built import AsBuiltReport, render_as_built_html
from app.site.jobs.model import JobKind, JobSettings, JobTarget, RowState, RowStatus
from app.site.jobs.report import jobs_for_report, site_jobs_html
from app.site.jobs.store import JobStore
from app.site.jobs.tasks.firmware import FirmwarePackage, FirmwareTask
from app.site.visit import VisitDetails
from app.site.visit_state import visit_state


def intercom(n: int, model: str = "2N IP Verso") -> JobTarget:
    return JobTarget(VendorId("two_n"), "127.0.0.1", 4000 + n, serial=f"54-{n}", model=model)


def firmware_job(store: JobStore, tmp_path: Path) -> str:
    task = FirmwareTask(packages=[FirmwarePackage.of(tmp_path / "verso.bin", "2.40", ["2N IP Verso"]),
                                  FirmwarePackage.of(tmp_path / "vario.bin", "", ["2N IP Vario"])])
    rows = [RowStatus(intercom(1), RowState.DONE, message="Now runs 2.40 (was 2.37)."),
            RowStatus(intercom(2), RowState.SKIPPED, message="Already runs 2.40."),
            RowStatus(intercom(3, "<b>Vario</b>"), RowState.FAILED, message="Reset <mid-upload>."),
            RowStatus(intercom(4), RowState.INTERRUPTED, message="Interrupted during step 3/6.")]
    return store.create(task.kind, task.params(), JobSettings(), rows)


def test_each_job_lists_every_devices_outcome_in_words(tmp_path: Path) -> None:
    store = JobStore()
    firmware_job(store, tmp_path)
    [job] = jobs_for_report(store)
    section = site_jobs_html([job])
    assert "Site jobs" in section
    assert "Firmware: verso.bin 2.40 for 2n ip verso; vario.bin for 2n ip vario." in section
    assert "4 devices: 1 done, 1 nothing to do, 1 failed, 1 interrupted." in section
    assert '<td class="done">done</td><td>Now runs 2.40 (was 2.37).</td>' in section
    assert '<td class="open">failed</td><td>Reset &lt;mid-upload&gt;.</td>' in section
    assert "&lt;b&gt;Vario&lt;/b&gt;" in section
    assert "<b>Vario</b>" not in section
    assert site_jobs_html([]) == ""


def test_jobs_from_before_the_visit_are_left_out(tmp_path: Path) -> None:
    store = JobStore()
    firmware_job(store, tmp_path)
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert jobs_for_report(store, later) == []
    assert len(jobs_for_report(store, "not a date")) == 1


def test_the_as_built_report_carries_the_section(tmp_path: Path) -> None:
    store = JobStore()
    firmware_job(store, tmp_path)
    state = visit_state((), [], None)
    report = AsBuiltReport(VisitDetails(site="Depot"), state, datetime(2026, 12, 5, tzinfo=UTC),
                           site_jobs=jobs_for_report(store))
    page = render_as_built_html(report)
    assert JobKind.FIRMWARE.value.capitalize() in page
    assert page.index("Site jobs") < page.index("</body>")
