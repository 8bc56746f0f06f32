"""Importing a residents list: CSV reading with line numbers, the preview, apply and the read-back check."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.core.errors import ConfigurationError
from app.core.paths import resource
from app.core.progress import ProgressReporter
from app.vendors.simulation import RequestLog
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.directory_csv import (
    export_csv,
    guess_mapping,
    mapping_problems,
    parse_rows,
    read_table,
)
from app.vendors.two_n.directory_import import (
    IMPORT_STAGES,
    ChangeKind,
    ImportPlan,
    import_directory,
    plan_import,
    read_directory,
    verify_import,
)
from app.vendors.two_n.directory_models import DirectoryEntryError
from app.vendors.two_n.simulator import TwoNSimulator

LIST = (
    "\ufeffName;Button;Phone;E-mail;Notes\r\n"
    "Reception;1;sip:100@pbx.example.invalid;reception@example.invalid;front desk\r\n"
    "Anna Novak;2, 8;201;anna.novak@example.invalid;\r\n"
    "\r\n"
    'New Person;9;901;;"two\r\nlines"\r\n'
    "Bad Address;12;a;x;y\r\n"
    ";10;902;;\r\n"
    "Too;many;cells;here;x;y\r\n"
    "anna novak;3;203;;\r\n"
    "Bad Mail;11;903;not-an-address;\r\n"
    "Bad Button;1a;903;;\r\n"
)


def imported(text: str = LIST) -> tuple[list[int], list[str]]:
    table = read_table(text.encode())
    rows = parse_rows(table, guess_mapping(table.headers))
    return [r.line for r in rows.rows], [str(p) for p in rows.problems]


def test_every_bad_line_is_reported_with_its_number() -> None:
    good, bad = imported()
    assert good == [2, 3, 5]
    assert bad == [
        "line 7: E-mail 'x' is not an e-mail address (x)",
        "line 8: no name",
        "line 9: 6 cells, but the header names 5 columns",
        "line 10: the same name as line 3",
        "line 11: E-mail 'not-an-address' is not an e-mail address (not-an-address)",
        "line 12: Buttons '1a' is not a comma-separated list of button numbers (1, 2, …)",
    ]


def test_columns_are_mapped_by_their_names() -> None:
    table = read_table(LIST.encode())
    assert table.delimiter == ";"
    assert table.headers == ("Name", "Button", "Phone", "E-mail", "Notes")
    mapping = guess_mapping(table.headers)
    assert mapping == {"name": 0, "buttons": 1, "callPos[0].peer": 2, "callPos[1].peer": None, "email": 3,
                       "virtNumber": None, "treepath": None, "uuid": None}
    assert mapping_problems(mapping, table.headers) == []
    assert mapping_problems({**mapping, "name": None, "email": 2}, table.headers) == [
        "Choose the column that holds the residents' names.",
        "The column 'Phone' is chosen for more than one field."]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "The list is empty or its first line (the column names) is blank."),
    (b"\n\nName\n", "The list is empty or its first line (the column names) is blank."),
    (b'Name\n"unterminated\n', "Line 2 of the list cannot be read"),
])
def test_unusable_files_say_why(data: bytes, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_table(data)


def test_a_windows_1252_list_is_read() -> None:
    table = read_table("Name,Button\nM\u00fcller,3\n".encode("cp1252"))
    assert table.records[0][1] == ("M\u00fcller", "3")


async def plan_for(client: TwoNClient, text: str, *, delete_missing: bool = False) -> ImportPlan:
    table = read_table(text.encode())
    rows = parse_rows(table, guess_mapping(table.headers))
    return plan_import(rows, await read_directory(client), delete_missing=delete_missing)


async def test_the_shipped_sample_matches_the_demo_intercom(client: TwoNClient) -> None:
    sample = resource("two_n", "residents.csv").read_text(encoding="utf-8")
    plan = await plan_for(client, sample)
    assert plan.problems == ()
    assert {c.name: c.kind.value for c in plan.changes} == {
        "Reception": "unchanged", "Anna Novak": "unchanged", "Jan Dvorak": "update",
        "Petra Svobodova": "unchanged", "Eva Horakova": "add", "Caretaker": "unchanged",
        "Tomas Kral": "add", "Martin Cerny": "kept (not in the list)"}
    jan = next(c for c in plan.changes if c.name == "Jan Dvorak")
    assert jan.summary == ("Number to call: 202 → 203; E-mail: (empty) → jan.dvorak@example.invalid")
    assert plan.describe() == "2 to add, 1 to update, 0 to delete, 4 unchanged, 1 not in the list and kept"
    with_delete = await plan_for(client, sample, delete_missing=True)
    assert with_delete.describe() == "2 to add, 1 to update, 1 to delete, 4 unchanged"


async def test_import_applies_only_what_changes_and_checks_the_result(
    client: TwoNClient, sim: TwoNSimulator, received: RequestLog
) -> None:
    sample = resource("two_n", "residents.csv").read_text(encoding="utf-8")
    plan = await plan_for(client, sample, delete_missing=True)
    reporter = ProgressReporter(IMPORT_STAGES)
    result = await import_directory(client, plan, reporter)
    assert result.failed == ()
    assert result.mismatches == ()
    assert result.describe() == "4 of 4 changes made.\nCheck: the directory read back matches the list."
    sent = {path: [r.json() for r in received.for_path(path) if r.status == 200]
            for path in ("/api/dir/create", "/api/dir/update", "/api/dir/delete")}
    jan = next(c for c in plan.changes if c.name == "Jan Dvorak")
    martin = next(c for c in plan.changes if c.name == "Martin Cerny")
    assert sent["/api/dir/update"] == [{"users": [{
        "uuid": jan.uuid, "callPos": [{"peer": "203"}], "email": "jan.dvorak@example.invalid"}]}]
    assert sent["/api/dir/delete"] == [{"users": [{"uuid": martin.uuid}]}]
    assert [u["name"] for u in sent["/api/dir/create"][0]["users"]] == ["Eva Horakova", "Tomas Kral"]
    assert sent["/api/dir/create"][0]["force"] is False
    again = await plan_for(client, sample, delete_missing=True)
    assert again.describe() == "0 to add, 0 to update, 0 to delete, 7 unchanged"
    assert not again.has_work


async def test_refusals_are_reported_per_entry(client: TwoNClient, sim: TwoNSimulator) -> None:
    sim.directory.capacity = len(list(sim.directory.live)) + 1
    plan = await plan_for(client, "Name,Button\nOne,20\nTwo,21\n")
    result = await import_directory(client, plan, ProgressReporter(IMPORT_STAGES))
    assert [a.change.name for a in result.failed] == ["Two"]
    error = result.failed[0].error
    assert isinstance(error, DirectoryEntryError)
    assert (error.code, str(error)) == ("EDIRLIM_USER", "add Two: the directory is full [EDIRLIM_USER]")
    assert result.describe().splitlines()[:2] == [
        "1 of 2 changes made.", "add Two: the directory is full [EDIRLIM_USER]"]


async def test_the_check_finds_what_differs_after_the_import(client: TwoNClient, sim: TwoNSimulator) -> None:
    plan = await plan_for(client, "Name,Button\nReception,1\n")
    reception = next(e for e in sim.directory.live if e["name"] == "Reception")
    sim.directory.write(reception["uuid"], {"buttons": "9"}, reset=False)  # someone else changed it meanwhile
    assert await verify_import(client, plan, ()) == (
        "line 2 (Reception): Buttons reads '9', the list says '1'",)


async def test_matching_by_name_refuses_ambiguous_entries_and_never_deletes_managed_ones(
    client: TwoNClient
) -> None:
    await client.dir_create([{"name": "Twin"}, {"name": "twin"}, {"name": "Remote", "owner": "My2N"}])
    plan = await plan_for(client, "Name\nTwin\n", delete_missing=True)
    assert [str(p) for p in plan.problems] == [
        "line 2: 2 entries on the intercom are named 'Twin'; add a UUID column"]
    remote = next(c for c in plan.changes if c.name == "Remote")
    assert (remote.kind, remote.summary) == (ChangeKind.KEEP, "managed by My2N: never deleted by an import")


async def test_a_uuid_column_names_the_entry(client: TwoNClient) -> None:
    entries = await read_directory(client)
    anna = next(e for e in entries if e.text("name") == "Anna Novak")
    plan = await plan_for(client, f"UUID,Name\n{anna.uuid.lower()},Anna Svoboda\n")
    change = next(c for c in plan.changes if c.uuid == anna.uuid)
    assert (change.kind, change.summary) == (ChangeKind.UPDATE, "Name: Anna Novak → Anna Svoboda")


async def test_export_reads_back_as_the_same_list_and_neutralises_formulas(
    client: TwoNClient, tmp_path: Path
) -> None:
    await client.dir_create([{"name": "=HYPERLINK(\"http://x\")", "buttons": "12"}])
    entries = await read_directory(client)
    path = tmp_path / "directory.csv"
    export_csv(entries, path)
    with path.open(encoding="utf-8", newline="") as exported:
        rows = list(csv.reader(exported))
    assert rows[0] == ["Name", "Buttons", "Number to call", "Second number", "E-mail", "Virtual number",
                       "Folder", "UUID"]
    assert rows[1][:2] == ["'=HYPERLINK(\"http://x\")", "12"]
    table = read_table(path.read_bytes())
    parsed = parse_rows(table, guess_mapping(table.headers))
    assert parsed.problems == ()
    assert len(parsed.rows) == len(entries)


async def test_the_directory_is_read_without_photos(
    client: TwoNClient, sim: TwoNSimulator, received: RequestLog
) -> None:
    photo = "data:image/jpeg;base64," + "A" * 4000
    await client.dir_create([{"name": "Pictured", "photo": photo}])
    entries = await read_directory(client)
    query = [r for r in received.for_path("/api/dir/query") if r.status == 200][-1]
    assert query.json()["fields"] == [
        "name", "buttons", "callPos[0].peer", "callPos[1].peer", "email", "virtNumber", "treepath", "owner",
        "deleted"]
    pictured = next(e for e in entries if e.text("name") == "Pictured")
    assert "photo" not in pictured.values
    assert pictured.values["callPos"] == [{"peer": ""}, {"peer": ""}, {}]
