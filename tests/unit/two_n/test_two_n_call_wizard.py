"""The wizard's SIP registration and test call steps, driven directly against the simulated intercom."""

from __future__ import annotations

from pathlib import Path

from app.backend.history import DeviceHistory
from app.core.clock import ManualClock
from app.vendors.two_n.call_models import CallState
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.simulator import TwoNSimulator
from app.vendors.two_n.simulator.phone import NOT_ANSWERING, REGISTRATION_FAILING, UNREGISTERED
from app.vendors.two_n.wizard import CommissioningController, WizardStep
from tests.unit.two_n.conftest import drive


def controller_for(client: TwoNClient, clock: ManualClock, tmp_path: Path) -> CommissioningController:
    return CommissioningController(client, DeviceHistory(tmp_path / "history.sqlite"), "two_n:x", clock)


async def test_registration_step_fails_until_the_account_registers(
    client: TwoNClient, sim: TwoNSimulator, clock: ManualClock, tmp_path: Path
) -> None:
    controller = controller_for(client, clock, tmp_path)
    sim.scenarios.enable(REGISTRATION_FAILING)
    failing = await controller.validate_registration()
    assert (failing.passed, failing.summary) == (False, "SIP account 1 (100) is not registered.")
    assert failing.detail == {"accounts": {"1": "NOT registered", "2": "account disabled"}}
    sim.scenarios.disable(REGISTRATION_FAILING)
    sim.scenarios.enable(UNREGISTERED)
    direct = await controller.validate_registration()
    assert (direct.passed, direct.summary) == (True, "SIP account 1 (100): registration switched off")
    assert controller.step is WizardStep.CALL


async def test_call_step_passes_when_connected_and_hangs_up(
    client: TwoNClient, sim: TwoNSimulator, clock: ManualClock, tmp_path: Path
) -> None:
    controller = controller_for(client, clock, tmp_path)
    seen: list[CallState] = []
    result = await drive(clock, controller.validate_call("sip:7@10.0.0.1", on_state=seen.append), step=0.1)
    assert result.passed
    assert result.detail["states"] == ["connecting", "ringing", "connected"]
    assert seen == [CallState.CONNECTING, CallState.RINGING, CallState.CONNECTED]
    hangups = [r.params() for r in sim.requests.for_path("/api/call/hangup")]
    assert hangups == [{"session": "1", "reason": "normal"}]
    assert sim.phone.calls == {}


async def test_call_step_fails_unanswered_or_unreachable(
    client: TwoNClient, sim: TwoNSimulator, clock: ManualClock, tmp_path: Path
) -> None:
    controller = controller_for(client, clock, tmp_path)
    assert not (await controller.validate_call("  ")).passed
    sim.scenarios.enable(NOT_ANSWERING)
    unanswered = await drive(clock, controller.validate_call("8", within=5.0), step=0.5)
    assert unanswered.summary == "The call to 8 was not answered within 5 s; it was hung up."
    assert sim.phone.calls == {}
    sim.scenarios.disable(NOT_ANSWERING)
    sim.scenarios.enable(REGISTRATION_FAILING)
    unreachable = await drive(clock, controller.validate_call("9"), step=0.5)
    assert not unreachable.passed
    assert unreachable.summary.startswith("The call to 9 ended without being answered")
    bad = await controller.validate_call("9!")
    assert not bad.passed
    assert "(parameter number)" in bad.summary
