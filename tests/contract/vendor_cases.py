"""What the contract needs to know per vendor: a fault scenario with its visible effect, first use, kind.

Every registered vendor must have an entry: a new vendor joins the contract by adding one here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.errors import DeviceBusyError, DeviceError
from app.vendors.axis.errors import AxisInternalError
from app.vendors.simulation import RecordedRequest

#: The password the contract sets on a device that insists on a new one before anything else.
FIRST_PASSWORD = "Contract-1st!"


@dataclass(frozen=True, slots=True)
class FaultCase:
    """A scenario, a client call it acts on, and what it does: a typed error, or a trace in the requests."""

    scenario: str
    act: Callable[[Any], Awaitable[object]]
    times: int | None = 1
    error: type[DeviceError] | None = None
    trace: Callable[[Sequence[RecordedRequest]], bool] | None = None


@dataclass(frozen=True, slots=True)
class VendorCase:
    """The contract's per-vendor knowledge."""

    fault: FaultCase
    cloud_service: bool = False
    first_use: Callable[[Any], Awaitable[None]] | None = None


def _answered_403_then_logged_in_again(requests: Sequence[RecordedRequest]) -> bool:
    statuses = [(r.path, r.status) for r in requests]
    first_refusal = next(i for i, (_path, status) in enumerate(statuses) if status == 403)
    return ("/login", 200) in statuses[first_refusal:]


CASES: dict[str, VendorCase] = {
    "inxpect": VendorCase(
        FaultCase(
            "token_expiry", lambda client: client.read_identity(), times=None,
            trace=_answered_403_then_logged_in_again,
        ),
        first_use=lambda client: client.change_password(FIRST_PASSWORD),
    ),
    "two_n": VendorCase(FaultCase("busy", lambda client: client.read_identity(), error=DeviceBusyError)),
    "axis": VendorCase(
        FaultCase("internal_error", lambda client: client.get_blending_amount(), error=AxisInternalError)
    ),
    "audiocodes": VendorCase(
        FaultCase("ha_sync", lambda client: client.save_configuration(), error=DeviceBusyError)
    ),
    "hikvision": VendorCase(
        FaultCase("unavailable", lambda client: client.search_sites(), error=DeviceBusyError),
        cloud_service=True,
    ),
}
