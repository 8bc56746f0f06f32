"""The as-built report at site scale: 250 planned devices, 20 history entries each, as HTML and as PDF.

Run: uv run python -m tests.benchmarks.bench_report [--devices 250] [--entries 20] [--runs 3] [--keep DIR]

Builds a real history database (SQLite, in a temporary folder) and a plan, then times what Report…
does off the Qt thread: the visit's state (matching, checklists, history reads) plus the HTML, and the
same plus Qt's PDF writer. Prints each run, the medians and the PDF's page count; asserts nothing
about time (target: under 2 s each).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from app.backend import evidence
from app.backend.history import DeviceHistory
from app.site.as_built import DEMO_MARK, AsBuiltReport, render_as_built_html
from app.site.plan import PlanRow
from app.site.plan_match import FoundDevice
from app.site.visit import VisitDetails
from app.site.visit_state import visit_state

VENDORS = (("inxpect", "MSK-101-POE"), ("two_n", "2N IP Vario"), ("axis", "AXIS Q3819-PVE"),
           ("audiocodes", "Mediant 800"), ("hikvision", "DS-2CD2143G2-I"))


def site(count: int) -> tuple[list[PlanRow], list[FoundDevice]]:
    """`count` planned devices; every tenth is not found, and two found devices are not planned."""
    rows, found = [], []
    for index in range(count):
        vendor, model = VENDORS[index % len(VENDORS)]
        serial = f"SN{index:06d}"
        mac = f"02:00:00:00:{index // 256:02x}:{index % 256:02x}"
        address = f"10.0.{index // 250}.{index % 250 + 1}"
        where = f"Building {index // 40 + 1}, level {index % 4}"
        notes = "mounted at 3 m" if index % 3 else ""
        rows.append(PlanRow(index + 2, f"DEV-{index:03d} {model}", where, vendor, model, serial, mac, address,
                            "1.102", notes))
        if index % 10 != 9:
            found.append(FoundDevice(f"{vendor}:{serial}", vendor, model, serial, mac, f"https://{address}:443",
                                     "1.100", f"dev-{index}"))
    found += [FoundDevice(f"axis:EXTRA{i}", "axis", "AXIS M3106", f"EXTRA{i}", address=f"https://10.9.0.{i}")
              for i in (1, 2)]
    return rows, found


def fill_history(history: DeviceHistory, devices: list[FoundDevice], entries: int) -> None:
    """`entries` entries per device, as a visit records them (trust, login, operations, tests)."""
    script = [
        ("Certificate", "trusted", {"fingerprint": "AB:CD:EF"}),
        ("Logged in", "done", {}),
        (evidence.FACTORY_PASSWORD_CHANGED, "done", {}),
        ("Updating sensor firmware", "started", {}),
        ("Updating sensor firmware", "succeeded", {}),
        (evidence.FIRMWARE_UPDATED, "done", {"from": "1.100", "to": "1.102",
                                             "file": "MSK101_sensor_v1.102.ifw"}),
        ("Saving the configuration", "started", {}),
        ("Saving the configuration", "succeeded", {}),
        (evidence.CALIBRATION_SAVED, "done", {"coefficient": 1234}),
        (evidence.WALK_TEST, "failed", {"alarm_at_m": 6.1, "area_ends_m": 8.0}),
        (evidence.WALK_TEST, "passed", {"alarm_at_m": 8.0, "area_ends_m": 8.0}),
        ("Restart intercom", "failed", {"error": "DeviceTimeoutError", "message": "No answer in 30 s."}),
        ("Restart intercom", "succeeded", {}),
        ("Upload display image", "succeeded", {}),
        ("wizard.door", "passed", {"summary": "door 1 opened and closed"}),
        (evidence.ALIGNMENT_RECORDED, "recorded",
         {"sensors": {"1": {"pan": 0.1}}, "blendingAmount": 0.5, "parallaxCompensationDistance": 6}),
        (evidence.CERTIFICATE_REPLACED, "confirmed",
         {"subject": "CN=sbc", "issuer": "CN=CA", "not_after": "2028-01-31", "verified_by": "TLS handshake"}),
        ("Register to site Depot", "done", {"code": "200"}),
        ("Back up configuration", "succeeded", {}),
        ("Setting time", "succeeded", {}),
    ]
    for device in devices:
        for step in range(entries):
            action, result, detail = script[step % len(script)]
            history.record(device.key, action, result, detail)


def timed(work: object) -> tuple[float, object]:
    """Wall seconds and the result; the process's CPU seconds are printed beside them."""
    started, cpu = time.perf_counter(), time.process_time()
    result = work()  # type: ignore[operator]
    timed.cpu = time.process_time() - cpu  # type: ignore[attr-defined]
    return time.perf_counter() - started, result


def main() -> None:
    """Time HTML and PDF over several runs and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=250)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="folder to keep the last report.pdf and report.html in")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from app.ui.report_pdf import write_report_pdf

    app = QGuiApplication(sys.argv[:1])
    details = VisitDetails("Depot North", "ACME Logistics", "Ana Field", "Installers Ltd", "schedule.csv")
    with tempfile.TemporaryDirectory() as folder:
        out = args.keep or Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        history = DeviceHistory(Path(folder) / "history.sqlite3")
        rows, found = site(args.devices)
        fill_history(history, found, args.entries)

        def html() -> str:
            state = visit_state(rows, found, history)
            return render_as_built_html(AsBuiltReport(details, state, datetime.now().astimezone(), demo=True))

        def pdf() -> int:
            path = out / "report.pdf"
            return write_report_pdf(html(), path, title="As-built report", demo_mark=DEMO_MARK)

        html_times, pdf_times, cpu_times, pages = [], [], [], 0
        for run in range(args.runs):
            html_seconds, page = timed(html)
            html_cpu = timed.cpu  # type: ignore[attr-defined]
            pdf_seconds, pages = timed(pdf)  # type: ignore[assignment]
            pdf_cpu = timed.cpu  # type: ignore[attr-defined]
            html_times.append(html_seconds)
            pdf_times.append(pdf_seconds)
            cpu_times.append((html_cpu, pdf_cpu))
            print(f"run {run + 1}: HTML {html_seconds:.3f} s wall / {html_cpu:.3f} s CPU "
                  f"({len(str(page)) // 1024} KiB), PDF {pdf_seconds:.3f} s wall / {pdf_cpu:.3f} s CPU "
                  f"({pages} pages)")
        (out / "report.html").write_text(str(page), "utf-8")
        print(f"{args.devices} planned devices ({len(found)} found, 2 of them unplanned), "
              f"{args.entries} history entries each")
        size = (out / "report.pdf").stat().st_size // 1024
        html_median, pdf_median = statistics.median(html_times), statistics.median(pdf_times)
        html_cpu_median = statistics.median(cpu for cpu, _ in cpu_times)
        pdf_cpu_median = statistics.median(cpu for _, cpu in cpu_times)
        print(f"median HTML {html_median:.3f} s wall / {html_cpu_median:.3f} s CPU, "
              f"median PDF {pdf_median:.3f} s wall / {pdf_cpu_median:.3f} s CPU (target < 2 s each); "
              f"PDF pages {pages}; PDF size {size} KiB")
        history.close()
    del app


if __name__ == "__main__":
    main()
