"""Simulated /api/dir/* (document §5.14): JSON bodies, per-entry results and EDIR error codes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from app.vendors.two_n.simulator.directory_store import (
    EMPTY_UUID,
    UUID_FORMAT,
    DirectoryStore,
    FieldProblem,
    selected,
)
from app.vendors.two_n.simulator.envelope import Params, SimulatorError, ok

if TYPE_CHECKING:
    from app.vendors.two_n.simulator.device import Handler, TwoNSimulator

#: Largest JSON body a directory request may carry. Assumed: the document names no limit; 13 beyond it.
BODY_MAX = 8 << 20
Outcome = dict[str, Any]


async def _body(request: Request) -> dict[str, Any]:
    """The request's JSON object. Assumed: the document gives no code for a body that is not a JSON
    object; the generic 12 "invalid parameter value" is answered."""
    raw = await request.body()
    if len(raw) > BODY_MAX:
        raise SimulatorError(13)
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise SimulatorError(12) from None
    if not isinstance(body, dict):
        raise SimulatorError(12)
    return body


def _users(body: dict[str, Any], *, required: bool = False) -> list[Any]:
    users = body.get("users")
    if users is None:
        if required:
            raise SimulatorError(11, "users")
        return []
    if not isinstance(users, list):
        raise SimulatorError(12, "users")
    return users


def _fields(body: dict[str, Any]) -> list[str] | None:
    fields = body.get("fields")
    if fields is not None and not (isinstance(fields, list) and all(isinstance(f, str) for f in fields)):
        raise SimulatorError(12, "fields")
    return fields


def _failed(uuid: Any, *problems: FieldProblem) -> Outcome:
    outcome: Outcome = {"uuid": uuid} if isinstance(uuid, str) and uuid else {}
    return {**outcome, "errors": [p.as_json() for p in problems]}


def _uuid_problem(uuid: Any) -> FieldProblem | None:
    if not isinstance(uuid, str) or not UUID_FORMAT.match(uuid) or uuid == EMPTY_UUID:
        return FieldProblem("EDIR_UUID_INVALID_FORMAT")
    return None


def _existing(store: DirectoryStore, item: Any) -> tuple[str, Outcome | None]:
    """The uuid of an update/delete/get object, or the outcome saying why it names no entry."""
    if not isinstance(item, dict) or "uuid" not in item:
        return "", _failed(None, FieldProblem("EDIR_UUID_IS_MISSING"))
    uuid = item["uuid"]
    problem = _uuid_problem(uuid)
    if problem is not None:
        return "", _failed(uuid, problem)
    entry = store.find(uuid)
    if entry is None or entry["deleted"]:
        return "", _failed(uuid, FieldProblem("EDIR_UUID_DOES_NOT_EXIST"))
    return entry["uuid"], None


def _create_one(store: DirectoryStore, item: Any, force: bool) -> Outcome:
    if not isinstance(item, dict):
        return _failed(None, FieldProblem("EDIR_FIELD_VALUE_ERROR"))
    uuid = item.get("uuid")
    if uuid is not None and (problem := _uuid_problem(uuid)) is not None:
        return _failed(uuid, problem)
    current = store.find(uuid) if isinstance(uuid, str) else None
    exists = current is not None and not current["deleted"]
    problems = store.problems(item, uuid if exists else None, reset=True)
    if problems:
        return _failed(uuid, *problems)
    if exists and not force:
        return _failed(uuid, FieldProblem("EDIR_UUID_ALREADY_EXISTS"))
    if not exists and sum(1 for _ in store.live) >= store.capacity:
        return _failed(uuid, FieldProblem("EDIRLIM_USER"))
    target = uuid.upper() if isinstance(uuid, str) else store.new_uuid()
    return {"uuid": target, "timestamp": store.write(target, item, reset=True)}


def _update_one(store: DirectoryStore, item: Any) -> Outcome:
    uuid, failed = _existing(store, item)
    if failed is not None:
        return failed
    problems = store.problems(item, uuid, reset=False)
    if problems:
        return _failed(uuid, *problems)
    return {"uuid": uuid, "timestamp": store.write(uuid, item, reset=False)}


def _delete_one(store: DirectoryStore, item: Any) -> Outcome:
    uuid, failed = _existing(store, item)
    return failed if failed is not None else {"uuid": uuid, "timestamp": store.delete(uuid)}


def _reply(sim: TwoNSimulator, users: list[Outcome] | None = None, **extra: Any) -> Response:
    result: dict[str, Any] = {"series": sim.directory.series, **extra}
    if users is not None:
        result["users"] = users
    return ok(sim.state.sw_version, result)


async def template(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/dir/template (§5.14.1): the series and one entry with every key at its default."""
    return _reply(sim, [dict(sim.directory.template)])


async def create(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/dir/create (§5.14.2): without `users` (or with none) only the series comes back."""
    body = await _body(request)
    force = body.get("force", False)
    if not isinstance(force, bool):
        raise SimulatorError(12, "force")
    users = _users(body)
    if not users:
        return _reply(sim)
    return _reply(sim, [_create_one(sim.directory, item, force) for item in users])


async def update(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/dir/update (§5.14.3): `users` is mandatory, each object names its entry by uuid."""
    users = _users(await _body(request), required=True)
    return _reply(sim, [_update_one(sim.directory, item) for item in users])


async def delete(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/dir/delete (§5.14.4): by `owner` (every entry it manages) or by `users`, one of them.
    Assumed: both together is the generic collision, 17; neither is 11 naming `users`."""
    body = await _body(request)
    store = sim.directory
    if "owner" in body and "users" in body:
        raise SimulatorError(17, "owner")
    if "owner" in body:
        owner = body["owner"]
        if not isinstance(owner, str):
            raise SimulatorError(12, "owner")
        # An empty owner deletes nothing: entries without an owner are not a group of a remote system.
        owned = [e["uuid"] for e in store.live if owner and e["owner"] == owner]
        return _reply(sim, [{"uuid": uuid, "timestamp": store.delete(uuid)} for uuid in owned])
    users = _users(body, required=True)
    return _reply(sim, [_delete_one(store, item) for item in users])


async def get(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/dir/get (§5.14.5): the `fields` of each entry named in `users` (none named: none returned)."""
    body = await _body(request)
    fields = _fields(body)
    store = sim.directory
    users: list[Outcome] = []
    for item in _users(body):
        uuid, failed = _existing(store, item)
        entry = store.find(uuid)
        if failed is not None or entry is None:
            users.append(failed or _failed(uuid, FieldProblem("EDIR_UUID_DOES_NOT_EXIST")))
        else:
            users.append(selected(entry, store.template, fields))
    return _reply(sim, users)


async def query(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/dir/query (§5.14.6): entries changed at or after `iterator.timestamp` (0: all), oldest first.
    Another series, a timestamp past the newest or below `invalid` gets no entries but the series,
    the newest timestamp and `invalid`. Assumed: those keys are named `timestamp` and `invalid`."""
    body = await _body(request)
    fields = _fields(body)
    store = sim.directory
    series = body.get("series", store.series)
    iterator = body.get("iterator", {"timestamp": 0})
    since = iterator.get("timestamp") if isinstance(iterator, dict) else None
    if not isinstance(series, str):
        raise SimulatorError(12, "series")
    if not isinstance(since, int) or isinstance(since, bool) or since < 0:
        raise SimulatorError(12, "iterator")
    extra = {"invalid": store.invalid} if store.invalid else {}
    unknown_history = since and (since > store.last_timestamp or since < store.invalid)
    if series != store.series or unknown_history:
        return _reply(sim, [], timestamp=store.last_timestamp, invalid=store.invalid)
    changed = sorted((e for e in store.entries.values() if e["timestamp"] >= since),
                     key=lambda e: int(e["timestamp"]))
    return _reply(sim, [selected(e, store.template, fields) for e in changed], **extra)


HANDLERS: dict[str, Handler] = {
    "/api/dir/template": template, "/api/dir/create": create, "/api/dir/update": update,
    "/api/dir/delete": delete, "/api/dir/get": get, "/api/dir/query": query,
}
