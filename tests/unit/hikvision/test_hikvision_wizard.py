"""The end-of-visit wizard controller driven end to end against the simulated cloud."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from app.core.clock import ManualClock
from app.core.errors import DeviceTimeoutError, InvalidParameterError
from app.core.progress import Progress, ProgressReporter
from app.vendors.hikvision.client import HikPartnerClient
from app.vendors.hikvision.labels import parse_labels
from app.vendors.hikvision.models import CustomerStatus, OnlineStatus
from app.vendors.hikvision.reports import UpgradeStage
from app.vendors.hikvision.simulator import HikPartnerSimulator
from app.vendors.hikvision.wizard import EndOfVisitController, Step

from .conftest import area_calls, with_time

History = list[tuple[str, str, str, Mapping[str, Any]]]


def make_controller(
    client: HikPartnerClient, clock: ManualClock, history: History, **options: Any
) -> EndOfVisitController:
    return EndOfVisitController(
        client, lambda *entry: history.append(entry), "hikvision:hpp-test", clock=clock, **options
    )


def test_labels_accept_common_separators_and_report_bad_lines() -> None:
    parsed = parse_labels(
        "Q01728482 abcdef\nJ12345678;QWERTY\n\nSN: DS-2CD2143G2-I20230101AAWRK00000001,"
        " code: ZZZZZZ\nD11111111\tXYZABC\nQ01728482 ABCDEF\nnot a label\n"
    )
    assert [(d.serial, d.verification_code) for d in parsed.devices] == [
        ("Q01728482", "ABCDEF"),
        ("J12345678", "QWERTY"),
        ("K00000001", "ZZZZZZ"),
        ("D11111111", "XYZABC"),
    ]
    assert parsed.problems == (
        "line 7 “not a label”: more than a serial number and a verification code on this line "
        "(e.g. “Q01728482 ABCDEF”)",
    )


def test_labels_follow_the_document_serial_1_to_9_and_code_1_to_18_characters() -> None:
    parsed = parse_labels(
        "519928976 ABCDEF\n"
        "Q01728482 AB12CD34EF56GH78IJ\n"
        "SN: 7 code: x\n"
        "S/N 12345 Verification code K9\n"
        "1234567890 ABCDEF\n"
        "Q01728482 ABCDEFGHIJKLMNOPQRS\n"
        "Q01728483\n"
    )
    assert [(d.serial, d.verification_code) for d in parsed.devices] == [
        ("519928976", "ABCDEF"),
        ("Q01728482", "AB12CD34EF56GH78IJ"),
        ("7", "X"),
        ("12345", "K9"),
    ]
    assert [p.split(":", 1)[0] for p in parsed.problems] == [
        "line 5 “1234567890 ABCDEF”",
        "line 6 “Q01728482 ABCDEFGHIJKLMNOPQRS”",
        "line 7 “Q01728483”",
    ]
    assert "not a serial number" in parsed.problems[0]
    assert "not a verification code" in parsed.problems[1]
    assert "no verification code" in parsed.problems[2]


async def test_end_of_visit_from_new_site_to_handover(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    history: History = []
    wizard = make_controller(client, clock, history)
    site = await wizard.validate_site(new_name="Mill Lane 4", time_zone=48, city="Leeds")
    assert wizard.step is Step.REGISTER
    assert site.name == "Mill Lane 4"

    devices = sim.info.extra["devices"]
    taken = sim.info.extra["troubleDevices"][0]
    pasted = "\n".join(f"{d['serial']}, {d['validateCode'].lower()}" for d in (devices[0], devices[3]))
    outcomes = await wizard.validate_register(pasted + f"\n{taken['serial']} {taken['validateCode']}")
    assert [o.added for o in outcomes] == [True, True, False]
    assert outcomes[2].code == "EVZ20013"
    assert wizard.step is Step.ONLINE
    assert wizard.registered_serials == [
        devices[0]["serial"],
        devices[3]["serial"],
    ]

    seen: list[Progress] = []
    online = await with_time(clock, wizard.validate_online(ProgressReporter(["online"], seen.append)))
    assert {d.online for d in online.values()} == {OnlineStatus.ONLINE}
    assert seen[-1].done == seen[-1].total == 2
    assert wizard.step is Step.UPGRADE

    needing = await wizard.devices_needing_upgrade()
    assert needing == [devices[0]["serial"], devices[3]["serial"]]
    upgrades = await with_time(clock, wizard.validate_upgrade(needing))
    assert upgrades[devices[0]["serial"]].stage is UpgradeStage.FINISHED
    assert upgrades[devices[3]["serial"]].stage is UpgradeStage.FAILED  # this camera's package mismatches

    report = await wizard.validate_health()
    assert [e.online for e in report.entries] == [True, True]
    customers = await wizard.validate_handover("owner@customer.example")
    assert [c.status for c in customers] == [CustomerStatus.PENDING]
    assert wizard.step is Step.DONE
    assert area_calls(sim, "handover/share")[0].json()["siteId"] == site.id

    actions = [(key.split(":")[1], action, result) for key, action, result, _ in history]
    assert actions[0] == ("hpp-test", "Hik-Partner Pro site ready", "done")
    assert (taken["serial"], "Register to site Mill Lane 4", "failed") in actions
    assert (devices[0]["serial"], "Cloud firmware upgrade", "done") in actions
    assert (devices[3]["serial"], "Cloud firmware upgrade", "failed") in actions
    assert actions[-1] == ("hpp-test", "Hand over Mill Lane 4", "done")


async def test_existing_site_name_is_reused_not_duplicated(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    existing = await client.add_site("Mill Lane 4", 48)
    wizard = make_controller(client, clock, [])
    site = await wizard.validate_site(new_name="Mill Lane 4", time_zone=48)
    assert site.id == existing.id
    assert len(area_calls(sim, "site/add")) == 1


async def test_register_refuses_unreadable_lines_before_calling_the_cloud(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    wizard = make_controller(client, clock, [])
    await wizard.validate_site(new_name="Site", time_zone=48)
    with pytest.raises(InvalidParameterError, match="line 2"):
        await wizard.validate_register("Q01728482 ABCDEF\n1234567890 AB")
    assert area_calls(sim, "device/add") == []
    assert wizard.step is Step.REGISTER


async def test_waiting_for_online_gives_up_with_the_offline_serials(
    client: HikPartnerClient, sim: HikPartnerSimulator, clock: ManualClock
) -> None:
    wizard = make_controller(client, clock, [], online_timeout=30.0)
    await wizard.validate_site(new_name="Site", time_zone=48)
    first = sim.info.extra["devices"][0]
    await wizard.validate_register(f"{first['serial']} {first['validateCode']}")
    sim.state.world[first["serial"]].online_at = None  # this one never reports in
    with pytest.raises(DeviceTimeoutError, match=first["serial"]):
        await with_time(clock, wizard.validate_online())
    assert wizard.step is Step.ONLINE
