"""AudioCodes REST errors: one class per documented HTTP status, each carrying the device's description."""

from __future__ import annotations

import httpx

from app.core.decoding import decode_json
from app.core.errors import (
    AuthenticationError,
    DeviceBusyError,
    DeviceError,
    DeviceProtocolError,
    InvalidParameterError,
    NotSupportedError,
    PermissionDeniedError,
)


class AudioCodesError(DeviceError):
    """Mixin base of every AudioCodes error; `code` is the HTTP status, `detail` the device's description."""


class AudioCodesBadRequestError(AudioCodesError, InvalidParameterError):
    """400: the device rejected the input (wrong PEM, bad INI, wrong license key, no content)."""


class AudioCodesAuthenticationError(AudioCodesError, AuthenticationError):
    """401: the username or password is wrong."""


class AudioCodesForbiddenError(AudioCodesError, PermissionDeniedError):
    """403: the user's level does not allow this resource."""


class AudioCodesNotFoundError(AudioCodesError, NotSupportedError):
    """404: no such resource (alarm gone, debug file unknown, not an HA system)."""


class AudioCodesMethodNotAllowedError(AudioCodesError, NotSupportedError):
    """405: the method is not offered on this resource, or not at this user's level."""


class AudioCodesNotAcceptableError(AudioCodesError, DeviceProtocolError):
    """406: the device cannot answer in the format the Accept header asked for."""


class AudioCodesBusyError(AudioCodesError, DeviceBusyError):
    """409: the device state forbids it now (e.g. HA synchronisation); the same request may succeed later."""

    retryable = True


class AudioCodesInternalError(AudioCodesError, DeviceProtocolError):
    """500: the device failed internally."""


class AudioCodesProtocolError(AudioCodesError, DeviceProtocolError):
    """The device answered with a status or body the document does not describe."""


_ERRORS: dict[int, tuple[type[AudioCodesError], str]] = {
    400: (AudioCodesBadRequestError, "The device rejected what was sent"),
    401: (AudioCodesAuthenticationError, "The device refused the username or password"),
    403: (AudioCodesForbiddenError, "This user's level does not allow that on the device"),
    404: (AudioCodesNotFoundError, "The device has no such item"),
    405: (
        AudioCodesMethodNotAllowedError,
        "The device does not allow that here (or not at this user's level)",
    ),
    406: (AudioCodesNotAcceptableError, "The device cannot answer in the requested format"),
    409: (AudioCodesBusyError, "The device is busy and cannot do that now; try again shortly"),
    500: (AudioCodesInternalError, "The device reported an internal error"),
    503: (AudioCodesBusyError, "The device's web server is not ready (starting up); try again shortly"),
}


def description_of(response: httpx.Response) -> str:
    """The device's `description` field from a JSON body, or "" when there is none."""
    try:
        body = decode_json(response.content or b"null", "the error answer")
    except DeviceError:
        return ""
    if isinstance(body, dict) and isinstance(body.get("description"), str):
        return str(body["description"])
    return ""


def raise_for_audiocodes_status(response: httpx.Response, expected: tuple[int, ...] = (200,)) -> None:
    """Raise the typed error for a failed answer; statuses in `expected` (and other 2xx) pass."""
    status = response.status_code
    if status in expected or 200 <= status < 300:
        return
    error_type, message = _ERRORS.get(
        status, (AudioCodesProtocolError, f"The device answered with HTTP {status}")
    )
    description = description_of(response)
    text = f"{message}: {description}" if description else f"{message}."
    raise error_type(text, code=status, detail=description)
