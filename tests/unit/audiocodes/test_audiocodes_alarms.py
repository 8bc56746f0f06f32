"""Alarm paging with cursors (after, before, 204 when empty) and alarm details."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.errors import NotSupportedError
from app.vendors.audiocodes.models import AlarmSeverity

from .conftest import Rig


async def test_pages_forward_and_back_with_cursors(rig: Rig) -> None:
    while len(rig.sim.state.alarm_list("active")) < 7:
        rig.sim.state.raise_alarm()
    ids = [str(a.id) for a in rig.sim.state.alarm_list("active")]

    first = await rig.client.alarms("active", limit=3)
    assert rig.sent[-1].params()["limit"] == "3"
    assert [a.id for a in first.alarms] == ids[:3]
    assert (first.before, first.after) == ("", ids[2])

    second = await rig.client.alarms("active", limit=3, after=first.after)
    assert rig.sent[-1].params()["after"] == ids[2]
    assert [a.id for a in second.alarms] == ids[3:6]
    assert second.before == ids[3]

    back = await rig.client.alarms("active", limit=3, before=second.before)
    assert rig.sent[-1].params()["before"] == ids[3]
    assert [a.id for a in back.alarms] == ids[:3]

    last = await rig.client.alarms("active", limit=50, after=ids[-2])
    assert [a.id for a in last.alarms] == ids[-1:]
    assert last.after == ""


async def test_no_more_alarms_is_204_and_an_empty_page(rig: Rig) -> None:
    last_id = rig.sim.state.alarm_list("active")[-1].id
    page = await rig.client.alarms("active", after=str(last_id))
    assert page.alarms == ()
    assert (page.after, page.before) == ("", "")


async def test_cleared_alarm_leaves_active_but_stays_in_history(rig: Rig) -> None:
    alarm = rig.sim.state.alarm_list("active")[0]
    rig.sim.state.clear_alarm(alarm.id)
    active = await rig.client.alarms("active")
    history = await rig.client.alarms("history")
    assert str(alarm.id) not in [a.id for a in active.alarms]
    assert str(alarm.id) in [a.id for a in history.alarms]
    assert rig.sent[-1].path == "/api/v1/alarms/history"


async def test_alarm_details_with_oid(rig: Rig) -> None:
    alarm = rig.sim.state.alarm_list("active")[0]
    detail = await rig.client.alarm("active", str(alarm.id), with_oid=True)
    assert rig.sent[-1].path == f"/api/v1/alarms/active/{alarm.id}"
    assert rig.sent[-1].params()["oid"] == "1"
    assert detail.description == alarm.description
    assert detail.severity is AlarmSeverity.parse(alarm.severity)
    assert detail.source == alarm.source
    assert detail.oid.startswith("1.3.6.1.4.1.5003")
    with pytest.raises(NotSupportedError):
        await rig.client.alarm("active", "9999")


async def test_last_change_is_the_device_time_of_the_newest_raise_or_clear(rig: Rig) -> None:
    alarm = rig.sim.state.raise_alarm()
    changed = await rig.client.last_alarm_change()
    assert rig.sent[-1].path == "/api/v1/alarms/active/lastChange"
    assert changed is not None
    assert changed.isoformat(timespec="milliseconds").replace("+00:00", "Z") == alarm.date

    rig.sim.state.last_alarm_change = "2016-06-09 19:00:00+03:00"  # the document's own example
    changed = await rig.client.last_alarm_change()
    assert changed is not None
    assert (changed.hour, changed.utcoffset()) == (19, timedelta(hours=3))

    rig.sim.state.last_alarm_change = ""  # nothing raised or cleared since the start: 404
    assert await rig.client.last_alarm_change() is None
