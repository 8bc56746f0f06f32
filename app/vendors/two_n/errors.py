"""2N error envelope codes (document §2.3) as typed errors under the app's error tree."""

from __future__ import annotations

from app.core.errors import (
    AuthenticationError,
    DeviceBusyError,
    DeviceError,
    DeviceProtocolError,
    InvalidParameterError,
    NotSupportedError,
    PermissionDeniedError,
)


class TwoNError(DeviceError):
    """An error envelope from a 2N device: `code`, optional `param` and the device's `description`."""

    def __init__(self, message: str, *, code: int, param: str = "", description: str = "") -> None:
        detail = f"{description} (param {param})" if param else description
        super().__init__(message, code=code, detail=detail)
        self.param = param
        self.description = description


class TwoNFunctionNotSupportedError(TwoNError, NotSupportedError):
    """Code 1: the function is unavailable in this model."""


class TwoNInvalidPathError(TwoNError, NotSupportedError):
    """Code 2: no HTTP API function at this path (often: firmware older than the function)."""


class TwoNInvalidMethodError(TwoNError, NotSupportedError):
    """Code 3: the HTTP method is not valid for this function."""


class TwoNServiceDisabledError(TwoNError, NotSupportedError):
    """Code 4: the service is disabled in Services / HTTP API."""


class TwoNConnectionTypeError(TwoNError, PermissionDeniedError):
    """Code 7: the service accepts HTTPS only."""


class TwoNAuthMethodError(TwoNError, AuthenticationError):
    """Code 8: the authentication method is not the one set for the service (e.g. Basic on Digest)."""


class TwoNAuthorisationRequiredError(TwoNError, AuthenticationError):
    """Code 9 (with HTTP 401): missing or wrong credentials."""


class TwoNInsufficientPrivilegesError(TwoNError, PermissionDeniedError):
    """Code 10: the account lacks the privilege this function needs."""


class TwoNMissingParameterError(TwoNError, InvalidParameterError):
    """Code 11: a mandatory parameter (`param`) is missing."""


class TwoNInvalidParameterError(TwoNError, InvalidParameterError):
    """Code 12: the value of `param` is invalid."""


class TwoNParameterTooBigError(TwoNError, InvalidParameterError):
    """Code 13: the data of `param` exceed the device's limit."""


class TwoNProcessingError(TwoNError):
    """Code 14: the device could not carry out the request ("action failed", "new firmware not found")."""


class TwoNNoDataError(TwoNError):
    """Code 15: the requested data are not available."""


class TwoNParameterConflictError(TwoNError, InvalidParameterError):
    """Code 17: a parameter must not be present together with another."""


class TwoNRequestRejectedError(TwoNError, DeviceBusyError):
    """Code 18: the device cannot process the request now."""


class TwoNFileVersionTooLowError(TwoNError, InvalidParameterError):
    """Code 19: the uploaded file's version is below the required minimum."""


class TwoNUnknownError(TwoNError, DeviceProtocolError):
    """An error code the document does not define."""


_ERRORS: dict[int, tuple[type[TwoNError], str]] = {
    1: (TwoNFunctionNotSupportedError, "This intercom model does not offer this function."),
    2: (TwoNInvalidPathError, "The intercom does not know this function; its firmware may be too old."),
    3: (TwoNInvalidMethodError, "The intercom does not accept this request method here."),
    4: (TwoNServiceDisabledError, "This API service is disabled; enable it in Services / HTTP API."),
    7: (TwoNConnectionTypeError, "This API service accepts HTTPS connections only."),
    8: (TwoNAuthMethodError, "The service requires a different authentication method (Basic/Digest)."),
    9: (TwoNAuthorisationRequiredError, "The intercom refused the username or password."),
    10: (TwoNInsufficientPrivilegesError, "This API account lacks the privilege for that function."),
    11: (TwoNMissingParameterError, "The intercom reports a missing mandatory parameter."),
    12: (TwoNInvalidParameterError, "The intercom rejected a parameter value."),
    13: (TwoNParameterTooBigError, "The data sent are too big for the intercom."),
    14: (TwoNProcessingError, "The intercom could not carry out the request."),
    15: (TwoNNoDataError, "The intercom has no data for this request."),
    17: (TwoNParameterConflictError, "These parameters cannot be used together."),
    18: (TwoNRequestRejectedError, "The intercom cannot process the request now; try again shortly."),
    19: (TwoNFileVersionTooLowError, "The file's version is lower than the intercom's required minimum."),
}

#: Error codes the document defines (§2.3); 5, 6 and 16 are gaps in its table.
DOCUMENTED_CODES: tuple[int, ...] = tuple(_ERRORS)


def error_for(code: int, *, param: str = "", description: str = "", device_label: str = "") -> TwoNError:
    """The typed error for an envelope's code, with a technician-readable message."""
    error_type, message = _ERRORS.get(code, (TwoNUnknownError, f"The intercom reported error {code}."))
    if description and code in (12, 14, 18):
        message = f"{message.rstrip('.')}: {description}."
    if param:
        message = f"{message} (parameter {param})"
    prefix = f"{device_label}: " if device_label else ""
    return error_type(prefix + message, code=code, param=param, description=description)
