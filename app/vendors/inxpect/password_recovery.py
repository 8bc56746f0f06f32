"""Forgotten-password recovery of an MSK-101-POE: the technician power-cycles the sensor, the app watches
it restart and sends the unauthenticated network-board reset inside the 20 s after start-up (§3.15)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import httpx

from app.core.clock import Clock
from app.core.errors import DeviceBusyError, DeviceError, DeviceTimeoutError, DeviceUnreachableError
from app.vendors.base import PasswordRecovery, RecoveryProgress
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.errors import InxpectResetWindowClosedError

#: How long the app watches for the power cycle before giving up.
WATCH_S: Final = 180.0
#: Between two tries; well inside the 20 s window, and gentle on a sensor that is still running.
POLL_INTERVAL_S: Final = 1.0
#: One try must end quickly: a sensor without power never answers, and the window is only 20 s long.
PROBE_TIMEOUT: Final = httpx.Timeout(2.0, connect=2.0)


class RecoveryPhase(enum.Enum):
    """Where the recovery stands, in the words the technician reads."""

    POWER_CYCLE = "The sensor is running. Unplug its network cable (PoE) for 5 seconds, then plug it back in."
    SENSOR_OFF = "The sensor does not answer: it is off or starting. Plug it back in if it is unplugged."
    MISSED = ("The sensor answered after its 20 s reset window had closed. Unplug it again for 5 seconds "
              "and plug it back in.")
    DONE = "The network board is back to factory settings: log in with the factory password."


@dataclass(frozen=True, slots=True)
class RecoveryStatus:
    """The phase, the seconds left before the app stops watching, and the tries so far."""

    phase: RecoveryPhase
    seconds_left: float
    tries: int


class RecoveryTimedOutError(DeviceError):
    """The sensor was not seen restarting (and reset) within the watch time."""


async def recover_password(
    client: InxpectClient,
    clock: Clock,
    on_status: Callable[[RecoveryStatus], None],
    *,
    watch_s: float = WATCH_S,
    interval_s: float = POLL_INTERVAL_S,
) -> None:
    """Try the unauthenticated reset every `interval_s` until it is accepted (the sensor has just started)
    or `watch_s` pass; report each step to `on_status`. Cancelling stops the watch at once."""
    deadline = clock.monotonic() + watch_s
    seen_off = False
    tries = 0
    while (left := deadline - clock.monotonic()) > 0:
        tries += 1
        try:
            await client.reset_comboard_without_login(timeout=PROBE_TIMEOUT)
        except InxpectResetWindowClosedError:
            phase = RecoveryPhase.MISSED if seen_off else RecoveryPhase.POWER_CYCLE
        except (DeviceUnreachableError, DeviceTimeoutError, DeviceBusyError):
            seen_off, phase = True, RecoveryPhase.SENSOR_OFF
        else:
            on_status(RecoveryStatus(RecoveryPhase.DONE, max(left, 0.0), tries))
            return
        on_status(RecoveryStatus(phase, left, tries))
        await clock.sleep(min(interval_s, left))
    raise RecoveryTimedOutError(
        f"The sensor was not seen restarting within {watch_s / 60:.0f} minutes, so nothing was reset. "
        "Start again and unplug the sensor's network cable when asked."
    )


def as_password_recovery(client: InxpectClient, clock: Clock) -> PasswordRecovery:
    """`recover_password` on `client` in the vendor-neutral form a credential dialog offers."""

    async def run(report: Callable[[RecoveryProgress], None]) -> None:
        def tell(status: RecoveryStatus) -> None:
            done = status.phase is RecoveryPhase.DONE
            report(RecoveryProgress(status.phase.value, status.seconds_left, done))

        await recover_password(client, clock, tell)

    return run
