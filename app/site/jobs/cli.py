"""`commissioner site backup|firmware|password|time|copy-config|status`: a site job without the GUI.

With --json, stdout carries one JSON object per device as its row settles (vendor, serial, host, port,
ok, state, message and what the job produced), then one summary object. The exit status is 1 when a
device failed (a device that cannot do the job, or had nothing to do, is not a failure), 2 for unusable
arguments. Logs go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.backend.credentials import CredentialStore
from app.backend.history import DeviceHistory
from app.backend.trust import TrustStore
from app.backend.vault import SessionVault
from app.core.errors import AppError
from app.core.paths import data_dir
from app.site.jobs.access import ConnectionAccess
from app.site.jobs.device_list import PasswordList, read_device_list
from app.site.jobs.engine import SiteJob
from app.site.jobs.model import JobSettings, JobTarget, RowState, RowStatus
from app.site.jobs.password_sheet import generated_passwords, sheet_csv, sheet_rows, write_private
from app.site.jobs.store import JobStore
from app.site.jobs.tasks.backup import BackupTask
from app.site.jobs.tasks.clock import TimeTask
from app.site.jobs.tasks.configuration import ConfigurationCopyTask, source_reader
from app.site.jobs.tasks.firmware import FirmwarePackage, FirmwareTask
from app.site.jobs.tasks.password import FirstPasswordTask
from app.site.jobs.work import DeviceAccess, JobTask

log = logging.getLogger(__name__)

TaskFor = Callable[[DeviceAccess], JobTask]
"""task_for(access): the job's task (a configuration copy reads its source through the job's access)."""


def add_site_parser(sub: Any) -> None:
    """The `site` command and its jobs, on the composition root's subparsers."""
    site = sub.add_parser("site", help="run one job on many devices without the GUI")
    jobs = site.add_subparsers(dest="job", required=True)
    backup = _job_parser(jobs, "backup", "back up every device's configuration to a folder")
    backup.add_argument("--out", type=Path, required=True, help="folder the backups are saved in")
    firmware = _job_parser(jobs, "firmware", "install one firmware file on every device")
    firmware.add_argument("--package", type=Path, help="the firmware file (for every model, or --model's)")
    firmware.add_argument("--model-package", nargs=3, action="append", default=[],
                          metavar=("MODEL", "FILE", "VERSION"),
                          help="the firmware file of one model and the version it installs ('' if unknown); "
                               "repeatable: a job over mixed models takes one package per model")
    firmware.add_argument("--version", default="", help="the version it installs: devices on it are skipped")
    firmware.add_argument("--model", action="append", default=[], help="the model it is for (repeatable)")
    firmware.add_argument("--pilot", action="store_true",
                          help="update one device first; the others only when it succeeded")
    password = _job_parser(jobs, "password", "set the first password on devices still on the factory one")
    new = password.add_mutually_exclusive_group(required=True)
    new.add_argument("--new-password-file", type=Path, help="one password for all, or SERIAL,PASSWORD lines")
    new.add_argument("--generate", type=Path, metavar="SHEET.csv",
                     help="generate one password per device and write them to this CSV (owner-only) first")
    _job_parser(jobs, "time", "set every device's clock to this computer's time")
    copy = _job_parser(jobs, "copy-config", "copy one device's configuration to the others of its model")
    copy.add_argument("--from", dest="source", required=True, metavar="SERIAL",
                      help="serial of the listed device the configuration comes from")
    copy.add_argument("--include-identity", action="store_true",
                      help="also copy identity and network settings (every device gets the source's)")
    copy.add_argument("--preview", action="store_true",
                      help="pre-flight only: print each device's changes setting by setting, write nothing")
    status = jobs.add_parser("status", help="report jobs that never finished (a crash) and their devices")
    status.add_argument("--json", action="store_true", help="one JSON object per job")


def _job_parser(jobs: Any, name: str, text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = jobs.add_parser(name, help=text)
    parser.add_argument("--devices", type=Path, required=True,
                        help="device list: `commissioner sim --json` lines, or CSV with those columns")
    parser.add_argument("--concurrency", type=int, default=4, help="devices at once (1-16, default 4)")
    parser.add_argument("--upload-concurrency", type=int, default=2,
                        help="devices receiving a large upload at once (1-16, default 2)")
    parser.add_argument("--json", action="store_true", help="one JSON result per device, then a summary")
    return parser


def run_site_command(args: argparse.Namespace) -> int:
    """Entry point of `commissioner site`; returns the exit code."""
    level = getattr(args, "log_level", "INFO")
    logging.basicConfig(level="WARNING" if level == "INFO" else level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.job == "status":
        return _report_unfinished(args.json)
    try:
        targets = read_device_list(args.devices)
        if args.job == "copy-config":
            task_for, targets = _copy_task(args, targets)
        else:
            task = task_of(args, targets)
            task_for = lambda _access: task  # noqa: E731
        upload = min(args.upload_concurrency, args.concurrency)
        settings = JobSettings(args.concurrency, upload, pilot=getattr(args, "pilot", False))
    except (AppError, ValueError) as err:
        print(f"commissioner site: {err}", file=sys.stderr)
        return 2
    return asyncio.run(_run(task_for, targets, settings, as_json=args.json,
                            preview=getattr(args, "preview", False)))


def _copy_task(args: argparse.Namespace, targets: list[JobTarget]) -> tuple[TaskFor, list[JobTarget]]:
    """The copy's task (once the access exists) and its devices: every listed one but the source."""
    source = next((target for target in targets if target.serial.lower() == args.source.lower()), None)
    if source is None:
        raise ValueError(f"--from {args.source}: no listed device has that serial")
    others = [target for target in targets if target.key != source.key]

    def task_for(access: DeviceAccess) -> JobTask:
        return ConfigurationCopyTask(source, source_reader(access, source),
                                     include_identity=args.include_identity)

    return task_for, others


def task_of(args: argparse.Namespace, targets: list[JobTarget] | None = None) -> JobTask:
    """The job's task from its command line; ValueError (or ConfigurationError) for unusable arguments."""
    if args.job == "backup":
        if not args.out.is_dir():
            raise ValueError(f"--out {args.out} is not a folder")
        return BackupTask(args.out)
    if args.job == "firmware":
        return _firmware_task(args)
    if args.job == "password":
        if args.generate is None:
            return FirstPasswordTask(PasswordList.read(args.new_password_file))
        passwords = generated_passwords(targets or [])
        write_private(args.generate, sheet_csv(sheet_rows(targets or [], passwords)))
        return FirstPasswordTask(PasswordList(per_device=passwords))
    return TimeTask()


def _firmware_task(args: argparse.Namespace) -> FirmwareTask:
    per_model = [FirmwarePackage.of(Path(file), version, [model])
                 for model, file, version in args.model_package]
    if args.package is None and not per_model:
        raise ValueError("a firmware job needs --package or --model-package")
    for path in ([args.package] if args.package is not None else []) + [p.path for p in per_model]:
        if not path.is_file():
            raise ValueError(f"the firmware file {path} is not a file")
    if args.package is None:
        return FirmwareTask(packages=per_model)
    return FirmwareTask(args.package, version=args.version, models=args.model, packages=per_model)


async def _run(
    task_for: TaskFor, targets: list[Any], settings: JobSettings, *, as_json: bool, preview: bool = False
) -> int:
    history = DeviceHistory(data_dir() / "history.sqlite3")
    vault = SessionVault() if CredentialStore.needs_passphrase() else None
    access = ConnectionAccess(TrustStore(), CredentialStore(vault=vault), history=history)
    task = task_for(access)
    if preview:  # nothing is written to the devices, no job is kept and no job outcome recorded
        try:
            rows = await SiteJob(task, targets, access, settings=settings).preflight()
            return _print_preview(rows, as_json)
        finally:
            history.close()
    store = JobStore()
    job = SiteJob(task, targets, access, settings=settings, store=store, history=history)
    printed: set[str] = set()

    def settled(row: RowStatus) -> None:
        if row.state.finished and row.target.key not in printed:
            printed.add(row.target.key)
            _print_row(row, as_json)

    job.subscribe(settled)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, job.cancel)
    try:
        summary = await job.run()
    finally:
        store.close()
        history.close()
    counts = {state.name.lower(): count for state, count in summary.counts.items()}
    line = {"summary": True, "job": job.job_id, "kind": task.kind.value, "devices": len(job.rows),
            **counts, "ok": summary.failed == 0}
    print(json.dumps(line) if as_json else _summary_text(line), flush=True)
    return 1 if summary.failed else 0


def _print_preview(rows: list[RowStatus], as_json: bool) -> int:
    """Each device's verdict and, in text, its changes one per line; 0 unless a device failed to answer."""
    for row in rows:
        _print_row(row, as_json)
        if not as_json:
            for change in row.detail.get("changes", []):
                before = "(not set)" if change["before"] is None else change["before"]
                print(f"    {change['name']}: {before} -> {change['after']}", flush=True)
    return 1 if any(row.state is RowState.FAILED for row in rows) else 0


def _print_row(row: RowStatus, as_json: bool) -> None:
    target = row.target
    record: dict[str, Any] = {
        "vendor": target.vendor, "serial": row.serial or target.serial, "host": target.host,
        "port": target.port, "model": target.model, "ok": row.ok, "state": row.state.value,
        "message": row.message, **{key: value for key, value in row.detail.items() if key != "sha256"},
    }
    if as_json:
        print(json.dumps(record, default=str), flush=True)
    else:
        print(f"{target.vendor:<10} {record['serial']:<20} {target.host}:{target.port:<6} "
              f"{row.state.value:<15} {row.message}", flush=True)


def _summary_text(line: dict[str, Any]) -> str:
    counts = ", ".join(f"{count} {name}" for name, count in line.items()
                       if name not in ("summary", "job", "kind", "devices", "ok"))
    return f"Job {line['job']} ({line['kind']}) on {line['devices']} devices: {counts}."


def _report_unfinished(as_json: bool) -> int:
    """Report jobs that never finished: which devices finished, which were interrupted and where."""
    store = JobStore()
    try:
        jobs = store.recover()
    finally:
        store.close()
    for job in jobs:
        rows = [{"vendor": row.target.vendor, "serial": row.serial or row.target.serial,
                 "host": row.target.host, "port": row.target.port, "state": row.state.value,
                 "message": row.message} for row in job.rows]
        if as_json:
            print(json.dumps({"job": job.job_id, "kind": job.kind.value, "created": job.created.isoformat(),
                              "params": dict(job.params), "devices": rows}, default=str), flush=True)
        else:
            print(f"Job {job.job_id} ({job.kind.value}, started {job.created:%Y-%m-%d %H:%M} UTC):")
            for row in rows:
                print(f"  {row['vendor']:<10} {row['serial']:<20} {row['host']}:{row['port']:<6} "
                      f"{row['state']:<15} {row['message']}")
    if not jobs and not as_json:
        print("No unfinished site jobs.")
    return 0
