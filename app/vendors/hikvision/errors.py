"""Hik-Partner Pro error codes (OpenAPI guide, Appendix A.1) mapped onto the app's error tree."""

from __future__ import annotations

import re

from app.core.errors import (
    AuthenticationError,
    DeviceBusyError,
    DeviceError,
    DeviceProtocolError,
    DeviceTimeoutError,
    DeviceUnreachableError,
    InvalidParameterError,
    NotSupportedError,
    PermissionDeniedError,
    RateLimitedError,
)


class HikvisionError(DeviceError):
    """Any error the Hik-Partner Pro cloud reported; `code` is its `errorCode` string (e.g. "LAP008001")."""


class HikCredentialsError(HikvisionError, AuthenticationError):
    """The API key or secret is wrong or its account is gone: ask for the key again, never retry."""


class HikTokenError(HikvisionError, AuthenticationError):
    """The access token is missing, malformed or expired: get a new token and retry once."""


class HikRateLimitedError(HikvisionError, RateLimitedError):
    """The cloud limits how often this key may call; back off and retry later."""


class HikServiceError(HikvisionError, DeviceBusyError):
    """A transient cloud-side failure; the same request may succeed shortly."""


class HikPermissionError(HikvisionError, PermissionDeniedError):
    """The account may not act on this site or device."""


class HikInvalidRequestError(HikvisionError, InvalidParameterError):
    """The cloud rejected a value (name, serial, verification code, time zone...)."""


class HikAlreadyDoneError(HikvisionError, InvalidParameterError):
    """The change is already in place (already added, already shared); callers may treat it as success."""


class HikDeviceOfflineError(HikvisionError, DeviceUnreachableError):
    """The device has no connection to the cloud right now."""


class HikDeviceTimeoutError(HikvisionError, DeviceTimeoutError):
    """The cloud reached the device but it did not answer in time."""


class HikDeviceBusyError(HikvisionError, DeviceBusyError):
    """The device is busy (formatting, editing, synchronising); try again later."""


class HikNotSupportedError(HikvisionError, NotSupportedError):
    """The device or its firmware does not support this."""


class HikProtocolError(HikvisionError, DeviceProtocolError):
    """The cloud answered with something undocumented (unknown code, malformed envelope)."""


class HikIsapiError(HikvisionError, DeviceProtocolError):
    """The device behind the ISAPI pass-through rejected the request (ResponseStatus or X-DeviceCode)."""


_C = HikCredentialsError
_T = HikTokenError
_R = HikRateLimitedError
_S = HikServiceError
_P = HikPermissionError
_I = HikInvalidRequestError
_A = HikAlreadyDoneError
_O = HikDeviceOfflineError
_D = HikDeviceBusyError
_N = HikNotSupportedError

#: Every code of Appendix A.1 with a message written for a technician on site.
CODES: dict[str, tuple[type[HikvisionError], str]] = {
    "LAP300001": (_C, "The API key is not known to Hik-Partner Pro; check the key."),
    "LAP300002": (_C, "The API secret does not match the API key; check the secret."),
    "LAP300003": (_C, "The Hik-Partner Pro account of this API key no longer exists."),
    "LAP000000": (_S, "Hik-Partner Pro had a system error; try again in a moment."),
    "LAP000001": (_I, "Hik-Partner Pro rejected a value in the request (parameter error)."),
    "LAP000002": (_I, "Hik-Partner Pro found no such resource."),
    "LAP000003": (_I, "Hik-Partner Pro found no such resource."),
    "LAP001005": (_C, "The Hik-Partner Pro account is locked."),
    "LAP002002": (_I, "This email address is already registered."),
    "LAP002013": (_I, "The admin information of the company is incomplete."),
    "LAP002017": (_S, "Deleting employees failed."),
    "LAP004001": (_S, "Hik-Partner Pro could not send the email; try again later."),
    "LAP004012": (_I, "You cannot delete your own account."),
    "LAP004018": (_I, "The role linked to the site manager cannot be deleted."),
    "LAP004030": (_I, "The company has reached its maximum number of employees."),
    "LAP004040": (_R, "Too many employee invitations by email; wait a while."),
    "LAP006001": (_S, "Adding the device failed; try again."),
    "LAP006002": (_I, "Hik-Partner Pro does not know this device; check the serial number."),
    "LAP006006": (_S, "Hik-Partner Pro had a network problem; try again."),
    "LAP006008": (_A, "This serial number is already registered in your account."),
    "LAP006009": (_P, "The device does not exist or this account has no permission for it."),
    "LAP006011": (_I, "The maximum number of decoding devices is reached."),
    "LAP006012": (_I, "The site does not exist (it may have been deleted)."),
    "LAP006013": (_P, "Only the site owner may do this."),
    "LAP006016": (_P, "This account has no permission to operate the site."),
    "LAP006018": (_A, "This was already done; do not repeat it."),
    "LAP006053": (_D, "The device is being edited; try again shortly."),
    "LAP008000": (_I, "A site with this name already exists; pick it from the list or choose another name."),
    "LAP008001": (_P, "The site does not exist, or this account has no permission for it."),
    "LAP008002": (_P, "Only a site manager can edit the site information."),
    "LAP008004": (_S, "Adding the site failed; try again."),
    "LAP008006": (_S, "Deleting the site failed; try again."),
    "LAP008008": (_S, "Hik-Partner Pro had a network error; try again."),
    "LAP008011": (_P, "This account needs site management permission."),
    "LAP008015": (_S, "Deleting the site failed; try again."),
    "LAP008017": (_P, "This account has no permission for this resource."),
    "LAP008024": (_I, "The site manager information is incomplete."),
    "LAP008025": (_P, "Only the Installer Admin or a site manager can delete the site."),
    "LAP008026": (_I, "The Installer Admin or site manager has no sites."),
    "LAP008030": (_I, "The site needs a time zone."),
    "LAP008044": (_I, "Not possible: the site was not handed over by sharing."),
    "LAP008077": (_P, "No permission."),
    "LAP008081": (_A, "The site is already shared."),
    "LAP008082": (_I, "That account does not exist or is banned; check the email or phone number."),
    "LAP008087": (_A, "The site is not shared at the moment."),
    "LAP008092": (_I, "The sharing credentials do not exist."),
    "LAP008093": (_I, "You cannot share a site with your own company."),
    "LAP008099": (_I, "That account belongs to several companies; use another employee's email."),
    "LAP008103": (_I, "Sharing failed: the site has already been transferred."),
    "LAP008104": (_P, "That account has no site management permission."),
    "LAP008127": (_I, "Not possible on a site handed over by sharing."),
    "LAP020047": (_S, "Synchronising the face picture URL failed."),
    "LAP026338": (_I, "The hot spare host is not added."),
    "LAP026339": (_I, "This spare device number already exists."),
    "LAP026341": (_I, "The hot spare file is too large."),
    "LAP026342": (_S, "Uploading the hot spare file failed."),
    "LAP030069": (_R, "A person synchronisation is running on this device; wait for it to finish."),
    "LAP033005": (_S, "Hik-Partner Pro could not issue a token; try signing in again."),
    "LAP034000": (_P, "This account may not access the device."),
    "LAP034001": (_P, "This account may not access the site."),
    "LAP034002": (_P, "This account may not access the company."),
    "LAP035001": (_I, "The requested resource was not found."),
    "LAP500001": (_S, "Hik-Partner Pro is unavailable at the moment; try again later."),
    "LAP500002": (_T, "The request carried no access token."),
    "LAP500003": (_T, "The access token has an invalid format."),
    "LAP500004": (_T, "The access token expired or is incorrect (tokens last 7 days)."),
    "LAP500005": (_T, "Hik-Partner Pro could not verify the access token."),
    "LAP500006": (_S, "Getting the information failed; try again."),
    "LAP500007": (_R, "This call has been made too often (a daily limit may apply); try again later."),
    "LAP031002": (_S, "Uploading the picture failed."),
    "LAP031007": (_I, "The file is too large."),
    "LAP031008": (_I, "The file is not valid."),
    "LAP012013": (_I, "The employee does not exist."),
    "LAP035004": (_I, "The alarm picture URL has an invalid format."),
    "LAP064001": (_A, "The account information was not changed."),
    "LAP064003": (_A, "This sharing already exists."),
    "LAP064007": (_I, "The same account is listed twice for sharing."),
    "LAP068001": (_R, "Another request with this API key is in progress; calls must not overlap."),
    "LAP068002": (_S, "Pulling alarm messages failed; retrying."),
    "EVZ10001": (_I, "Incorrect parameter."),
    "EVZ10006": (_P, "Hik-Partner Pro does not accept calls from this IP address."),
    "EVZ10007": (_R, "The call limit for this API key is reached; try again later."),
    "EVZ10013": (_P, "This API key has no permission to call this function."),
    "EVZ10020": (_I, "The request method is missing."),
    "EVZ10029": (_R, "Calls are too frequent; slowing down."),
    "EVZ20001": (_I, "The channel does not exist."),
    "EVZ20002": (_I, "The device does not exist; check the serial number."),
    "EVZ20006": (_S, "Hik-Partner Pro had a network problem; try again."),
    "EVZ20007": (_O, "The device is offline: check its network cable and that Hik-Connect is enabled on it."),
    "EVZ20008": (_O, "The device did not answer in time."),
    "EVZ20010": (_I, "The verification code is wrong: type the code printed on the device label."),
    "EVZ20012": (_S, "Adding the device failed; try again."),
    "EVZ20013": (
        _P,
        "Another account already has this device: the customer or the previous installer "
        "must remove it from their account first.",
    ),
    "EVZ20014": (_I, "The serial number is wrong: use the 9-character serial on the device label."),
    "EVZ20015": (_N, "The device does not support this function."),
    "EVZ20016": (_D, "The device is formatting its storage; try again when it has finished."),
    "EVZ20017": (_A, "You have already added this device."),
    "EVZ20018": (_P, "The device is not linked to this account."),
    "EVZ20019": (_N, "The device does not support the cloud storage service."),
    "EVZ20020": (_A, "The device is online and already in your account."),
    "EVZ20021": (_I, "The device is online but not added to any account yet."),
    "EVZ20022": (_P, "The device is online and belongs to another account: it must be released first."),
    "EVZ20023": (
        _O,
        "The device is offline and has never been added: connect it to the internet and "
        "enable Hik-Connect on it, then try again.",
    ),
    "EVZ20024": (_P, "The device is offline and belongs to another account: it must be released first."),
    "EVZ20029": (_A, "The device is offline but already in your account."),
    "EVZ20609": (
        _O,
        "The device did not answer: communication fault or low battery in the door lock. Try again.",
    ),
    "EVZ49999": (_S, "Hik-Partner Pro had a data error; try again."),
    "EVZ50000": (_S, "Hik-Partner Pro had a server error; try again."),
    "EVZ60012": (_S, "Unknown error; try again."),
    "EVZ60019": (_N, "Encryption is enabled on the device."),
    "EVZ60020": (_N, "The device does not support this command."),
    "EVZ60040": (_N, "Hik-Partner Pro is not on the same local network as the device."),
    "EVZ60041": (_O, "The device is linked by another device or did not answer in time."),
    "EVZ60042": (_I, "The device password is wrong."),
    "EVZ60043": (_I, "No more devices can be added to this account."),
    "EVZ60044": (_O, "The cloud could not reach the device's network."),
    "EVZ60048": (_D, "Not enough bandwidth."),
    "EVZ60050": (_N, "The device firmware is too old to be added: upgrade it locally first."),
    "EVZ60051": (_N, "Hik-Partner Pro does not support this device."),
    "EVZ60052": (_I, "Incorrect channel number."),
    "EVZ60053": (_N, "The device resolution is not supported."),
    "EVZ60054": (_D, "The device account is locked; wait and try again."),
    "EVZ60055": (_S, "Streaming error."),
    "EVZ60056": (_S, "Deleting the device failed; try again."),
}

#: Codes after which a fresh token is fetched and the call retried once (A.1: LAP5000xx).
TOKEN_CODES = frozenset({"LAP500002", "LAP500003", "LAP500004", "LAP500005"})
_FAIL_REASON = re.compile(r"\{\s*([A-Z]{3}\d{5,6})\s*\}")


def error_for(code: str, vendor_message: str = "", *, context: str = "") -> HikvisionError:
    """The typed error for an `errorCode`; unknown codes become HikProtocolError with the code kept."""
    error_type, message = CODES.get(
        code, (HikProtocolError, f"Hik-Partner Pro reported an undocumented error {code}.")
    )
    prefix = f"{context}: " if context else ""
    return error_type(prefix + message, code=code, detail=vendor_message)


def code_from_fail_reason(fail_reason: str) -> str:
    """The code inside a device-add `failReason` such as "add Exception{EVZ20010}", or "" if none."""
    found = _FAIL_REASON.search(fail_reason)
    return found.group(1) if found else ""


def describe_code(code: str) -> str:
    """The technician message for a code, or a generic line quoting an unknown code."""
    entry = CODES.get(code)
    return entry[1] if entry else f"Hik-Partner Pro reported error {code or 'without a code'}."
