"""The simulated event queue (guide §3.33-3.35): subscription, batches, redelivery until confirmed."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

#: "By default, the platform only caches two hours of event information" (§3.34).
CACHE_SECONDS = 2 * 3600.0
#: Unconfirmed batches "will be re-sent after a while"; the guide gives no figure.
REDELIVER_AFTER = 15.0
BATCH_LIMIT = 50
ALWAYS_REPORTED = frozenset({"deviceadded", "devicedeleted"})


@dataclass(slots=True)
class QueuedEvent:
    """One event waiting for delivery."""

    at: float
    serial: str
    item: dict[str, Any]


@dataclass(slots=True)
class Batch:
    """Events delivered together under one batchId, kept until confirmed."""

    batch_id: str
    events: list[QueuedEvent]
    delivered_at: float


@dataclass(slots=True)
class EventQueue:
    """Pending events, delivered batches awaiting mq/offset, and the subscription."""

    subscribed_all: bool = False
    subscribed: set[str] = field(default_factory=set)
    pending: list[QueuedEvent] = field(default_factory=list)
    outstanding: dict[str, Batch] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def subscribe(self, sub_type: int, mode: str, serials: list[str]) -> None:
        """Apply an mq/subscribe request."""
        if sub_type == 0:
            if mode == "all":
                self.subscribed_all = False
                self.subscribed.clear()
            else:
                self.subscribed.difference_update(serials)
            return
        if mode == "all":
            self.subscribed_all = True
        else:
            self.subscribed.update(serials)

    def push(self, now: float, serial: str, event_type: str, description: str, date_time: str) -> None:
        """Queue a JSON event if the device is subscribed (deviceadded/deleted always are, A.3)."""
        if event_type not in ALWAYS_REPORTED and not (self.subscribed_all or serial in self.subscribed):
            return
        alarm = {
            "deviceSerial": serial,
            "dateTime": date_time,
            "eventType": event_type,
            "eventDescription": description,
        }
        self.pending.append(
            QueuedEvent(now, serial, {"formatType": "JSON", "deviceSerial": serial, "alarmData": alarm})
        )

    def push_xml(self, now: float, serial: str, event_type: str, description: str, date_time: str) -> None:
        """Queue an ISAPI EventNotificationAlert (XML as a string, A.3) for a subscribed device."""
        if not (self.subscribed_all or serial in self.subscribed):
            return
        alert = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<EventNotificationAlert version="2.0" '
            'xmlns="http://www.isapi.org/ver20/XMLSchema">'
            f"<dateTime>{date_time}</dateTime><activePostCount>1</activePostCount>"
            f"<eventType>{event_type}</eventType><eventState>active</eventState>"
            f"<eventDescription>{description}</eventDescription><channelID>1</channelID>"
            "</EventNotificationAlert>"
        )
        self.pending.append(
            QueuedEvent(now, serial, {"formatType": "XML", "deviceSerial": serial, "alarmData": alert})
        )

    def next_batch(self, now: float) -> Batch | None:
        """A batch due for (re)delivery: an unconfirmed one past REDELIVER_AFTER, else new events."""
        self._drop_old(now)
        for batch in self.outstanding.values():
            if now - batch.delivered_at >= REDELIVER_AFTER:
                batch.delivered_at = now
                return batch
        if not self.pending:
            return None
        events, self.pending = self.pending[:BATCH_LIMIT], self.pending[BATCH_LIMIT:]
        batch = Batch(f"batch{next(self._ids):08d}", events, now)
        self.outstanding[batch.batch_id] = batch
        return batch

    def confirm(self, batch_id: str) -> bool:
        """mq/offset: forget the batch; False if it is unknown."""
        return self.outstanding.pop(batch_id, None) is not None

    def _drop_old(self, now: float) -> None:
        self.pending = [e for e in self.pending if now - e.at < CACHE_SECONDS]
        for batch_id in [
            b.batch_id
            for b in self.outstanding.values()
            if all(now - e.at >= CACHE_SECONDS for e in b.events)
        ]:
            del self.outstanding[batch_id]
