"""Inxpect errors: the generic error tree with the MSK-101-POE's `errorCode` attached."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.core.errors import (
    AuthenticationError,
    DefaultPasswordError,
    DeviceError,
    DeviceProtocolError,
    InvalidParameterError,
)

#: /login answers errorCode 100 when the login worked but the password is still the factory one (§3.12).
LOGIN_DEFAULT_PASSWORD = 100


class InxpectCommandError(DeviceError):
    """The MSK-101-POE answered a command with a non-zero `errorCode`."""


class InxpectRejectedValueError(InvalidParameterError):
    """The MSK-101-POE refused a configuration or setting it was sent (non-zero `errorCode`)."""


class InxpectLoginError(AuthenticationError):
    """The MSK-101-POE refused the password at /login."""


class InxpectResetWindowClosedError(InxpectLoginError):
    """An unauthenticated network-board reset was refused: the 20 s after start-up have passed (§3.15)."""


class InxpectDefaultPasswordError(DefaultPasswordError):
    """The MSK-101-POE still has its factory password: every call but /changePassword fails."""


class CalibrationFailedError(DeviceError):
    """The calibration stop returned a failure code: the data cannot be saved, calibrate again."""


def error_code(body: Mapping[str, Any], action: str) -> int:
    """The integer `errorCode` of a response body; DeviceProtocolError if it is missing or not an integer."""
    code = body.get("errorCode")
    if not isinstance(code, int) or isinstance(code, bool):
        raise DeviceProtocolError(
            f"The sensor answered {action} without an error code.", detail=str(body)[:200]
        )
    return code


def check_error_code(
    body: Mapping[str, Any], action: str, *, error_type: type[DeviceError] = InxpectCommandError
) -> None:
    """Raise `error_type` with the vendor code when `errorCode` is not 0 (document §3: 0 means success)."""
    code = error_code(body, action)
    if code != 0:
        raise error_type(f"The sensor refused to {action}.", code=code)
