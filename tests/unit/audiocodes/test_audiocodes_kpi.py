"""Current KPIs (document section 12): the simulator serves the tree with cursors; the client follows them."""

from __future__ import annotations

from app.vendors.audiocodes.panel_reads import read_acceptance

from .conftest import Rig


async def test_current_call_kpis_are_read_across_cursor_pages(rig: Rig) -> None:
    rig.clock.advance(7200)

    calls = await rig.client.current_kpis("sbc", "callStats", page=3)

    pages = [r for r in rig.sent if r.path == "/api/v1/kpi/current/sbc/callStats/global"]
    assert len(pages) == 3  # 7 indicators, three at a time
    assert "after=attemptedCallsInTotal" in pages[1].query  # the last one the first page showed
    ids = [k.id for k in calls]
    assert ids[:2] == ["activeCallsIn", "activeCallsOut"]
    assert len(ids) == len(set(ids)) == 7
    attempted = next(k for k in calls if k.id == "attemptedCallsInTotal")
    assert attempted.name == "Attempted Calls In Total"
    assert int(attempted.value) > 0


async def test_the_acceptance_view_has_calls_registrations_and_active_alarms(rig: Rig) -> None:
    rig.sim.scenarios.enable("calls_in_progress")

    view = await read_acceptance(rig.client)

    assert {k.id: k.value for k in view.calls}["activeCallsIn"] == "8"
    assert {k.id: k.value for k in view.registrations}["registeredUsers"] == "114"
    assert len(view.active_alarms.alarms) == len(rig.sim.state.alarm_list("active"))


async def test_a_monitor_may_read_kpis_but_nothing_else_than_get(rig: Rig) -> None:
    answer = await rig.http.post("/api/v1/kpi/current", auth=("monitor", "Monitor1!"))
    assert answer.status_code == 405
    answer = await rig.http.get("/api/v1/kpi/current/sbc", auth=("monitor", "Monitor1!"))
    assert answer.status_code == 200
    assert [i["id"] for i in answer.json()["items"]] == ["callStats", "otherStats"]
