"""Typed errors for the Axis stitching API; each carries the vendor's code and the document's meaning."""

from __future__ import annotations

from app.core.errors import (
    DeviceBusyError,
    DeviceError,
    InvalidParameterError,
    NotSupportedError,
)


class AxisError(DeviceError):
    """An error an Axis device reported in a JSON envelope (`error.code`, `error.message`)."""


class AxisInvalidParameterError(AxisError, InvalidParameterError):
    """The camera rejected a parameter: out of range, missing or of the wrong JSON type."""


class AxisOutOfMemoryError(AxisError, DeviceBusyError):
    """The camera could not allocate memory; the same request may succeed shortly."""


class AxisVersionNotSupportedError(AxisError, NotSupportedError):
    """The camera does not support the requested API version."""


class AxisMethodNotSupportedError(AxisError, NotSupportedError):
    """The camera does not offer this method or operation."""


class AxisStitchingDisabledError(AxisError, NotSupportedError):
    """Stitching (or blending) is switched off on the camera, so the method is not allowed."""


class AxisStitchingFailedError(AxisError):
    """The camera could not compute or apply its stitching tables or blending."""


class AxisCalibrationError(AxisError):
    """The camera's factory calibration file is missing or unreadable."""


class AxisConfigurationFileError(AxisError):
    """The camera could not read, save or parse its stitching configuration file."""


class AxisInternalError(AxisError):
    """The camera failed internally and could not complete the request."""


# Codes and meanings from the stitching document: "General error codes", the setBlendingAmount table
# (2204, 2214), and the getSupportedVersions/getCapabilities examples (2003, 2004).
ERRORS: dict[int, tuple[type[AxisError], str]] = {
    1000: (AxisInvalidParameterError, "Invalid parameter value."),
    2000: (AxisOutOfMemoryError, "The camera failed to allocate memory; try again shortly."),
    2003: (AxisVersionNotSupportedError, "The requested API version is not supported."),
    2004: (AxisMethodNotSupportedError, "The camera does not support this method."),
    2200: (AxisStitchingFailedError, "An unknown stitching error occurred on the camera."),
    2201: (AxisStitchingFailedError, "The camera failed to initialise its transformation tables."),
    2202: (AxisStitchingFailedError, "The camera failed to generate a stitching table with these values."),
    2203: (AxisStitchingFailedError, "The camera failed to apply a stitching table with these values."),
    2204: (AxisStitchingFailedError, "The camera failed to apply the blending amount."),
    2205: (AxisCalibrationError, "The camera failed to read its calibration file."),
    2206: (AxisCalibrationError, "The camera's calibration file is missing."),
    2207: (AxisCalibrationError, "The camera failed to remove (unlink) its calibration file."),
    2208: (AxisMethodNotSupportedError, "The camera's current stitching mode is not supported."),
    2209: (AxisConfigurationFileError, "The camera failed to read its stitching configuration file."),
    2210: (AxisConfigurationFileError, "The camera failed to save its stitching configuration file."),
    2211: (AxisConfigurationFileError, "The camera failed to parse its stitching configuration file."),
    2212: (AxisStitchingDisabledError, "This method is not allowed while stitching is disabled."),
    2213: (AxisMethodNotSupportedError, "The camera does not support this operation."),
    2214: (AxisStitchingDisabledError, "Blending is disabled on the camera."),
    4001: (AxisInvalidParameterError, "A mandatory input parameter was missing from the request."),
    4002: (AxisInvalidParameterError, "A JSON parameter in the request had the wrong type."),
    8000: (AxisInternalError, "Internal error: the camera could not complete the request."),
    8002: (AxisInternalError, "The camera reported a generic error."),
}


def error_for(code: int, device_message: str, *, method: str = "") -> AxisError:
    """The typed error for a vendor error code; unknown codes become a plain AxisError."""
    error_type, meaning = ERRORS.get(code, (AxisError, f"The camera reported error {code}."))
    where = f"{method}: " if method else ""
    return error_type(f"{where}{meaning}", code=code, detail=device_message)
