"""Generated first passwords: one per device, strong and printable; the sheet as CSV whose cells never run
as formulas and as escaped HTML, written for its owner only; the job sets each device its own."""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path

from app.core.models import VendorId
from app.site.jobs.device_list import PasswordList
from app.site.jobs.engine import SiteJob
from app.site.jobs.model import JobTarget, RowState
from app.site.jobs.password_sheet import (
    ALPHABET,
    generate_password,
    generated_passwords,
    sheet_csv,
    sheet_html,
    sheet_rows,
    write_private,
)
from app.site.jobs.tasks.password import FirstPasswordTask
from tests.unit.site.job_fakes import FakeAccess, FakeDevice, Site


def test_generated_passwords_are_long_mixed_and_unambiguous() -> None:
    passwords = {generate_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert len(password) == 16
        assert set(password) <= set(ALPHABET)
        assert any(c.isupper() for c in password)
        assert any(c.islower() for c in password)
        assert any(c.isdigit() for c in password)
    assert not set("0O1lI") & set(ALPHABET)


def test_one_password_per_device_with_a_serial() -> None:
    targets = [JobTarget(VendorId("inxpect"), "127.0.0.1", 1, serial="20001"),
               JobTarget(VendorId("inxpect"), "127.0.0.1", 2, serial="20002"),
               JobTarget(VendorId("inxpect"), "127.0.0.1", 3)]
    passwords = generated_passwords(targets)
    assert set(passwords) == {"inxpect:20001", "inxpect:20002"}
    assert len(set(passwords.values())) == 2
    assert [row.serial for row in sheet_rows(targets, passwords)] == ["20001", "20002"]


def test_the_csv_never_starts_a_formula_and_the_html_is_escaped(tmp_path: Path) -> None:
    target = JobTarget(VendorId("two_n"), "127.0.0.1", 4443, serial="54-1", model="=HYPERLINK(\"x\")",
                       username="admin")
    rows = sheet_rows([target], {"two_n:54-1": "Abcdefgh23456789"})
    [header, line] = list(csv.reader(io.StringIO(sheet_csv(rows))))
    assert header == ["Device", "Serial", "Address", "Username", "New password"]
    assert line == ["2N =HYPERLINK(\"x\")", "54-1", "127.0.0.1:4443", "admin", "Abcdefgh23456789"]
    evil = JobTarget(VendorId("two_n"), "127.0.0.1", 4443, serial="54-1", model="<script>x</script>")
    page = sheet_html(sheet_rows([evil], {"two_n:54-1": "pw"}))
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    path = write_private(tmp_path / "sheet.csv", sheet_csv(rows))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_cell_that_starts_like_a_formula_is_neutralised() -> None:
    target = JobTarget(VendorId("two_n"), "127.0.0.1", 1, serial="=1+1")
    [_, line] = list(csv.reader(io.StringIO(sheet_csv(sheet_rows([target], {"two_n:=1+1": "pw"})))))
    assert line[1] == "'=1+1"


async def test_each_device_gets_its_own_password_and_keeps_it() -> None:
    site = Site().add(FakeDevice("1"), FakeDevice("2"))
    passwords = generated_passwords(site.targets)
    job = SiteJob(FirstPasswordTask(PasswordList(per_device=passwords)), site.targets, FakeAccess(site))
    assert (await job.run()).counts == {RowState.DONE: 2}
    for device in site.devices.values():
        own = passwords[device.identity.key]
        assert device.password == own
        assert device.remembered is not None
        assert device.remembered.password == own


def test_the_command_line_generates_the_sheet_before_the_job(tmp_path: Path) -> None:
    from app.main import build_parser
    from app.site.jobs.cli import task_of

    targets = [JobTarget(VendorId("inxpect"), "127.0.0.1", 4000 + n, serial=f"2000{n}") for n in range(2)]
    sheet = tmp_path / "sheet.csv"
    args = build_parser().parse_args(["site", "password", "--devices", "x.jsonl", "--generate", str(sheet)])
    task = task_of(args, targets)
    assert isinstance(task, FirstPasswordTask)
    lines = list(csv.reader(io.StringIO(sheet.read_text())))[1:]
    assert [line[1] for line in lines] == ["20000", "20001"]
    assert lines[0][4] != lines[1][4]
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
