"""The directory functions (document §5.14) through the client against the simulated intercom."""

from __future__ import annotations

import httpx
import pytest

from app.core.clock import ManualClock
from app.vendors.simulation import RecordedRequest, RequestLog
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.directory_models import DirectoryProblem, EntryOutcome
from app.vendors.two_n.simulator import TwoNSimulator
from app.vendors.two_n.simulator.residents import DEMO_RESIDENTS
from tests.unit.two_n.conftest import advance

FIRST = "01234567-89AB-CDEF-0123-456789ABCDEF"
SECOND = "76543210-68FF-18CA-3210-FEDCBA987654"


def last(received: RequestLog, path: str) -> RecordedRequest:
    return [r for r in received.for_path(path) if r.status == 200][-1]


def problems(outcome: EntryOutcome) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in outcome.problems]


async def test_template_lists_every_key_of_the_model(client: TwoNClient, received: RequestLog) -> None:
    template = await client.dir_template()
    assert last(received, "/api/dir/template").method == "GET"
    entry = template.entries[0]
    assert template.series.isdigit()
    assert list(entry.values) == ["deleted", "owner", "name", "photo", "email", "treepath", "virtNumber",
                                  "deputy", "buttons", "callPos", "access"]
    assert entry.values["callPos"][0] == {"peer": "", "profiles": "", "grouped": False, "ipEye": ""}
    assert entry.values["access"]["code"] == ["", "", "", ""]
    assert "fpt" not in entry.values["access"]  # the IP Verso of this fixture has no fingerprint reader
    assert entry.text("treepath") == "/"


async def test_vario_has_no_photo_key(clock: ManualClock) -> None:
    vario = TwoNSimulator(serial_index=1, clock=clock)
    assert "photo" not in vario.directory.template
    assert "fpt" in TwoNSimulator(serial_index=2, clock=clock).directory.template["access"]


async def test_create_as_in_the_documents_example(client: TwoNClient, sim: TwoNSimulator,
                                                  received: RequestLog) -> None:
    users = [
        {"uuid": FIRST, "name": "ABCD", "email": "abcd@def.cz", "access": {"pin": "1234"}},
        {"name": "ABCD2", "owner": "My2N", "email": "abcd2@def.cz"},
        {"uuid": FIRST, "name": "ABCD3", "email": "something", "access": {"pin": "5678"},
         "test": "something", "albert": "einstein"},
        {}, {},
    ]
    before = sim.directory.last_timestamp
    result = await client.dir_create(users, force=True)
    request = last(received, "/api/dir/create")
    assert (request.method, request.headers["content-type"]) == ("PUT", "application/json")
    assert request.json() == {"force": True, "users": users}
    assert result.series == sim.directory.series
    first, second, third, fourth, fifth = result.outcomes
    assert (first.uuid, first.timestamp) == (FIRST, before + 1)
    assert (second.ok, second.timestamp) == (True, before + 2)
    assert second.uuid not in (FIRST, "")
    assert problems(third) == [("EDIR_FIELD_VALUE_ERROR", "email"), ("EDIR_FIELD_NAME_UNKNOWN", "test"),
                               ("EDIR_FIELD_NAME_UNKNOWN", "albert")]
    assert third.timestamp is None
    assert [fourth.timestamp, fifth.timestamp] == [before + 3, before + 4]
    read = await client.dir_get([FIRST], fields=[])
    assert read.entries[0].values["access"]["pin"] == "1234"
    assert read.entries[0].text("name") == "ABCD"


async def test_create_without_force_refuses_an_existing_uuid_and_force_resets_the_rest(
    client: TwoNClient
) -> None:
    await client.dir_create([{"uuid": FIRST, "name": "Old", "email": "old@example.invalid"}])
    refused = (await client.dir_create([{"uuid": FIRST, "name": "New"}])).outcomes[0]
    assert problems(refused) == [("EDIR_UUID_ALREADY_EXISTS", "")]
    assert str(refused.problems[0]) == "an entry with this uuid already exists [EDIR_UUID_ALREADY_EXISTS]"
    await client.dir_create([{"uuid": FIRST, "name": "New"}], force=True)
    entry = (await client.dir_get([FIRST], fields=[])).entries[0]
    assert (entry.text("name"), entry.text("email")) == ("New", "")


async def test_update_as_in_the_documents_example(client: TwoNClient, sim: TwoNSimulator,
                                                  received: RequestLog) -> None:
    await client.dir_create([{"uuid": FIRST, "name": "Before", "virtNumber": "12", "buttons": "3"}])
    users = [
        {"uuid": FIRST, "name": "ABCD", "email": "abcd@def.cz", "access": {"pin": "1234"}},
        {"uuid": SECOND, "name": "ABCD2", "owner": "My2N", "email": "abcd2@def.cz"},
        {"uuid": "01234567-89A-CDEF-0123-456789ABCDEF", "name": "ABCD3"},
        {"uuid": FIRST, "name": "ABCD4", "albert": "einstein"},
        {"uuid": FIRST, "name": "ABCD4", "access.pin": "hello"},
        {"name": "no uuid"},
    ]
    result = await client.dir_update(users)
    assert last(received, "/api/dir/update").json() == {"users": users}
    outcomes = result.outcomes
    assert (outcomes[0].ok, outcomes[0].uuid) == (True, FIRST)
    assert [problems(o) for o in outcomes[1:]] == [
        [("EDIR_UUID_DOES_NOT_EXIST", "")], [("EDIR_UUID_INVALID_FORMAT", "")],
        [("EDIR_FIELD_NAME_UNKNOWN", "albert")], [("EDIR_FIELD_VALUE_ERROR", "access.pin")],
        [("EDIR_UUID_IS_MISSING", "")]]
    entry = (await client.dir_get([FIRST], fields=[])).entries[0]
    assert (entry.text("name"), entry.text("virtNumber"), entry.text("buttons")) == ("ABCD", "12", "3")


async def test_delete_keeps_only_the_uuid_and_query_reports_it(client: TwoNClient) -> None:
    await client.dir_create([{"uuid": FIRST, "name": "Gone", "owner": "My2N"}, {"name": "Owned"}])
    result = await client.dir_delete([FIRST, SECOND, "76543210-68FF-18-3210-FEDCBA987654"])
    assert result.outcomes[0].ok
    assert [problems(o) for o in result.outcomes[1:]] == [
        [("EDIR_UUID_DOES_NOT_EXIST", "")], [("EDIR_UUID_INVALID_FORMAT", "")]]
    deleted_at = result.outcomes[0].timestamp
    assert deleted_at is not None
    changed = await client.dir_query(since=deleted_at)
    assert [(e.uuid, dict(e.values)) for e in changed.entries] == [(FIRST, {"deleted": True})]
    gone = await client.dir_get([FIRST])
    assert problems(gone.failures[0]) == [("EDIR_UUID_DOES_NOT_EXIST", "")]


async def test_delete_by_owner(http: httpx.AsyncClient, sim: TwoNSimulator) -> None:
    open_system(sim)
    await http.put("/api/dir/create", json={"users": [{"name": "A", "owner": "My2N"}, {"name": "B"}]})
    reply = (await http.put("/api/dir/delete", json={"owner": "My2N"})).json()
    assert len(reply["result"]["users"]) == 1
    assert (await http.put("/api/dir/delete", json={"owner": "nobody"})).json()["result"]["users"] == []
    names = {e["name"] for e in sim.directory.live}
    assert "B" in names
    assert "A" not in names


async def test_get_returns_the_fields_asked_for_in_place(client: TwoNClient, received: RequestLog) -> None:
    await client.dir_create([{"uuid": FIRST, "name": "ABCD", "email": "abcd@abcd.cz",
                              "callPos": [{"peer": "100"}, {"peer": "200", "grouped": True}]}])
    fields = ["name", "email", "callPos.peer", "callPos[1].grouped"]
    read = await client.dir_get([FIRST, SECOND], fields=fields)
    assert last(received, "/api/dir/get").json() == {
        "users": [{"uuid": FIRST}, {"uuid": SECOND}],
        "fields": ["name", "email", "callPos.peer", "callPos[1].grouped"]}
    entry = read.entries[0]
    assert dict(entry.values) == {
        "name": "ABCD", "email": "abcd@abcd.cz",
        "callPos": [{"peer": "100"}, {"peer": "200", "grouped": True}, {"peer": ""}]}
    assert problems(read.failures[0]) == [("EDIR_UUID_DOES_NOT_EXIST", "")]
    assert read.failures[0].uuid == SECOND


async def test_query_follows_the_timestamp_iterator_and_the_series(
    client: TwoNClient, sim: TwoNSimulator, received: RequestLog
) -> None:
    everything = await client.dir_query()
    assert last(received, "/api/dir/query").json() == {"iterator": {"timestamp": 0}}
    assert [e.text("name") for e in everything.entries] == [r[0] for r in DEMO_RESIDENTS]
    assert [e.timestamp for e in everything.entries] == list(range(1, len(DEMO_RESIDENTS) + 1))
    assert everything.entries[0].values == {
        "name": "Reception", "email": "reception@example.invalid", "virtNumber": "100", "buttons": "1",
        "callPos": [{"peer": "sip:100@pbx.example.invalid", "profiles": "", "grouped": False, "ipEye": ""},
                    {"peer": "", "profiles": "", "grouped": False, "ipEye": ""},
                    {"peer": "", "profiles": "", "grouped": False, "ipEye": ""}]}
    since = await client.dir_query(series=everything.series, fields=["name"], since=5)
    assert [(e.timestamp, dict(e.values)) for e in since.entries] == [
        (5, {"name": "Martin Cerny"}), (6, {"name": "Caretaker"})]
    other = await client.dir_query(series="1", since=2)
    assert (other.series, other.entries, other.newest, other.invalid) == (everything.series, (), 6, 0)
    ahead = await client.dir_query(since=99)
    assert (ahead.entries, ahead.newest) == ((), 6)


async def test_limits_and_consistency(client: TwoNClient, sim: TwoNSimulator) -> None:
    sim.directory.capacity = len(DEMO_RESIDENTS) + 1
    outcomes = (await client.dir_create([
        {"name": "fits", "access": {"validFrom": "100", "validTo": "200"}},
        {"name": "full"},
    ])).outcomes
    assert outcomes[0].ok
    assert problems(outcomes[1]) == [("EDIRLIM_USER", "")]
    uuid = outcomes[0].uuid
    bad = (await client.dir_update([{"uuid": uuid, "access": {"validFrom": "300"}}])).outcomes[0]
    assert problems(bad) == [("EINCONSISTENT", "")]
    assert str(bad.problems[0]) == "the validity starts at or after its end [EINCONSISTENT]"
    assert str(DirectoryProblem("EDIR_FIELD_VALUE_ERROR", "buttons")) == (
        "the intercom rejected the value (buttons) [EDIR_FIELD_VALUE_ERROR]")


@pytest.mark.parametrize(("method", "path", "body", "code", "param"), [
    ("PUT", "/api/dir/create", b"not json", 12, ""),
    ("PUT", "/api/dir/create", b"[1, 2]", 12, ""),
    ("PUT", "/api/dir/create", b'{"users": {"name": "x"}}', 12, "users"),
    ("PUT", "/api/dir/create", b'{"force": "yes", "users": []}', 12, "force"),
    ("PUT", "/api/dir/update", b"{}", 11, "users"),
    ("PUT", "/api/dir/delete", b"{}", 11, "users"),
    ("PUT", "/api/dir/delete", b'{"owner": "My2N", "users": []}', 17, "owner"),
    ("PUT", "/api/dir/delete", b'{"owner": 5}', 12, "owner"),
    ("POST", "/api/dir/get", b'{"fields": "name"}', 12, "fields"),
    ("POST", "/api/dir/query", b'{"iterator": {"timestamp": "x"}}', 12, "iterator"),
    ("POST", "/api/dir/query", b'{"series": 5}', 12, "series"),
    ("POST", "/api/dir/query", b"\xff\xfe", 12, ""),
    ("GET", "/api/dir/query", b"", 3, ""),
    ("POST", "/api/dir/create", b"{}", 3, ""),
])
async def test_malformed_requests_get_the_documents_error_form(
    http: httpx.AsyncClient, sim: TwoNSimulator, method: str, path: str, body: bytes, code: int, param: str
) -> None:
    open_system(sim)
    response = await http.request(method, path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200
    error = response.json()["error"]
    assert (error["code"], error.get("param", "")) == (code, param)


async def test_odd_values_inside_entries_are_per_entry_errors(
    http: httpx.AsyncClient, sim: TwoNSimulator
) -> None:
    open_system(sim)
    users = [{"name": 5}, {"buttons": "1,a"}, {"callPos": [{}, {}, {}, {}]}, {"access": "x"}, "text",
             {"virtNumber": "12345678"}, {"access": {"card": ["12"]}}, {"uuid": 7},
             {"access": {"validTo": "x"}}]
    reply = (await http.put("/api/dir/create", json={"users": users})).json()
    assert [u["errors"][0].get("field", u["errors"][0]["code"]) for u in reply["result"]["users"]] == [
        "name", "buttons", "callPos", "access", "EDIR_FIELD_VALUE_ERROR", "virtNumber", "access.card",
        "EDIR_UUID_INVALID_FORMAT", "access.validTo"]


async def test_factory_reset_empties_the_directory_in_a_new_series(client: TwoNClient, sim: TwoNSimulator,
                                                                   clock: ManualClock) -> None:
    series = (await client.dir_template()).series
    await client.factory_reset()
    await advance(clock, 20.0)
    await advance(clock, sim.reboot_seconds + 1)
    after = await client.dir_query()
    assert after.series != series
    assert after.entries == ()


def open_system(sim: TwoNSimulator) -> None:
    """Let raw requests through without Digest (the System service set to no authentication)."""
    sim.services[next(s for s in sim.services if s.value == "System API")].auth = "none"
