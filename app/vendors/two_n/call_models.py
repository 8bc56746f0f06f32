"""Decoded replies of the 2N phone and call services: SIP accounts, active calls, call log (§5.6, §5.7)."""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.decoding import enum_or_unknown, require, warn_unknown_once
from app.core.errors import DeviceProtocolError
from app.vendors.two_n.models import _list

log = logging.getLogger(__name__)


class CallDirection(enum.Enum):
    """Who placed the call (§5.7.1)."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"
    UNKNOWN = "unknown"


class CallState(enum.Enum):
    """State of an active call (§5.7.1); an ended call is no longer listed, which the app calls ENDED."""

    CONNECTING = "connecting"
    RINGING = "ringing"
    CONNECTED = "connected"
    ENDED = "ended"
    UNKNOWN = "unknown"


class HangupReason(enum.Enum):
    """What the hang-up signals to the peer (§5.7.4)."""

    NORMAL = "normal"
    REJECTED = "rejected"
    BUSY = "busy"


def _member(enum_type: type[enum.Enum], value: object, kind: str) -> Any:
    return enum_or_unknown(enum_type, value, enum_type["UNKNOWN"], log, source="2N intercom")


@dataclass(frozen=True, slots=True)
class SipAccount:
    """One SIP account and whether the SIP registrar has it registered (§5.6.1)."""

    account: int
    enabled: bool
    sip_number: str
    registration_enabled: bool
    registered: bool
    #: Unix time of the registration; only in the example, not in the table, so it may be absent.
    register_time: int | None = None

    @property
    def verdict(self) -> str:
        """The registration state in a technician's words."""
        if not self.enabled:
            return "account disabled"
        if not self.registration_enabled:
            return "registration switched off"
        return "registered" if self.registered else "NOT registered"

    @classmethod
    def decode_all(cls, raw: Mapping[str, Any]) -> tuple[SipAccount, ...]:
        """Validate the `accounts` list of phone/status."""
        return tuple(
            cls(
                require(item, "account", int, "the intercom's phone status reply"),
                bool(item.get("enabled", False)), str(item.get("sipNumber", "")),
                bool(item.get("registrationEnabled", False)), bool(item.get("registered", False)),
                item["registerTime"] if isinstance(item.get("registerTime"), int) else None,
            )
            for item in _list(raw, "accounts", "phone status")
        )


@dataclass(frozen=True, slots=True)
class CallSession:
    """One active call (§5.7.1)."""

    session: int
    direction: CallDirection
    state: CallState

    @classmethod
    def decode_all(cls, raw: Mapping[str, Any]) -> tuple[CallSession, ...]:
        """Validate the `sessions` list of call/status (empty when no call is active)."""
        return tuple(
            cls(
                require(item, "session", int, "the intercom's call status reply"),
                _member(CallDirection, item.get("direction"), "call direction"),
                _member(CallState, item.get("state"), "call state"),
            )
            for item in _list(raw, "sessions", "call status")
        )


def dialled_session(raw: Mapping[str, Any]) -> int:
    """The `session` of a call/dial reply."""
    return int(require(raw, "session", int, "the intercom's call dial reply"))


@dataclass(frozen=True, slots=True)
class CallLogEntry:
    """One call log record (§5.6.2); `call_type` as the device spells it (the table's "doorbell button"
    is "doorbell" in the example, so unknown types are shown, not mapped)."""

    id: str
    call_type: str
    date: datetime | None
    name: str = ""
    dev_type: str = ""
    duration: int | None = None

    @classmethod
    def decode_all(cls, raw: Mapping[str, Any]) -> tuple[CallLogEntry, ...]:
        """Validate the `callLog` list, newest first as the device orders it."""
        return tuple(cls._decode(item) for item in _list(raw, "callLog", "call log"))

    @classmethod
    def _decode(cls, item: Mapping[str, Any]) -> CallLogEntry:
        # The document's examples show `"id" : ID`: the type of an id is open, so it is kept as text.
        if "id" not in item or isinstance(item["id"], (dict, list)):
            raise DeviceProtocolError("The intercom's call log has a record without an id.")
        duration = item.get("duration")
        return cls(
            str(item["id"]), str(item.get("callType", "")), _date(item.get("date")),
            str(item.get("name", "")), str(item.get("devType", "")),
            duration if isinstance(duration, int) and not isinstance(duration, bool) else None,
        )


def _date(value: object) -> datetime | None:
    """An ISO date as in the example (`2027-11-06T12:23:52Z`); None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        warn_unknown_once(log, "call log date", value, source="2N intercom")
        return None
