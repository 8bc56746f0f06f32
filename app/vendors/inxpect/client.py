"""InxpectClient: every MSK-101-POE REST endpoint on one DeviceTransport, with bearer-token sessions."""

from __future__ import annotations

import logging
from typing import Any, Final

import httpx

from app.backend.auth import TokenRejected, TokenSession
from app.backend.redact import REDACTOR
from app.backend.transport import DeviceTransport, raise_for_status
from app.core.decoding import as_object, decode_json
from app.core.errors import DeviceError, DeviceProtocolError
from app.core.models import Credentials, DeviceIdentity, Endpoint
from app.vendors.base import BacksUpConfiguration, DeviceClient, SetsFirstPassword
from app.vendors.inxpect.configuration_file import ConfigurationBackup, plan_restore, read_backup, restore
from app.vendors.inxpect.errors import (
    LOGIN_DEFAULT_PASSWORD,
    CalibrationFailedError,
    InxpectDefaultPasswordError,
    InxpectLoginError,
    InxpectRejectedValueError,
    InxpectResetWindowClosedError,
    check_error_code,
    error_code,
)
from app.vendors.inxpect.identity import identity_for
from app.vendors.inxpect.live import (
    AlarmEvent,
    AlarmStatus,
    CalibrationData,
    CalibrationOperation,
    CalibrationResult,
    DetectionFrame,
    decode_event_log,
)
from app.vendors.inxpect.models import (
    DeviceInfo,
    InstallationConfiguration,
    NetSettings,
    SensorConfiguration,
    SensorPosition,
    decode_installations,
    format_version,
)

log = logging.getLogger(__name__)

#: Live polling must not wait long: a frame is stale after a few tens of milliseconds.
LIVE_TIMEOUT: Final = httpx.Timeout(2.0, connect=3.0)
CHUNK_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0)


class InxpectClient(DeviceClient, SetsFirstPassword, BacksUpConfiguration):
    """One MSK-101-POE: token login with one re-login on 403 (document §1), every endpoint of §3.

    A login answered with code 100 succeeds but sets `password_is_default`; until `change_password`
    every other call raises InxpectDefaultPasswordError without being sent (§3.12).
    """

    def __init__(self, http: httpx.AsyncClient, endpoint: Endpoint, credentials: Credentials) -> None:
        self.endpoint = endpoint
        self.transport = DeviceTransport(
            http, endpoint.base_url, device_label=f"MSK-101-POE at {endpoint.host}"
        )
        self._password = credentials.password
        REDACTOR.add(self._password)
        self._session = TokenSession(self._login_for_token)
        self._refreshed_token: str | None = None
        self.password_is_default = False

    def sibling(self, http: httpx.AsyncClient) -> InxpectClient:
        """A new, not yet logged-in client of the same sensor with the current password, on `http`.

        Another event loop (a worker thread's) polls through it with its own session token.
        """
        return InxpectClient(http, self.endpoint, Credentials("", self._password))

    # --- session -------------------------------------------------------------------------------

    async def login(self) -> None:
        """PUT /login now; InxpectLoginError if refused. Code 100 sets `password_is_default`."""
        self._session.invalidate()
        await self._session.current_token()

    async def _login_for_token(self) -> str:
        """PUT /login and return the session token the device hands out."""
        if self._refreshed_token is not None:
            token, self._refreshed_token = self._refreshed_token, None
            return token
        response = await self.transport.request(
            "PUT", "/login", json={"password": self._password}, check_status=False
        )
        if response.status_code in (401, 403):
            raise InxpectLoginError("The sensor refused the password.", code=response.status_code)
        raise_for_status(response, self.transport.device_label)
        body = _json_object(response, "login")
        code = error_code(body, "log in")
        if code not in (0, LOGIN_DEFAULT_PASSWORD):
            raise InxpectLoginError("The sensor refused the password.", code=code)
        self.password_is_default = code == LOGIN_DEFAULT_PASSWORD
        # Assumed: §3.12 shows only {"errorCode"}; the token is taken from a "token" field beside it.
        new_token = body.get("token")
        if not isinstance(new_token, str) or not new_token:
            raise DeviceProtocolError("The sensor accepted the login but sent no session token.")
        return new_token

    async def logout(self) -> None:
        """PUT /logout: end the session on the device (§3.13)."""
        body = await self._call("PUT", "/logout", allow_default=True)
        self._session.invalidate()
        check_error_code(body, "log out")

    async def aclose(self) -> None:
        """Log out if logged in; never closes the injected httpx client.

        Closing is cleanup: a device that already dropped the session (reset, reboot, new address) is
        logged and left alone.
        """
        if self._session.token is None:
            return
        try:
            await self.logout()
        except DeviceError as err:
            log.info("Logout from %s skipped: %s", self.transport.device_label, err)

    async def update_token(self) -> None:
        """GET /updateToken: replace the session token with a fresh one (§3.16)."""
        body = await self._call("GET", "/updateToken", allow_default=True)
        check_error_code(body, "renew the session")
        token = body.get("token")
        if not isinstance(token, str) or not token:
            raise DeviceProtocolError("The sensor renewed the session but sent no token.")
        self._refreshed_token = token
        self._session.invalidate()
        await self._session.current_token()

    def needs_first_password(self) -> bool:
        """True after a login answered with code 100: the factory password must be changed first."""
        return self.password_is_default

    async def set_first_password(self, new_password: str) -> None:
        """Change the factory password (§3.10, the one call the sensor accepts until then)."""
        await self.change_password(new_password)

    async def change_password(self, new_password: str) -> None:
        """PUT /changePassword from the current password to `new_password` (§3.10); later logins use it."""
        REDACTOR.add(new_password)
        body = await self._call(
            "PUT",
            "/changePassword",
            json={"oldPassword": self._password, "newPassword": new_password},
            allow_default=True,
        )
        check_error_code(body, "change the password", error_type=InxpectRejectedValueError)
        self._password = new_password
        self.password_is_default = False

    # --- identity and configuration ------------------------------------------------------------

    async def read_info(self) -> DeviceInfo:
        """GET /sensorInfo: models, families, firmware versions, ids, detection limits (§3.5)."""
        return DeviceInfo.decode(await self._call("GET", "/sensorInfo"))

    async def read_identity(self) -> DeviceIdentity:
        """Identity from /sensorInfo; the com board's device id is the serial (its host name's `<id>`)."""
        info = await self.read_info()
        firmware = (
            f"{format_version(info.sensor.fw_version)} (board {format_version(info.comboard.fw_version)})"
        )
        return identity_for(str(info.comboard.device_id), firmware)

    async def read_configuration(self) -> SensorConfiguration:
        """GET /sensorConfiguration (§3.3)."""
        return SensorConfiguration.decode(await self._call("GET", "/sensorConfiguration"))

    async def read_configuration_object(self) -> dict[str, Any]:
        """GET /sensorConfiguration's `configuration` object as sent, keys a newer firmware adds included."""
        body = await self._call("GET", "/sensorConfiguration")
        return as_object(body.get("configuration"), "the configuration")

    async def backup_configuration(self) -> bytes:
        """A configuration backup file (configuration_file.py): identity, settings, network and name."""
        return (await read_backup(self)).encode()

    async def restore_configuration(self, data: bytes) -> None:
        """Put a backup's sensor settings back (only those that differ, read back); network untouched."""
        await restore(self, await plan_restore(self, ConfigurationBackup.decode(data)))

    async def write_configuration(self, changes: dict[str, Any]) -> None:
        """PUT /sensorConfiguration with only `changes` (JSON keys); read-only keys are refused here."""
        for key in ("configurationsCount", "version"):
            if key in changes:
                raise ValueError(f"{key} is read-only and must not be sent (document §3.3.1)")
        body = await self._call("PUT", "/sensorConfiguration", json={"configuration": changes})
        check_error_code(body, "store the configuration", error_type=InxpectRejectedValueError)

    async def save_configuration(
        self, current: SensorConfiguration, edited: SensorConfiguration
    ) -> SensorConfiguration:
        """Send what differs between `current` and `edited`, then read the configuration back."""
        changes = current.changes_to(edited)
        if changes:
            await self.write_configuration(changes)
        return await self.read_configuration()

    async def read_position(self) -> SensorPosition:
        """GET /sensorPositionStatus: live elevation and rotation (§3.4)."""
        return SensorPosition.decode(await self._call("GET", "/sensorPositionStatus"))

    async def read_installations(self) -> tuple[InstallationConfiguration, ...]:
        """GET /installationConfigurations: supported mountings (§3.8)."""
        return decode_installations(await self._call("GET", "/installationConfigurations"))

    async def reset_sensor(self) -> None:
        """PUT /sensorReset: sensor configuration back to factory; network, password, name kept (§3.14)."""
        check_error_code(await self._call("PUT", "/sensorReset"), "reset the sensor configuration")

    async def reset_comboard(self) -> None:
        """PUT /comboardReset: network settings, password and name back to factory (§3.15)."""
        check_error_code(
            await self._call("PUT", "/comboardReset", allow_default=True), "reset the network board"
        )

    async def reset_comboard_without_login(self, *, timeout: httpx.Timeout | None = None) -> None:
        """PUT /comboardReset with no token: allowed only in the 20 s after the device starts (§3.15);
        InxpectResetWindowClosedError outside them (the 403 of §1)."""
        response = await self.transport.request("PUT", "/comboardReset", check_status=False, timeout=timeout)
        if response.status_code == 403:
            raise InxpectResetWindowClosedError(
                "The sensor allows a reset without login only in the 20 s after it starts.", code=403
            )
        raise_for_status(response, self.transport.device_label)
        check_error_code(_json_object(response, "reset"), "reset the network board")

    # --- live data, calibration, log -----------------------------------------------------------

    async def read_detections(self) -> DetectionFrame:
        """GET /detectionStatus: the latest frame; compare `acq_idx` to skip frames already seen (§3.1)."""
        return DetectionFrame.decode(await self._call("GET", "/detectionStatus", timeout=LIVE_TIMEOUT))

    async def read_alarms(self) -> AlarmStatus:
        """GET /alarmStatus: the latest alarms (§3.2)."""
        return AlarmStatus.decode(await self._call("GET", "/alarmStatus", timeout=LIVE_TIMEOUT))

    async def read_event_log(self) -> tuple[AlarmEvent, ...]:
        """GET /eventLog: the latest alarm events (§3.17)."""
        return decode_event_log(await self._call("GET", "/eventLog"))

    async def calibration(self, operation: CalibrationOperation) -> int:
        """PUT /calibrationStatus with `operation`; return the device's errorCode (§3.6)."""
        body = await self._call("PUT", "/calibrationStatus", json={"operation": int(operation)})
        return error_code(body, "run the calibration step")

    async def start_calibration(self, *, zone_based: bool = False) -> None:
        """Start a standard (or zone based) calibration; raise if the sensor refuses."""
        operation = (
            CalibrationOperation.START_ZONE_BASED if zone_based else CalibrationOperation.START_STANDARD
        )
        code = await self.calibration(operation)
        if code != 0:
            raise CalibrationFailedError("The sensor did not start the calibration.", code=code)

    async def stop_calibration(self) -> CalibrationResult:
        """Stop the calibration; the result says good (0), poor but usable (223) or failed."""
        return CalibrationResult(await self.calibration(CalibrationOperation.STOP))

    async def save_calibration(self) -> None:
        """Save the calibration coefficient just computed; raise if the sensor refuses."""
        code = await self.calibration(CalibrationOperation.SAVE)
        if code != 0:
            raise CalibrationFailedError("The sensor did not save the calibration.", code=code)

    async def read_calibration_data(self) -> CalibrationData:
        """GET /calibrationData: the last calibration's value and mse, until the next reboot (§3.7)."""
        return CalibrationData.decode(await self._call("GET", "/calibrationData"))

    # --- network -------------------------------------------------------------------------------

    async def read_net_settings(self) -> NetSettings:
        """GET /netSettings: configured and current (`cur*`) addressing (§3.9)."""
        return NetSettings.decode(await self._call("GET", "/netSettings"))

    async def write_net_settings(self, settings: NetSettings) -> None:
        """PUT /netSettings without the `cur*` fields (§3.9); the device may move to a new address."""
        body = await self._call("PUT", "/netSettings", json=settings.to_put())
        check_error_code(body, "store the network settings", error_type=InxpectRejectedValueError)

    async def read_name(self) -> str:
        """GET /comBoardName: the device's network name (§3.11)."""
        body = await self._call("GET", "/comBoardName")
        name = body.get("name")
        if not isinstance(name, str):
            raise DeviceProtocolError("The sensor sent no network name.")
        return name

    async def write_name(self, name: str) -> None:
        """PUT /comBoardName (§3.11)."""
        body = await self._call("PUT", "/comBoardName", json={"name": name})
        check_error_code(body, "store the network name", error_type=InxpectRejectedValueError)

    # --- firmware update (§2, §3.18-§3.25) -----------------------------------------------------

    async def read_web_contents(self) -> dict[str, Any]:
        """GET /contents.json: the web server's files and fingerprints (§2), raw for the IFW diff."""
        # §2 does not say whether contents.json needs a login; it is asked with the session token anyway.
        return await self._call("GET", "/contents.json")

    async def start_process_update(self, destination: int) -> None:
        """PUT /startProcessUpdate {"dst"}: 0 sensor, 1 com board, 2 web server (§3.18)."""
        body = await self._call("PUT", "/startProcessUpdate", json={"dst": destination})
        check_error_code(body, "start the update")

    async def start_manifest_update(self) -> int:
        """PUT /startManifestUpdate; return the chunk size the device asks for (§3.19)."""
        return _chunk_size(
            await self._call("PUT", "/startManifestUpdate"), "start sending the meta information"
        )

    async def send_manifest_chunk(self, filename: str, chunk: bytes, offset: int, total: int) -> None:
        """PUT /chunkManifestUpdate with X-Update-Filename and Content-Range (§3.20)."""
        await self._send_chunk("/chunkManifestUpdate", filename, chunk, offset, total)

    async def stop_manifest_update(self) -> None:
        """PUT /stopManifestUpdate (§3.21)."""
        check_error_code(await self._call("PUT", "/stopManifestUpdate"), "finish the meta information")

    async def start_file_update(self) -> int:
        """PUT /startFileUpdate; return the chunk size the device asks for (§3.22)."""
        return _chunk_size(await self._call("PUT", "/startFileUpdate"), "start sending the file")

    async def send_file_chunk(self, filename: str, chunk: bytes, offset: int, total: int) -> None:
        """PUT /chunkFileUpdate with X-Update-Filename and Content-Range (§3.23)."""
        await self._send_chunk("/chunkFileUpdate", filename, chunk, offset, total)

    async def stop_file_update(self) -> None:
        """PUT /stopFileUpdate (§3.24)."""
        check_error_code(await self._call("PUT", "/stopFileUpdate"), "finish the file")

    async def stop_process_update(self, *, force: bool) -> None:
        """PUT /stopProcessUpdate {"force"}: 0 completes the update, non-zero aborts it (§3.25)."""
        body = await self._call("PUT", "/stopProcessUpdate", json={"force": 1 if force else 0})
        check_error_code(body, "abort the update" if force else "complete the update")

    async def _send_chunk(self, path: str, filename: str, chunk: bytes, offset: int, total: int) -> None:
        headers = {
            "X-Update-Filename": filename,
            "Content-Range": f"bytes {offset}-{offset + len(chunk) - 1}/{total}",
            "Content-Type": "application/octet-stream",
        }
        body = await self._call("PUT", path, content=chunk, headers=headers, timeout=CHUNK_TIMEOUT)
        check_error_code(body, f"accept bytes {offset}-{offset + len(chunk) - 1} of {filename}")

    # --- plumbing ------------------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: httpx.Timeout | None = None,
        allow_default: bool = False,
    ) -> dict[str, Any]:
        """Send with the bearer token; a 403 logs in again once and repeats (§1). Returns the JSON object."""

        async def send(token: str) -> dict[str, Any]:
            if self.password_is_default and not allow_default:
                raise InxpectDefaultPasswordError(
                    "The sensor still has its factory password: change it before anything else.",
                    code=LOGIN_DEFAULT_PASSWORD,
                )
            response = await self.transport.request(
                method,
                path,
                json=json,
                content=content,
                timeout=timeout,
                check_status=False,
                headers={"Authorization": f"Bearer {token}", **(headers or {})},
            )
            if response.status_code == 403:
                raise TokenRejected(code=403)
            raise_for_status(response, self.transport.device_label)
            return _json_object(response, path.lstrip("/"))

        return await self._session.call(send)


def _chunk_size(body: dict[str, Any], action: str) -> int:
    """The positive `maxChunkSize` of a successful start answer."""
    check_error_code(body, action)
    size = body.get("maxChunkSize")
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise DeviceProtocolError(f"The sensor did not say which chunk size to use to {action}.")
    return size


def _json_object(response: httpx.Response, what: str) -> dict[str, Any]:
    """The response body as a JSON object, else DeviceProtocolError."""
    return as_object(decode_json(response.content, f"the sensor's answer to {what}"), f"the answer to {what}")
