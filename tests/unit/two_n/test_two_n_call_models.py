"""Decoding the phone and call replies as the document's examples print them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.errors import DeviceProtocolError
from app.vendors.two_n.call_models import CallDirection, CallLogEntry, CallSession, CallState, SipAccount


def test_call_log_keeps_the_examples_doorbell_and_incoming_records() -> None:
    entries = CallLogEntry.decode_all({"callLog": [
        {"id": "a1", "callType": "incoming", "devType": "2-14-0-0", "name": "Franta Vomáčka",
         "date": "2027-11-06T12:23:52Z", "duration": 1514},
        {"id": 7, "callType": "doorbell", "date": "not a date"},
    ]})
    assert entries[0] == CallLogEntry("a1", "incoming", datetime(2027, 11, 6, 12, 23, 52, tzinfo=UTC),
                                      "Franta Vomáčka", "2-14-0-0", 1514)
    bell = entries[1]
    assert (bell.id, bell.call_type, bell.date, bell.duration) == ("7", "doorbell", None, None)
    assert CallLogEntry.decode_all({}) == ()
    with pytest.raises(DeviceProtocolError):
        CallLogEntry.decode_all({"callLog": [{"callType": "missed"}]})


def test_unknown_call_states_and_directions_do_not_break_the_panel() -> None:
    (call,) = CallSession.decode_all({"sessions": [{"session": 4, "direction": "sideways", "state": "held"}]})
    assert (call.session, call.direction, call.state) == (4, CallDirection.UNKNOWN, CallState.UNKNOWN)
    with pytest.raises(DeviceProtocolError):
        CallSession.decode_all({"sessions": [{"session": "4"}]})


def test_register_time_is_optional_as_the_table_omits_it() -> None:
    first, second = SipAccount.decode_all({"accounts": [
        {"account": 1, "enabled": True, "sipNumber": "5207", "registrationEnabled": True, "registered": True,
         "registerTime": 1663585547},
        {"account": 2, "enabled": True, "sipNumber": "", "registrationEnabled": True, "registered": False},
    ]})
    assert (first.register_time, first.verdict) == (1663585547, "registered")
    assert (second.register_time, second.verdict) == (None, "NOT registered")
