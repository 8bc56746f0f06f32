"""A cloud device's state is recorded as evidence when it changes, not on every poll."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.backend import evidence
from app.vendors.hikvision.device_evidence import DeviceStateRecorder
from app.vendors.hikvision.models import CloudDevice, DeliveryStatus, OnlineStatus, Site


def _device(online: OnlineStatus) -> CloudDevice:
    return CloudDevice("1", "G36924931", "Staff door", online, "V2.2.3", "DS-KD8003-IME1", 1, 0, "s1",
                       "Depot")


def test_a_state_is_recorded_once_per_change_with_the_sites_hand_over_in_words() -> None:
    recorded: list[tuple[str, str, str, Mapping[str, Any]]] = []
    recorder = DeviceStateRecorder(lambda *entry: recorded.append(entry))
    site = Site("s1", "Depot", 0)
    accepted = Site("s1", "Depot", 0, delivery=DeliveryStatus.HANDED_OVER)

    counts = [recorder.observe(site, [_device(OnlineStatus.OFFLINE)]),
              recorder.observe(site, [_device(OnlineStatus.OFFLINE)]),
              recorder.observe(site, [_device(OnlineStatus.ONLINE)]),
              recorder.observe(accepted, [_device(OnlineStatus.ONLINE)])]

    assert counts == [1, 0, 1, 1]
    assert [(key, action, result) for key, action, result, _ in recorded] == [
        ("hikvision:G36924931", evidence.CLOUD_DEVICE_STATE, "offline"),
        ("hikvision:G36924931", evidence.CLOUD_DEVICE_STATE, "online"),
        ("hikvision:G36924931", evidence.CLOUD_DEVICE_STATE, "online"),
    ]
    assert recorded[0][3] == {"model": "DS-KD8003-IME1", "name": "Staff door", "firmware": "V2.2.3",
                              "site": "Depot", "handover": "not handed over"}
    assert recorded[-1][3]["handover"] == evidence.HANDOVER_ACCEPTED
