"""AudioCodesClient: every documented /api/v1 call, over HTTP Basic on the one transport choke point."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import httpx

from app.backend.redact import REDACTOR
from app.backend.transport import DeviceTransport
from app.core.clock import Clock, SystemClock
from app.core.decoding import decode_json
from app.core.errors import DeviceBusyError, DeviceTimeoutError, DeviceUnreachableError, TransferError
from app.core.models import Credentials, DeviceIdentity, Endpoint
from app.vendors.audiocodes.errors import (
    AudioCodesBadRequestError,
    AudioCodesForbiddenError,
    AudioCodesMethodNotAllowedError,
    AudioCodesProtocolError,
    raise_for_audiocodes_status,
)
from app.vendors.audiocodes.models import (
    VENDOR_ID,
    AlarmDetail,
    AlarmPage,
    CliResult,
    DebugFileState,
    DebugFileTicket,
    DeviceStatus,
    KpiValue,
    LicenseInfo,
    LicenseKeyRequest,
    PrivateKeyInfo,
    SubjectFields,
    TlsContext,
    parse_timestamp,
)
from app.vendors.audiocodes.pem import as_pem
from app.vendors.audiocodes.permissions import UserLevel
from app.vendors.base import BacksUpConfiguration, DeviceClient, InstallsCertificate

log = logging.getLogger(__name__)

API = "/api/v1"
LONG_TIMEOUT = httpx.Timeout(120.0, connect=5.0)
UPLOAD_TIMEOUT = httpx.Timeout(600.0, connect=5.0)
#: Configuration files, certificates and trust stores the app reads from a Mediant.
FILE_MAX_BODY = 32 << 20
#: A debug file with a core dump can be large; more than this is refused.
DEBUG_FILE_MAX_BODY = 256 << 20
KEY_SIZES = (512, 1024, 2048, 4096)
SIGNATURE_ALGORITHMS = ("sha1", "sha256", "sha512")
ALARM_KINDS = ("active", "history")


class AudioCodesClient(DeviceClient, BacksUpConfiguration, InstallsCertificate):
    """One Mediant device: status, license, TLS files, actions, alarms and files (document sections 6-11)."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        endpoint: Endpoint,
        credentials: Credentials,
        *,
        clock: Clock | None = None,
        transport: DeviceTransport | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.credentials = credentials
        self.clock: Clock = clock or SystemClock()
        self.transport = transport or DeviceTransport(
            http, endpoint.base_url, device_label=f"AudioCodes {endpoint.host}"
        )
        REDACTOR.add(credentials.password)
        self._auth = httpx.BasicAuth(credentials.username, credentials.password)
        self.user_level: UserLevel | None = None
        self.last_status: DeviceStatus | None = None
        self._own_http: httpx.AsyncClient | None = None
        self._retired: list[httpx.AsyncClient] = []

    async def _call(
        self, method: str, path: str, *, expected: tuple[int, ...] = (200,), **kwargs: Any
    ) -> httpx.Response:
        response = await self.transport.request(
            method, f"{API}{path}", auth=self._auth, check_status=False, **kwargs
        )
        raise_for_audiocodes_status(response, expected)
        return response

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        return decode_json(response.content, "the device's answer", error=AudioCodesProtocolError)

    @staticmethod
    def _file(filename: str, data: bytes) -> dict[str, tuple[str, bytes, str]]:
        """Multipart body of every documented upload: one part named "file" (section 7, File Encoding)."""
        return {"file": (filename, data, "application/octet-stream")}

    # --- identity and session -------------------------------------------------------------------

    async def login(self) -> None:
        """Read status with the credentials (401 raises AuthenticationError), then learn the user's level."""
        await self.status()
        self.user_level = await self.detect_user_level()

    async def read_identity(self) -> DeviceIdentity:
        """The identity from status: product type, serial number, MAC and software version."""
        status = await self.status()
        return DeviceIdentity(
            vendor=VENDOR_ID,
            model=status.product_type,
            serial=status.serial_number,
            firmware=status.version,
            mac=status.mac_address,
        )

    async def aclose(self) -> None:
        """HTTP Basic keeps no session; closes only a client this object made in `adopt_certificate`."""
        for http in [*self._retired, *([self._own_http] if self._own_http else [])]:
            await http.aclose()
        self._retired.clear()
        self._own_http = None

    def adopt_certificate(self, der: bytes) -> None:
        """Talk to the device through a client pinned to `der`: its new certificate, installed by the app."""
        from app.backend.session import pinned_client

        previous = self._own_http
        self._own_http = pinned_client(der, timeout=self.transport.timeout)
        self.transport.client = self._own_http
        if previous is not None:
            self._retired.append(previous)

    async def detect_user_level(self) -> UserLevel:
        """The user's level, from the cheapest resource of each level (files/tls, then actions)."""
        for path, level in (
            ("/files/tls", UserLevel.SECURITY_ADMINISTRATOR),
            ("/actions", UserLevel.ADMINISTRATOR),
        ):
            try:
                await self._call("GET", path)
            except (AudioCodesForbiddenError, AudioCodesMethodNotAllowedError):
                continue
            return level
        return UserLevel.MONITOR

    async def status(self) -> DeviceStatus:
        """GET /status."""
        status = DeviceStatus.decode(self._json(await self._call("GET", "/status")))
        self.last_status = status
        return status

    # --- license ----------------------------------------------------------------------------------

    async def license(self) -> LicenseInfo:
        """GET /license."""
        return LicenseInfo.decode(self._json(await self._call("GET", "/license")))

    async def install_license_key(self, key: str, serial_number: str) -> None:
        """PUT /license as JSON; the device rejects a foreign `serial_number` (standalone only)."""
        body: LicenseKeyRequest = {"licenseVersion": 1, "serialNumber": serial_number, "key": key}
        await self._call("PUT", "/license", json=body)

    async def install_license_file(self, filename: str, data: bytes) -> None:
        """PUT /license as multipart: the only way on an HA pair; the device picks the key for its serial."""
        await self._call("PUT", "/license", files=self._file(filename, data))

    # --- TLS contexts -------------------------------------------------------------------------------

    async def tls_contexts(self) -> list[TlsContext]:
        """GET /files/tls."""
        return TlsContext.decode_list(self._json(await self._call("GET", "/files/tls")))

    async def private_key(self, context_id: str) -> PrivateKeyInfo:
        """GET /files/tls/<id>/privateKey: size and validity (the key itself never leaves the device)."""
        return PrivateKeyInfo.decode(
            self._json(await self._call("GET", f"/files/tls/{context_id}/privateKey"))
        )

    async def upload_private_key(self, context_id: str, pem: bytes, password: str = "") -> None:
        """PUT /files/tls/<id>/privateKey (PEM); the optional password goes in the form, not the URL."""
        data = {"password": password} if password else None
        if password:
            REDACTOR.add(password)
        await self._call(
            "PUT", f"/files/tls/{context_id}/privateKey", files=self._file("key.pem", pem), data=data
        )

    async def generate_private_key(self, context_id: str, size: int) -> None:
        """POST /files/tls/<id>/privateKey/generate with size 512, 1024, 2048 or 4096."""
        if size not in KEY_SIZES:
            raise ValueError(f"key size must be one of {KEY_SIZES}")
        await self._call(
            "POST", f"/files/tls/{context_id}/privateKey/generate", json={"size": size}, timeout=LONG_TIMEOUT
        )

    async def certificate(self, context_id: str) -> bytes:
        """GET /files/tls/<id>/certificate as PEM bytes."""
        response = await self._call("GET", f"/files/tls/{context_id}/certificate", max_body=FILE_MAX_BODY)
        return as_pem(response.content, "CERTIFICATE")

    async def upload_certificate(self, context_id: str, pem: bytes) -> None:
        """PUT /files/tls/<id>/certificate with a PEM certificate."""
        await self._call("PUT", f"/files/tls/{context_id}/certificate", files=self._file("cert.pem", pem))

    async def generate_self_signed(self, context_id: str, subject: SubjectFields) -> None:
        """POST /files/tls/<id>/certificate/generate: a self-signed certificate for the context's key."""
        await self._call(
            "POST",
            f"/files/tls/{context_id}/certificate/generate",
            json=subject.to_json(),
            timeout=LONG_TIMEOUT,
        )

    async def certificate_request(
        self, context_id: str, subject: SubjectFields, signature_algorithm: str = "sha256"
    ) -> bytes:
        """POST /files/tls/<id>/certificate/request: a PEM CSR for the context's key (default sha1)."""
        if signature_algorithm not in SIGNATURE_ALGORITHMS:
            raise ValueError(f"signature algorithm must be one of {SIGNATURE_ALGORITHMS}")
        body = {**subject.to_json(), "signatureAlgorithm": signature_algorithm}
        response = await self._call(
            "POST", f"/files/tls/{context_id}/certificate/request", json=body, timeout=LONG_TIMEOUT
        )
        return as_pem(response.content, "CERTIFICATE REQUEST")

    async def trusted_roots(self, context_id: str) -> bytes:
        """GET /files/tls/<id>/trustedRoot: the whole store as concatenated PEM (b"" when it is empty)."""
        try:
            response = await self._call("GET", f"/files/tls/{context_id}/trustedRoot", max_body=FILE_MAX_BODY)
        except AudioCodesBadRequestError:
            # Section 2: "For requested resources that do not have any content, a 400 Bad Request".
            return b""
        return response.content

    async def replace_trusted_roots(self, context_id: str, pem: bytes) -> None:
        """PUT /files/tls/<id>/trustedRoot: replace the whole store with these PEM certificates."""
        await self._call("PUT", f"/files/tls/{context_id}/trustedRoot", files=self._file("trust.pem", pem))

    async def add_trusted_root(self, context_id: str, pem: bytes) -> None:
        """PUT /files/tls/<id>/trustedRoot/incremental: add one certificate to the store."""
        await self._call(
            "PUT", f"/files/tls/{context_id}/trustedRoot/incremental", files=self._file("trust.pem", pem)
        )

    # --- actions ------------------------------------------------------------------------------------

    async def save_configuration(self) -> None:
        """POST /actions/saveConfiguration with the required `Content-Length: 0`."""
        await self._call(
            "POST",
            "/actions/saveConfiguration",
            content=b"",
            headers={"Content-Length": "0"},
            timeout=LONG_TIMEOUT,
        )

    async def reset(self, *, save_configuration: bool = True, graceful_timeout: int = 0) -> str:
        """POST /actions/reset; returns the device's description ("Device will reset now")."""
        body = {"saveConfiguration": save_configuration, "gracefulTimeout": graceful_timeout}
        return self._description(await self._call("POST", "/actions/reset", json=body))

    async def auth_token(self, level: UserLevel, *, session_timeout: int | None = None) -> str:
        """POST /actions/authToken: a one-use token for the web interface (use it within ten seconds)."""
        body: dict[str, Any] = {"username": self.credentials.username, "privLevel": level.web_privilege}
        if session_timeout is not None:
            body["sessionTimeout"] = session_timeout
        answer = self._json(await self._call("POST", "/actions/authToken", json=body))
        token = answer.get("authToken") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise AudioCodesProtocolError("The device did not return an authentication token.")
        REDACTOR.add(token)  # an API token the technician may keep using: masked for the whole run
        return token

    def web_login_url(self, token: str) -> str:
        """The web interface URL that logs in with `token` (section 6, Auth Token)."""
        return f"{self.endpoint.base_url}/index.html?mode=web&authToken={token}"

    def _description(self, response: httpx.Response) -> str:
        body = self._json(response) if response.content else {}
        return str(body.get("description", "")) if isinstance(body, dict) else ""

    # --- alarms -------------------------------------------------------------------------------------

    async def alarms(
        self, kind: str = "active", *, limit: int = 20, after: str = "", before: str = ""
    ) -> AlarmPage:
        """GET /alarms/<active|history> one page; a 204 answer is an empty page."""
        if kind not in ALARM_KINDS:
            raise ValueError(f"alarm kind must be one of {ALARM_KINDS}")
        params: dict[str, str | int] = {"limit": limit}
        if after:
            params["after"] = after
        if before:
            params["before"] = before
        response = await self._call("GET", f"/alarms/{kind}", params=params, expected=(200, 204))
        if response.status_code == 204:
            return AlarmPage.empty()
        return AlarmPage.decode(self._json(response))

    async def last_alarm_change(self) -> datetime | None:
        """GET /alarms/active/lastChange: when an active alarm was last raised or cleared (device time);
        None when the device has had no alarm change (404)."""
        response = await self._call("GET", "/alarms/active/lastChange", expected=(200, 404))
        if response.status_code == 404:
            return None
        body = self._json(response)
        text = body.get("lastChange") if isinstance(body, dict) else None
        moment = parse_timestamp(text) if isinstance(text, str) else None
        if moment is None:
            raise AudioCodesProtocolError("The device's last alarm change is not an RFC 3339 time.")
        return moment

    async def alarm(self, kind: str, alarm_id: str, *, with_oid: bool = False) -> AlarmDetail:
        """GET /alarms/<active|history>/<id>, with the SNMP trap OID when asked."""
        if kind not in ALARM_KINDS:
            raise ValueError(f"alarm kind must be one of {ALARM_KINDS}")
        params = {"oid": 1} if with_oid else None
        return AlarmDetail.decode(
            self._json(await self._call("GET", f"/alarms/{kind}/{alarm_id}", params=params))
        )

    # --- performance monitoring ------------------------------------------------------------------------

    async def current_kpis(self, application: str, group: str, *, page: int = 50) -> list[KpiValue]:
        """GET /kpi/current/<application>/<group>/global, following the cursor; [] when 204 (section 12)."""
        values: list[KpiValue] = []
        params: dict[str, str | int] = {"limit": page}
        for _ in range(100):  # a cursor that never ends is the device's fault, not a reason to loop forever
            response = await self._call(
                "GET", f"/kpi/current/{application}/{group}/global", params=params, expected=(200, 204)
            )
            if response.status_code == 204:
                break
            body = self._json(response)
            values.extend(KpiValue.decode(item) for item in (body.get("items") or []))
            cursor = (body.get("cursor") or [{}])[0]
            after = str(cursor.get("after", "-1")) if isinstance(cursor, dict) else "-1"
            if after in ("-1", "") or not body.get("items"):
                break
            params = {"limit": page, "after": after}
        return values

    # --- configuration files --------------------------------------------------------------------------

    async def download_ini(self) -> bytes:
        """GET /files/ini: the full configuration, for a backup."""
        return (await self._call("GET", "/files/ini", timeout=LONG_TIMEOUT, max_body=FILE_MAX_BODY)).content

    async def upload_ini(self, data: bytes, filename: str = "config.ini") -> str:
        """PUT /files/ini: replace the whole configuration; the device resets to apply it."""
        return self._description(
            await self._call("PUT", "/files/ini", files=self._file(filename, data), timeout=LONG_TIMEOUT)
        )

    async def upload_ini_incremental(self, data: bytes, filename: str = "incremental.ini") -> None:
        """PUT /files/ini/incremental: apply some parameters without a reset."""
        await self._call(
            "PUT", "/files/ini/incremental", files=self._file(filename, data), timeout=LONG_TIMEOUT
        )

    async def download_cli_script(self) -> bytes:
        """GET /files/cliScript: the running configuration as a CLI script."""
        response = await self._call("GET", "/files/cliScript", timeout=LONG_TIMEOUT, max_body=FILE_MAX_BODY)
        return response.content

    async def run_cli_script(self, script: str) -> CliResult:
        """PUT /files/cliScript/incremental: run configuration and show commands; returns their output."""
        response = await self._call(
            "PUT",
            "/files/cliScript/incremental",
            files=self._file("cli.txt", script.encode()),
            timeout=LONG_TIMEOUT,
        )
        body = self._json(response) if response.content else {}
        if not isinstance(body, dict):
            raise AudioCodesProtocolError("The device's answer to the CLI script is not a JSON object.")
        return CliResult(str(body.get("description", "")), str(body.get("output", "")))

    async def backup_configuration(self) -> bytes:
        """The whole configuration as an ini file (GET /files/ini)."""
        return await self.download_ini()

    async def restore_configuration(self, data: bytes) -> None:
        """Replace the configuration with an ini backup (PUT /files/ini); the device resets to apply it."""
        await self.upload_ini(data)

    # --- software and debug file ------------------------------------------------------------------------

    async def upload_software(self, filename: str, data: bytes) -> str:
        """PUT /files/software with a .cmp load; the device resets to activate it."""
        return self._description(
            await self._call(
                "PUT", "/files/software", files=self._file(filename, data), timeout=UPLOAD_TIMEOUT
            )
        )

    async def upload_software_hitless(self, filename: str, data: bytes) -> str:
        """PUT /files/software/hitless (HA systems): the units take the load in turn, without a service
        interruption; returns the device's description ("Device will perform switchover ...")."""
        return self._description(
            await self._call(
                "PUT", "/files/software/hitless", files=self._file(filename, data), timeout=UPLOAD_TIMEOUT
            )
        )

    async def wait_until_back(
        self, *, boot_uptime_below: int, timeout: float = 900.0, interval: float = 5.0
    ) -> DeviceStatus:
        """Poll status until the device answers again after a reset (uptime below `boot_uptime_below`)."""
        deadline = self.clock.monotonic() + timeout
        while self.clock.monotonic() < deadline:
            await self.clock.sleep(interval)
            try:
                status = DeviceStatus.decode(
                    self._json(await self._call("GET", "/status", retry=False, timeout=httpx.Timeout(5.0)))
                )
            except (DeviceUnreachableError, DeviceTimeoutError, DeviceBusyError):
                continue
            if status.uptime_seconds < boot_uptime_below:
                self.last_status = status
                return status
        raise TransferError(
            "The device did not come back after its reset within "
            f"{int(timeout // 60)} minutes; check its power and network.",
            state="resetting or unreachable",
        )

    async def create_debug_file(
        self, *, attach_core_dump: bool = False, redundant: bool = False
    ) -> DebugFileTicket:
        """POST /files/create/debugFile[Redundant]: creation starts; 202 with the Location to poll."""
        name = "debugFileRedundant" if redundant else "debugFile"
        response = await self._call(
            "POST", f"/files/create/{name}", json={"attachCoreDump": attach_core_dump}, expected=(200, 202)
        )
        location = response.headers.get("Location", "")
        body = self._json(response) if response.content else {}
        transaction = str(body.get("transactionId", "")) if isinstance(body, dict) else ""
        if not location.startswith(f"{API}/files/status/"):
            raise AudioCodesProtocolError("The device did not say where the debug file will be.")
        return DebugFileTicket(transaction or location.rsplit("/", 1)[-1], location)

    async def fetch_debug_file(self, ticket: DebugFileTicket) -> bytes | None:
        """GET the ticket's status URL once: the file when ready (201), None while it is not."""
        state, content = await self.poll_debug_file(ticket)
        return content if state is DebugFileState.READY else None

    async def poll_debug_file(self, ticket: DebugFileTicket) -> tuple[DebugFileState, bytes]:
        """GET the ticket's status URL once: ready (201, with the file), being created (202), or no
        content (204: "not ready" while polling, or "not created", section 7)."""
        response = await self._call(
            "GET", ticket.location.removeprefix(API), expected=(200, 201, 202, 204), timeout=LONG_TIMEOUT,
            max_body=DEBUG_FILE_MAX_BODY,
        )
        if response.status_code == 202:
            return DebugFileState.BEING_CREATED, b""
        if response.status_code == 204:
            return DebugFileState.NO_CONTENT, b""
        return DebugFileState.READY, response.content
