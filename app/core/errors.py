"""The application's error tree; vendor errors subclass these and carry the vendor's code."""

from __future__ import annotations


class AppError(Exception):
    """Base of every error the app raises on purpose; `message` is written for a technician."""

    def __init__(self, message: str, *, code: str | int | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.detail = detail

    def __str__(self) -> str:
        if self.code is None:
            return self.message
        return f"{self.message} (code {self.code})"


class ConfigurationError(AppError):
    """The app's own settings or input files are unusable."""


class CredentialStoreError(AppError):
    """The credential store cannot be read or written (locked, wrong passphrase, no backend)."""


class UnsafeFileNameError(AppError):
    """A file name built from device data would escape the folder it is saved in."""


class DeviceError(AppError):
    """A device, or the path to it, did not do what was asked."""


class DeviceUnreachableError(DeviceError):
    """No connection could be made to the device."""


class DeviceTimeoutError(DeviceError):
    """The device did not answer within the timeout."""


class AuthenticationError(DeviceError):
    """The device refused the credentials, or none were given where needed."""


class DefaultPasswordError(AuthenticationError):
    """The device still uses its factory password; it must be changed before anything else."""


class PermissionDeniedError(DeviceError):
    """The credentials are valid but the user's level does not allow this action."""


class NotSupportedError(DeviceError):
    """The device, its firmware or its model does not offer this function."""


class InvalidParameterError(DeviceError):
    """The device rejected a value as out of range or malformed."""


class DeviceProtocolError(DeviceError):
    """The device answered with something the app cannot understand."""


class DeviceBusyError(DeviceError):
    """The device is busy (updating, synchronising); the same request may succeed later."""


class RateLimitedError(DeviceBusyError):
    """The service limits how often it may be called; wait and retry."""


class TransferError(DeviceError):
    """A file transfer to or from the device failed part way; `state` says where the device is now."""

    def __init__(
        self, message: str, *, code: str | int | None = None, detail: str = "", state: str = ""
    ) -> None:
        super().__init__(message, code=code, detail=detail)
        self.state = state


class CleartextRefusedError(DeviceError):
    """A secret would have gone over plain HTTP (or to a device trusted over HTTPS): nothing was sent."""


class CertificateError(DeviceError):
    """Base of TLS trust problems: the connection was stopped before anything was sent."""

    def __init__(self, message: str, *, certificate: CertificateDetails, identity: str) -> None:
        super().__init__(message)
        self.certificate = certificate
        self.identity = identity


class UntrustedCertificateError(CertificateError):
    """First contact with a device whose certificate is not yet trusted; ask the user."""


class CertificateChangedError(CertificateError):
    """The device shows another certificate than the trusted one; nothing is sent until the user decides."""

    def __init__(
        self,
        message: str,
        *,
        certificate: CertificateDetails,
        identity: str,
        trusted_fingerprint: str,
    ) -> None:
        super().__init__(message, certificate=certificate, identity=identity)
        self.trusted_fingerprint = trusted_fingerprint


class IdentityMismatchError(DeviceError):
    """The device that answered the login is not the device it was opened as; nothing more is sent to it."""

    def __init__(self, message: str, *, expected: str, found: str) -> None:
        super().__init__(message)
        self.expected = expected
        self.found = found


from app.core.certificates import CertificateDetails  # noqa: E402  (cycle-free: plain data)
