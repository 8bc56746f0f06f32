"""Qt-free commissioning wizard for a 2N intercom: firmware, display image, door test, SIP registration,
test call, configuration backup.

Each `validate_<step>()` does the step's device work, records the outcome in the device history
and returns a StepResult the wizard page shows; a failed step raises nothing and can be retried.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.backend.history import DeviceHistory
from app.core.clock import Clock
from app.core.errors import DeviceError
from app.core.progress import ProgressReporter
from app.vendors.two_n.call_models import CallState
from app.vendors.two_n.call_test import place_test_call, registration_problems
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.image import ConvertedImage
from app.vendors.two_n.models import SwitchAction, SwitchCaps, SwitchMode, version_tuple
from app.vendors.two_n.transfers import backup_config, upload_display_image

log = logging.getLogger(__name__)

DOOR_POLL_INTERVAL = 0.5
DOOR_TIMEOUT = 20.0
#: Seconds the test call may ring before the step gives up and hangs up.
CALL_ANSWER_TIMEOUT = 60.0


class WizardStep(enum.Enum):
    """The wizard's pages in order."""

    FIRMWARE = "firmware"
    DISPLAY = "display"
    DOOR = "door"
    REGISTRATION = "registration"
    CALL = "call"
    BACKUP = "backup"


@dataclass(frozen=True, slots=True)
class StepResult:
    """What a step found or did; `passed` False keeps the wizard on the page."""

    step: WizardStep
    passed: bool
    summary: str
    detail: Mapping[str, Any] = field(default_factory=dict)


class CommissioningController:
    """Drives the steps against one intercom and records each result under its device key."""

    def __init__(
        self, client: TwoNClient, history: DeviceHistory, device_key: str, clock: Clock,
    ) -> None:
        self._client = client
        self._history = history
        self._device_key = device_key
        self._clock = clock
        self.results: dict[WizardStep, StepResult] = {}
        self.step = WizardStep.FIRMWARE

    def _finish(self, result: StepResult) -> StepResult:
        self.results[result.step] = result
        outcome = "passed" if result.passed else "failed"
        self._history.record(self._device_key, f"wizard.{result.step.value}", outcome,
                             {"summary": result.summary, **result.detail})
        if result.passed:
            steps = list(WizardStep)
            index = steps.index(result.step)
            self.step = steps[min(index + 1, len(steps) - 1)]
        return result

    async def validate_firmware(self, minimum_version: str = "") -> StepResult:
        """Read the running firmware; passes when it is at least `minimum_version` (or none is set)."""
        try:
            info = await self._client.system_info()
        except DeviceError as err:
            return self._finish(StepResult(WizardStep.FIRMWARE, False, str(err)))
        detail = {"version": info.sw_version, "minimum": minimum_version, "model": info.variant}
        if minimum_version and version_tuple(info.sw_version) < version_tuple(minimum_version):
            return self._finish(StepResult(
                WizardStep.FIRMWARE, False,
                f"Firmware {info.sw_version} is older than {minimum_version}: update it first.", detail))
        return self._finish(StepResult(WizardStep.FIRMWARE, True, f"Firmware {info.sw_version}", detail))

    async def validate_display(
        self, display: str, image: ConvertedImage | None, reporter: ProgressReporter,
        *, duration_ms: int | None = None,
    ) -> StepResult:
        """Upload the prepared image to `display` (None = technician chose to leave the display as is)."""
        if image is None:
            return self._finish(StepResult(WizardStep.DISPLAY, True, "Display left unchanged",
                                           {"skipped": True}))
        detail = {"display": display, "format": image.format, "width": image.width,
                  "height": image.height, "bytes": len(image.data), "duration_ms": duration_ms}
        try:
            await upload_display_image(self._client, display, image, reporter, duration_ms=duration_ms)
        except DeviceError as err:
            return self._finish(StepResult(WizardStep.DISPLAY, False, str(err), detail))
        return self._finish(StepResult(
            WizardStep.DISPLAY, True, f"Image {image.width}x{image.height} {image.format} shown", detail))

    async def door_switches(self) -> tuple[SwitchCaps, ...]:
        """The enabled switches the technician may choose for the door test."""
        return tuple(c for c in await self._client.switch_caps() if c.enabled)

    async def test_door(self, switch: int = 1) -> StepResult:
        """Trigger `switch`; passes only when it is seen to activate and then to release.

        A switch that never activated (disabled, already on, no answer) is a failed step, recorded now;
        one that activated waits for the technician's word on the door (validate_door).
        """
        result = await self._trigger_and_watch(switch)
        return result if result.detail.get("activated") else self._finish(result)

    async def _trigger_and_watch(self, switch: int) -> StepResult:
        detail: dict[str, Any] = {"switch": switch}
        try:
            caps = {c.switch: c for c in await self._client.switch_caps()}
            if switch not in caps or not caps[switch].enabled:
                return StepResult(WizardStep.DOOR, False, f"Switch {switch} is disabled on this intercom.",
                                  detail)
            if await self._switch_active(switch):
                return StepResult(WizardStep.DOOR, False, f"Switch {switch} is already active, so the test "
                                  "cannot see it activate: switch it off or release it first.", detail)
            await self._client.switch_control(switch, SwitchAction.TRIGGER)
            activated = await self._wait_switch(switch, active=True, within=DOOR_TIMEOUT)
            if caps[switch].mode is SwitchMode.BISTABLE and activated:
                await self._client.switch_control(switch, SwitchAction.TRIGGER)
            released = activated and await self._wait_switch(
                switch, active=False, within=DOOR_TIMEOUT + (caps[switch].switch_on_duration or 0))
        except DeviceError as err:
            return StepResult(WizardStep.DOOR, False, str(err), detail)
        detail.update(activated=activated, released=released)
        if not activated:
            return StepResult(WizardStep.DOOR, False, f"Switch {switch} did not activate.", detail)
        if not released:
            return StepResult(WizardStep.DOOR, False, f"Switch {switch} activated but did not release: "
                              "check its mode and whether something holds it on.", detail)
        return StepResult(WizardStep.DOOR, True, f"Switch {switch} activated and released.", detail)

    async def _switch_active(self, switch: int) -> bool:
        states = await self._client.switch_status(switch)
        return bool(states) and states[0].active

    async def _wait_switch(self, switch: int, *, active: bool, within: float) -> bool:
        waited = 0.0
        while waited <= within:
            if await self._switch_active(switch) == active:
                return True
            await self._clock.sleep(DOOR_POLL_INTERVAL)
            waited += DOOR_POLL_INTERVAL
        return False

    def validate_door(self, test: StepResult, *, door_opened: bool) -> StepResult:
        """Record the door test together with what the technician saw at the door."""
        detail = {**test.detail, "door_opened_seen_by_technician": door_opened}
        if test.passed and not door_opened:
            return self._finish(StepResult(
                WizardStep.DOOR, False, "The switch worked but the door did not open: check the lock wiring.",
                detail))
        return self._finish(StepResult(WizardStep.DOOR, test.passed and door_opened, test.summary, detail))

    async def validate_registration(self) -> StepResult:
        """Read every SIP account; passes when each that should register is registered."""
        try:
            accounts = await self._client.phone_status()
        except DeviceError as err:
            return self._finish(StepResult(WizardStep.REGISTRATION, False, str(err)))
        detail = {"accounts": {str(a.account): a.verdict for a in accounts}}
        problems = registration_problems(accounts)
        if problems:
            return self._finish(StepResult(WizardStep.REGISTRATION, False, " ".join(problems), detail))
        summary = "; ".join(f"SIP account {a.account} ({a.sip_number or 'no number'}): {a.verdict}"
                            for a in accounts if a.enabled)
        return self._finish(StepResult(WizardStep.REGISTRATION, True, summary, detail))

    async def validate_call(
        self, number: str, *, on_state: Callable[[CallState], None] | None = None,
        within: float = CALL_ANSWER_TIMEOUT,
    ) -> StepResult:
        """Call `number` from the intercom; passes when the call connects (it is then hung up)."""
        if not number.strip():
            return StepResult(WizardStep.CALL, False, "Type the number or SIP URI to call.")
        try:
            outcome = await place_test_call(self._client, number.strip(), self._clock, within=within,
                                            on_state=on_state)
        except DeviceError as err:
            return self._finish(StepResult(WizardStep.CALL, False, str(err), {"number": number}))
        detail = {"number": outcome.number, "states": [state.value for state in outcome.states]}
        if outcome.connected:
            return self._finish(StepResult(
                WizardStep.CALL, True, f"The call to {outcome.number} connected and was hung up.", detail))
        if outcome.states[-1] is CallState.ENDED:
            summary = f"The call to {outcome.number} ended without being answered: check the number and SIP."
        else:
            summary = f"The call to {outcome.number} was not answered within {within:.0f} s; it was hung up."
        return self._finish(StepResult(WizardStep.CALL, False, summary, detail))

    async def validate_backup(self, target: Path, reporter: ProgressReporter) -> StepResult:
        """Save the configuration to `target`."""
        try:
            path = await backup_config(self._client, target, reporter)
        except (DeviceError, OSError) as err:
            return self._finish(StepResult(WizardStep.BACKUP, False, str(err), {"file": str(target)}))
        return self._finish(StepResult(WizardStep.BACKUP, True, f"Configuration saved to {path}",
                                       {"file": str(path)}))
